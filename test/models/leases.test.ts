// The repository's promises about who works on a set, with an explicit clock: a live lease is never taken, an
// expired one is, and an image delivered twice is recorded once. Run against the embedded store (or
// TEST_MONGODB_URI), as the service runs them.
import { describe, expect, it } from 'vitest';
import type { StoredVariation } from '../../src/ports.js';
import { insertCharacter, useCharacterRepository } from '../support/repository.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('set leases and image records', () => {
  const repositoryOf = useCharacterRepository();

  async function committedCharacter(): Promise<string> {
    const id = await insertCharacter(repositoryOf(), 'ada', 'Mira', at(3600));
    await repositoryOf().commit(id, 'v1');
    return id;
  }

  it("refuses worker B a set whose lease A holds until later (claimSet's expiry comparison)", async () => {
    const id = await committedCharacter();
    expect(await repositoryOf().claimSet(id, 'worker-a', at(60), at(0))).not.toBeNull();
    expect(await repositoryOf().claimSet(id, 'worker-b', at(90), at(30))).toBeNull();
    // Exactly at expiry the lease is over.
    expect(await repositoryOf().claimSet(id, 'worker-b', at(120), at(60))).toMatchObject({ id });
  });

  it("gives worker B a set whose lease expired, after which A's writes no longer land", async () => {
    const id = await committedCharacter();
    await repositoryOf().claimSet(id, 'worker-a', at(60), at(0));
    expect(await repositoryOf().claimSet(id, 'worker-b', at(200), at(61))).toMatchObject({ id });
    expect(await repositoryOf().renewLease(id, 'worker-a', at(300))).toBe(false);
    expect(await repositoryOf().recordDispatches(id, 'worker-a', [{ index: 0, replacing: false }], at(62))).toBe(false);
    // B still holds it: A's claim with A's clock, while B's lease is live, fails.
    expect(await repositoryOf().claimSet(id, 'worker-a', at(260), at(100))).toBeNull();
    expect(await repositoryOf().claimSet(id, 'worker-b', at(260), at(100))).toMatchObject({ id });
  });

  it('records an image delivered twice once: the second delivery changes nothing (completeVariation guard)', async () => {
    const id = await committedCharacter();
    await repositoryOf().claimSet(id, 'worker-a', at(60), at(0));
    await repositoryOf().recordDispatches(id, 'worker-a', [{ index: 2, replacing: false }], at(1));
    const image = (version: string): StoredVariation => ({ key: `k-${version}`, version, bytes: 10, width: 8, height: 8, generationMs: 5, seed: 2, generation: 1 });
    const first = await repositoryOf().completeVariation(id, 'worker-a', 2, image('v1'), at(2));
    expect(first).toMatchObject({ completed: 1 });
    expect(await repositoryOf().completeVariation(id, 'worker-a', 2, image('v2'), at(3))).toBeNull();
    const record = await repositoryOf().findById(id);
    expect(record?.variations.filter((variation) => variation.status === 'completed')).toHaveLength(1);
    expect(record?.variations[2]).toMatchObject({ status: 'completed', key: 'k-v1', version: 'v1' });
    expect(record?.embeddings.imageEmbeddings.sequence).toBe(first?.sequence);
  });
});
