// Backend failures: the set completes with what succeeded, failures are recorded with their cause, and the
// retry budget is honoured exactly.
import { afterEach, describe, expect, it } from 'vitest';
import { VARIATION_TYPES, type VariationType } from '../../src/domain/variations.js';
import { CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { FailingGenerator } from '../support/generators.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const MAX_ATTEMPTS = 3;
const ALL: VariationType[] = [...VARIATION_TYPES];

describe('reference set with a failing backend', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient | undefined;
  afterEach(async () => {
    await client?.close();
    await service?.destroy();
  });

  async function runSet(failing: VariationType[], retryable: boolean) {
    const generator = new FailingGenerator(new Set(failing), retryable);
    service = await startTestService({ VARIATION_MAX_ATTEMPTS: String(MAX_ATTEMPTS) }, { generator });
    client = new GraphQLTestClient(service.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Flaky' } });
    const c = client;
    await waitFor(async () => ['completed', 'failed'].includes((await c.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus.status), 'set finished');
    const { embeddingStatus } = await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id });
    return { generator, status: embeddingStatus, characterId: createCharacter.id };
  }

  it('completes with the rest when chosen variations keep failing, after exactly the allowed attempts', async () => {
    const { generator, status } = await runSet(['portrait_side', 'sitting_casual'], true);
    expect(status.status).toBe('completed');
    expect(status.message).toBe('Embedding generation is completed; 2 of the images failed');
    expect(status.totalImages).toBe(8);
    expect(status.cloudinaryUrls).toHaveLength(8);
    const failed = status.images.filter((image) => image.status === 'failed');
    expect(failed.map((image) => image.type).sort()).toEqual(['portrait_side', 'sitting_casual']);
    for (const image of failed) {
      expect(image.attempts).toBe(MAX_ATTEMPTS);
      expect(image.error).toContain('flaky-offline: injected failure');
      expect(image.url).toBeNull();
    }
    expect(generator.calls.get('portrait_side')).toBe(MAX_ATTEMPTS);
    expect(generator.calls.get('portrait_front')).toBe(1);
    const metadata = (await (await fetch(status.metadataUrl!)).json()) as { images: { variation: string; status: string; error: string | null; attempts: number }[] };
    expect(metadata.images.find((image) => image.variation === 'portrait_side')).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, error: expect.stringContaining('injected failure') });
  });

  it('does not retry a failure that cannot succeed on retry', async () => {
    const { generator, status } = await runSet(['action_pose'], false);
    expect(status.status).toBe('completed');
    expect(status.images.find((image) => image.type === 'action_pose')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(generator.calls.get('action_pose')).toBe(1);
  });

  it('ends a set with exactly 1 of 10 images completed, not failed, and metadata.json says so (finalSetStatus)', async () => {
    const { status } = await runSet(ALL.filter((type) => type !== 'action_pose'), false);
    expect(status).toMatchObject({ status: 'completed', totalImages: 1, completed: 1, failed: 9 });
    const metadata = (await (await fetch(status.metadataUrl!)).json()) as { status: string; totalImages: number };
    expect(metadata).toMatchObject({ status: 'completed', totalImages: 1 });
  });

  it('marks the set failed when every variation fails, says so on the stream and in metadata.json', async () => {
    const { status, characterId } = await runSet(ALL, false);
    expect(status).toMatchObject({ status: 'failed', totalImages: 0, cloudinaryUrls: [], message: 'Embedding generation is failed' });
    expect(status.generationCompletedAt).not.toBeNull();
    const metadata = (await (await fetch(status.metadataUrl!)).json()) as { status: string; totalImages: number; images: { status: string }[] };
    expect(metadata).toMatchObject({ status: 'failed', totalImages: 0 });
    expect(metadata.images.every((image) => image.status === 'failed')).toBe(true);
    const events = (await collect(client!.subscribe(EmbeddingProgressDocument, { characterId }))).map((event) => event.data!.embeddingProgress);
    expect(events).toHaveLength(11);
    expect(events.slice(0, 10).every((event) => event.kind === 'variation' && event.status === 'failed' && event.error?.includes('injected failure'))).toBe(true);
    expect(events[10]).toMatchObject({ kind: 'done', status: 'failed', completed: 0, failed: 10 });
  });
});
