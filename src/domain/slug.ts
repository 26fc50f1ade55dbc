// Storage folder names. Display names are kept as given; only their slugs reach object-store keys, so no name
// can escape `characters/{username}/{character}/` (no '/', '..', NUL, control or look-alike characters).

export const MAX_SLUG_LENGTH = 64;

/**
 * Lower-case ASCII letters, digits and single hyphens, at most `maxLength` characters (less than the cap when
 * the caller appends a suffix of its own). Accents are folded (é → e) so names stay readable; anything else
 * (other scripts, emoji, symbols) becomes a hyphen. Returns '' when nothing usable remains, which callers
 * must treat as invalid input.
 */
export function slugify(value: string, maxLength: number = MAX_SLUG_LENGTH): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

export function isSlug(value: string): boolean {
  return value.length > 0 && value.length <= MAX_SLUG_LENGTH && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}

/** The seed's per-character folders, plus `exports` for training-set archives. */
export type CharacterFolder = 'avatar' | 'embeddings' | 'images' | 'variations' | 'generations' | 'exports';

/**
 * `characters/{username}/{characterFolder}/{folder}/{file}`. The character folder slug carries a short id
 * suffix so two characters with the same name never share (and overwrite) a folder.
 */
export function characterObjectKey(parts: { ownerSlug: string; characterSlug: string; folder: CharacterFolder; file: string }): string {
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(parts.file) || parts.file.includes('..')) {
    throw new Error(`unsafe file name: ${JSON.stringify(parts.file)}`);
  }
  return `${characterStorageFolder(parts.ownerSlug, parts.characterSlug)}${parts.folder}/${parts.file}`;
}

/** `characters/{username}/{characterFolder}/`: everything stored for one character is under it. */
export function characterStorageFolder(ownerSlug: string, characterSlug: string): string {
  for (const [label, segment] of [
    ['owner', ownerSlug],
    ['character', characterSlug],
  ] as const) {
    if (!isSlug(segment)) throw new Error(`unsafe ${label} folder name: ${JSON.stringify(segment)}`);
  }
  return `characters/${ownerSlug}/${characterSlug}/`;
}
