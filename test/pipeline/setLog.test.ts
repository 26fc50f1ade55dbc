// The log lines docs/operations.md promises for a set's life, with their fields: what an operator's alerts and
// searches rely on.
import { afterEach, describe, expect, it } from 'vitest';
import { VARIATION_TYPES, type VariationType } from '../../src/domain/variations.js';
import { CreateCharacterDocument, DeleteCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { FailingGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { type LogEntry, recordingLogger } from '../support/logs.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

let service: TestService | undefined;
let client: GraphQLTestClient | undefined;
afterEach(async () => {
  await client?.close();
  await service?.destroy();
});

/** Runs one set against a backend failing `failing` (retryably), two attempts a slot; returns its log lines. */
async function setLog(failing: VariationType[]): Promise<{ id: string; lines: (msg: string) => Record<string, unknown>[] }> {
  const { logger, entries } = recordingLogger('info');
  service = await startTestService({ VARIATION_MAX_ATTEMPTS: '2' }, { logger, generator: new FailingGenerator(new Set(failing), true) });
  client = new GraphQLTestClient(service.url);
  const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Log Reader' } });
  const id = createCharacter.id;
  await waitFor(async () => entries.some((entry) => entry.msg === 'reference set finished'), 'the set finished');
  const status = (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus.status;
  expect(status).toBe(failing.length === VARIATION_TYPES.length ? 'failed' : 'completed');
  const fieldsOf = ({ level: _level, time: _time, pid: _pid, hostname: _hostname, msg: _msg, characterId, ...fields }: LogEntry) => ({ characterId, ...fields });
  return { id, lines: (msg) => entries.filter((entry) => entry.msg === msg).map(fieldsOf) };
}

describe('the log of a set', () => {
  it('says when it started and finished, and each failed attempt with the slot and what is left', async () => {
    const { id, lines } = await setLog(['action_pose']);
    expect(lines('reference set started')).toEqual([{ characterId: id, resumed: false }]);
    expect(lines('variation attempt failed')).toEqual([
      { characterId: id, variation: 'action_pose', failures: 1, final: false, error: 'flaky-offline: injected failure for action_pose' },
      { characterId: id, variation: 'action_pose', failures: 2, final: true, error: 'flaky-offline: injected failure for action_pose' },
    ]);
    expect(lines('reference set finished')).toEqual([{ characterId: id, status: 'completed', completed: 9, failed: 1 }]);
  });

  it('says when a deleted character and its files are gone, and why', async () => {
    const { id, lines } = await setLog([]);
    await client!.request(DeleteCharacterDocument, { id });
    await waitFor(async () => lines('character removed').length > 0, 'the character removed');
    expect(lines('character removed')).toEqual([{ characterId: id, reason: 'deleted' }]);
  });

  it("says 'failed' when no image was made", async () => {
    const { id, lines } = await setLog([...VARIATION_TYPES]);
    expect(lines('reference set finished')).toEqual([{ characterId: id, status: 'failed', completed: 0, failed: 10 }]);
    expect(lines('variation attempt failed').filter((line) => line.final)).toHaveLength(10);
  });
});
