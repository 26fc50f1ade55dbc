// The repository's reads and small writes, each against characters in every state at once (uncommitted,
// pending, generating, finished, deleted, another owner's), with an explicit clock: what the resumer, the
// removal sweep, the limits and the lease keeper are given is exactly what they ask for, nothing more.
import { describe, expect, it } from 'vitest';
import { insertCharacter, useCharacterRepository } from '../support/repository.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const METADATA = { key: 'characters/ada/metadata.json', version: 'm1', bytes: 10 };

describe('the character repository', () => {
  const repositoryOf = useCharacterRepository();

  async function character(owner: string, state: 'uncommitted' | 'pending' | 'generating' | 'finished' | 'deleted' | 'cancelled', createdAt = 0): Promise<string> {
    const repository = repositoryOf();
    const id = await insertCharacter(repository, owner, `${owner} ${state}`, at(createdAt + 600));
    if (state === 'uncommitted') return id;
    await repository.commit(id, 'v1');
    if (state === 'deleted') await repository.markDeleted(id, at(createdAt + 1));
    if (state === 'cancelled') await repository.cancelSet(id, at(createdAt + 1));
    if (state === 'generating' || state === 'finished') await repository.claimSet(id, 'worker-a', at(createdAt + 60), at(createdAt));
    if (state === 'finished') await repository.finishSet(id, 'worker-a', { status: 'completed', totalImages: 0, workVersion: 0, metadata: METADATA, at: at(createdAt + 2) });
    return id;
  }

  it('hands the resumer the unfinished visible sets only, oldest first, and the ones whose metadata is pending', async () => {
    const pending = await character('queries-a', 'pending');
    const generating = await character('queries-b', 'generating');
    const others = [await character('queries-a', 'uncommitted'), await character('queries-a', 'finished'), await character('queries-a', 'deleted')];
    const cancelled = await character('queries-a', 'cancelled');
    const unfinished = (await repositoryOf().findUnfinished()).filter(({ id }) => [pending, generating, cancelled, ...others].includes(id));
    expect(unfinished).toEqual([
      { id: pending, owner: 'queries-a' },
      { id: generating, owner: 'queries-b' },
    ]);
    // A cancel leaves its metadata.json to write (the set's last state).
    const metadataPending = await repositoryOf().findMetadataPendingIds();
    expect(metadataPending).toContain(cancelled);
    for (const id of [pending, generating, ...others]) expect(metadataPending).not.toContain(id);
  });

  it('hands the removal sweep the deleted and the uncommitted records whose time has come, and removes only marked records', async () => {
    const uncommitted = await character('sweep', 'uncommitted', 0);
    const deleted = await character('sweep', 'deleted', 0);
    const kept = await character('sweep', 'pending', 0);
    const due = async (seconds: number) => (await repositoryOf().findRemovalsDue(at(seconds))).filter((id) => [uncommitted, deleted, kept].includes(id));
    // Deleted at T0+1 (removable at once), uncommitted until its commit deadline T0+600.
    expect(await due(1)).toEqual([deleted]);
    expect((await due(600)).sort()).toEqual([uncommitted, deleted].sort());

    await repositoryOf().remove(kept);
    await repositoryOf().remove(deleted);
    expect(await repositoryOf().findById(kept)).not.toBeNull();
    expect(await repositoryOf().findById(deleted)).toBeNull();
  });

  it("counts an owner's unfinished sets up to the bound, and their creations since a time", async () => {
    for (const state of ['pending', 'generating', 'pending', 'finished', 'deleted', 'uncommitted'] as const) await character('counted', state);
    await character('someone-else', 'pending');
    expect(await repositoryOf().countUnfinishedOf('counted', 10)).toBe(3);
    expect(await repositoryOf().countUnfinishedOf('counted', 2)).toBe(2);
    const times = await repositoryOf().creationTimesSince('counted', new Date(Date.now() - 60_000), 10);
    expect(times).toHaveLength(6);
    expect(times.every((time, index) => index === 0 || time >= times[index - 1]!)).toBe(true);
    expect(await repositoryOf().creationTimesSince('counted', new Date(Date.now() + 60_000), 10)).toEqual([]);
    expect(await repositoryOf().creationTimesSince('counted', new Date(Date.now() - 60_000), 4)).toHaveLength(4);
  });

  it('counts sets by status, visible ones only', async () => {
    const before = await repositoryOf().countSetsByStatus();
    await character('status-count', 'pending');
    await character('status-count', 'finished');
    await character('status-count', 'deleted');
    const after = await repositoryOf().countSetsByStatus();
    expect(after.pending - before.pending).toBe(1);
    expect(after.completed - before.completed).toBe(1);
    expect(after.generating - before.generating).toBe(0);
  });

  it('names the owners of a storage folder, visible characters only', async () => {
    const id = await character('folder-a', 'pending');
    const record = await repositoryOf().findById(id);
    expect(await repositoryOf().ownersOfStorageFolder('folder-a', record!.slug)).toEqual(['folder-a']);
    expect(await repositoryOf().ownersOfStorageFolder('folder-b', record!.slug)).toEqual([]);
    await repositoryOf().markDeleted(id, at(5));
    expect(await repositoryOf().ownersOfStorageFolder('folder-a', record!.slug)).toEqual([]);
  });

  it("renews and releases a lease for its holder only", async () => {
    const id = await character('leases', 'generating');
    expect(await repositoryOf().renewLease(id, 'worker-a', at(120))).toBe(true);
    expect(await repositoryOf().renewLease(id, 'worker-b', at(180))).toBe(false);
    expect((await repositoryOf().findById(id))!.lease).toEqual({ owner: 'worker-a', expiresAt: at(120) });
    await repositoryOf().releaseLease(id, 'worker-b');
    expect((await repositoryOf().findById(id))!.lease?.owner).toBe('worker-a');
    await repositoryOf().releaseLease(id, 'worker-a');
    expect((await repositoryOf().findById(id))!.lease).toBeUndefined();
    expect(await repositoryOf().renewLease(id, 'worker-a', at(240))).toBe(false);
  });

  it('counts an attempt per dispatched slot, keeping a slot that shows an image as it is while it is replaced', async () => {
    const id = await character('dispatch', 'generating');
    expect(await repositoryOf().recordDispatches(id, 'worker-a', [], at(1))).toBe(true);
    expect(await repositoryOf().recordDispatches(id, 'worker-a', [{ index: 0, replacing: false }, { index: 1, replacing: true }], at(2))).toBe(true);
    const record = (await repositoryOf().findById(id))!;
    expect(record.variations[0]).toMatchObject({ status: 'generating', attempts: 1, startedAt: at(2) });
    expect(record.variations[1]).toMatchObject({ status: 'pending', attempts: 1, startedAt: at(2) });
    expect(record.variations[2]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await repositoryOf().recordDispatches(id, 'worker-b', [{ index: 2, replacing: false }], at(3))).toBe(false);
    expect((await repositoryOf().findById(id))!.variations[2]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('records a failed attempt with its error, and fails the slot only on the final one', async () => {
    const id = await character('failures', 'generating');
    expect(await repositoryOf().failVariation(id, 'worker-a', 3, { error: 'busy', final: false, replacing: false }, at(1))).toBeNull();
    expect((await repositoryOf().findById(id))!.variations[3]).toMatchObject({ status: 'pending', failures: 1, error: 'busy' });
    const final = await repositoryOf().failVariation(id, 'worker-a', 3, { error: 'gone', final: true, replacing: false }, at(2));
    expect(final).toMatchObject({ failed: 1, completed: 0 });
    expect((await repositoryOf().findById(id))!.variations[3]).toMatchObject({ status: 'failed', failures: 2, error: 'gone', completedAt: at(2) });
    expect(await repositoryOf().failVariation(id, 'worker-b', 4, { error: 'x', final: false, replacing: false }, at(3))).toBeNull();
    expect((await repositoryOf().findById(id))!.variations[4]).toMatchObject({ failures: 0 });
  });
});
