// Who may fetch a stored image under /files/. Local keys are `characters/{ownerSlug}/{characterSlug}/…`; a
// file is served only to the owner of the character stored in that folder, or to an admin. The check goes
// through the character records, not the folder name alone, because two usernames can share a slug
// ('Alice' and 'alice'). Everything else (folders, other prefixes) is not served at all: nothing is listable.
import { isSlug } from '../domain/slug.js';
import type { Viewer } from '../pipeline/characterAccess.js';
import type { CharacterRepository } from '../ports.js';

export async function mayReadStoredFile(characters: Pick<CharacterRepository, 'ownersOfStorageFolder'>, viewer: Viewer, key: string): Promise<boolean> {
  const parts = key.split('/');
  // Stryker disable next-line StringLiteral: a missing part fails isSlug below whatever non-slug default stands in for it
  const [root, ownerSlug = '', characterSlug = '', ...rest] = parts;
  if (root !== 'characters' || !isSlug(ownerSlug) || !isSlug(characterSlug) || rest.length === 0) return false;
  const owners = await characters.ownersOfStorageFolder(ownerSlug, characterSlug);
  return owners.length > 0 && (viewer.isAdmin || owners.includes(viewer.username));
}
