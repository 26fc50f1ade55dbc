// Who may fetch a stored file: the owner of the character whose folder holds it, or an admin, and only for
// files inside a character's folder that some character still owns. The folder is looked up in the records
// (two usernames can share a slug), and nothing outside `characters/{owner}/{character}/` is served at all.
import { describe, expect, it } from 'vitest';
import { mayReadStoredFile } from '../../src/auth/fileAccess.js';

const alice = { username: 'alice', isAdmin: false };
const capitalAlice = { username: 'Alice', isAdmin: false };
const admin = { username: 'root', isAdmin: true };

/** Records: folder → the usernames owning a character stored there; counts the lookups made. */
function folders(entries: Record<string, string[]>) {
  const asked: string[] = [];
  return {
    asked,
    ownersOfStorageFolder: async (ownerSlug: string, slug: string) => {
      asked.push(`${ownerSlug}/${slug}`);
      return entries[`${ownerSlug}/${slug}`] ?? [];
    },
  };
}

describe('mayReadStoredFile', () => {
  const records = folders({ 'alice/mira-0a1b2c3d': ['alice'] });

  it("serves a character's files to its owner and to an admin", async () => {
    expect(await mayReadStoredFile(records, alice, 'characters/alice/mira-0a1b2c3d/avatar.png')).toBe(true);
    expect(await mayReadStoredFile(records, alice, 'characters/alice/mira-0a1b2c3d/embeddings/side_profile.png')).toBe(true);
    expect(await mayReadStoredFile(records, admin, 'characters/alice/mira-0a1b2c3d/avatar.png')).toBe(true);
  });

  it('refuses another user, also one whose name differs only in case', async () => {
    expect(await mayReadStoredFile(records, { username: 'bob', isAdmin: false }, 'characters/alice/mira-0a1b2c3d/avatar.png')).toBe(false);
    expect(await mayReadStoredFile(records, capitalAlice, 'characters/alice/mira-0a1b2c3d/avatar.png')).toBe(false);
  });

  it('refuses even an admin a folder no character owns any more (a deleted one’s leftovers)', async () => {
    expect(await mayReadStoredFile(records, admin, 'characters/alice/gone-99999999/avatar.png')).toBe(false);
  });

  it('serves nothing outside a character folder, and does not look such keys up', async () => {
    const lookups = folders({ 'alice/mira-0a1b2c3d': ['alice'] });
    for (const key of [
      'exports/alice/mira-0a1b2c3d/set.zip',
      'Characters/alice/mira-0a1b2c3d/avatar.png',
      'characters/alice/mira-0a1b2c3d',
      'characters/alice',
      'characters/../mira-0a1b2c3d/avatar.png',
      'characters/alice/MIRA-0a1b2c3d/avatar.png',
      'characters//mira-0a1b2c3d/avatar.png',
    ]) {
      expect(await mayReadStoredFile(lookups, admin, key), key).toBe(false);
    }
    expect(lookups.asked).toEqual([]);
  });
});
