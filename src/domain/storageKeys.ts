// Where each of a character's objects is stored, in the seed system's folder layout (README "Storage layout").
import type { ImageContentType } from '../ports.js';
import type { CharacterRecord } from './character.js';
import { imageExtension } from './imageFiles.js';
import { characterObjectKey, characterStorageFolder } from './slug.js';
import type { VariationType } from './variations.js';

type Folder = Pick<CharacterRecord, 'ownerSlug' | 'slug'>;

export function avatarKey(character: Folder, contentType: ImageContentType): string {
  return characterObjectKey({ ownerSlug: character.ownerSlug, characterSlug: character.slug, folder: 'avatar', file: `avatar.${imageExtension(contentType)}` });
}

/**
 * The seed's `embeddings/{variation}.png` for a slot's first image; `{variation}-{n}.png` for its n-th, so a
 * regenerated image never overwrites the one still shown.
 */
export function variationKey(character: Folder, variation: VariationType, generation: number, contentType: ImageContentType): string {
  const name = generation <= 1 ? variation : `${variation}-${generation}`;
  return characterObjectKey({ ownerSlug: character.ownerSlug, characterSlug: character.slug, folder: 'embeddings', file: `${name}.${imageExtension(contentType)}` });
}

/** `generations/{image id}.png`: a generateCharacterImage result, one file per image. */
export function generatedImageKey(character: Folder, imageId: string, contentType: ImageContentType): string {
  return characterObjectKey({ ownerSlug: character.ownerSlug, characterSlug: character.slug, folder: 'generations', file: `${imageId}.${imageExtension(contentType)}` });
}

export function metadataKey(character: Folder): string {
  return characterObjectKey({ ownerSlug: character.ownerSlug, characterSlug: character.slug, folder: 'embeddings', file: 'metadata.json' });
}

/** Everything stored for the character: what deleteCharacter removes. */
export function characterFolderPrefix(character: Folder): string {
  return characterStorageFolder(character.ownerSlug, character.slug);
}
