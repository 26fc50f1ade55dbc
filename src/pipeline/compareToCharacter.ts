// Use case: does this image show that character? The image's face against the character's identity vector
// (the centroid of its avatar's and its set's faces, stored by the set's identity check; the avatar's face
// when the set has not been scored by this model yet), with the same threshold the set is judged with.
import type { CharacterRecord } from '../domain/character.js';
import { EncoderUnavailableError, InvalidImageError, InvalidInputError } from '../domain/errors.js';
import { cosineSimilarity, type Vector, vectorFromBytes } from '../domain/identity.js';
import type { CharacterRepository, ObjectStore } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';
import type { IdentityScorer } from './identityScorer.js';

export interface IdentityComparison {
  /** Always true in an answer: an image without a face is refused as bad input. */
  faceFound: boolean;
  /** Cosine similarity of the image's face to the character's identity vector; null without a face on either side. */
  similarity: number | null;
  sameCharacter: boolean;
  /** Why there is no similarity. */
  reason: string | null;
  model: string;
}

export interface CompareDeps {
  characters: Pick<CharacterRepository, 'findById'>;
  store: Pick<ObjectStore, 'get'>;
  identity: IdentityScorer | null;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The bytes of a base64 image (a data: URI prefix and line breaks allowed); BAD_USER_INPUT for anything else. */
function decodeImage(imageBase64: string): Uint8Array {
  const text = imageBase64.replace(/^data:image\/[a-z+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (text.length === 0) throw new InvalidInputError('imageBase64 is empty', 'imageBase64');
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new InvalidInputError('imageBase64 is not base64 (standard alphabet, padded)', 'imageBase64');
  return Buffer.from(text, 'base64');
}

async function characterVector(deps: CompareDeps, scorer: IdentityScorer, character: CharacterRecord): Promise<{ vector: Vector } | { vector: null; reason: string }> {
  const { identity } = character;
  if (identity?.model === scorer.model && identity.vector) return { vector: vectorFromBytes(identity.vector) };
  const avatar = await deps.store.get(character.avatarKey);
  if (!avatar) return { vector: null, reason: "the character's avatar is missing from the store" };
  const face = await scorer.faceOrThrow(avatar);
  return face.vector ? face : { vector: null, reason: `the character's avatar shows no face to compare with (${face.reason})` };
}

export async function compareToCharacter(deps: CompareDeps, viewer: Viewer, characterId: string, imageBase64: string): Promise<IdentityComparison> {
  const character = await findVisibleCharacter(deps.characters, viewer, characterId);
  const image = decodeImage(imageBase64);
  const scorer = deps.identity;
  if (!scorer) throw new EncoderUnavailableError('identity scores are turned off on this service (IDENTITY=off)');
  const face = await scorer.faceOrThrow(image).catch((error: unknown) => {
    throw error instanceof InvalidImageError ? new InvalidInputError(error.message, 'imageBase64') : error;
  });
  const model = scorer.model;
  // An image with no face cannot be judged at all: that is the caller's input, not an answer about the character.
  if (face.vector === null) throw new InvalidInputError(`the image shows no face to compare (${face.reason})`, 'imageBase64');
  const reference = await characterVector(deps, scorer, character);
  if (reference.vector === null) return { faceFound: true, similarity: null, sameCharacter: false, reason: reference.reason, model };
  const similarity = cosineSimilarity(face.vector, reference.vector);
  return { faceFound: true, similarity, sameCharacter: similarity >= scorer.settings.minSimilarity, reason: null, model };
}
