// An image's identity verdict (domain/identity.ts) as the record keeps it and as clients see it.
import type { IdentityScore, StoredFace, VariationIdentity } from './character.js';
import { type IdentityVerdict, type ImageFace, vectorFromBytes, vectorToBytes } from './identity.js';

/** What a slot's earlier images leave to its new one: the regenerations tried and the images not kept. */
export type IdentityHistory = Pick<IdentityScore, 'regenerations' | 'rejected'>;

export const NO_HISTORY: IdentityHistory = { regenerations: 0, rejected: [] };

export function identityOf(key: string, face: ImageFace, verdict: IdentityVerdict, history: IdentityHistory): VariationIdentity {
  const faceFound = face.vector !== null;
  const common = { key, faceFound, regenerations: history.regenerations, rejected: history.rejected, ...(face.vector ? { embedding: vectorToBytes(face.vector) } : {}) };
  if (!verdict.judged) return { ...common, judged: false, reason: verdict.reason };
  return {
    ...common,
    judged: true,
    similarity: verdict.similarity,
    ...(verdict.toAvatar !== null ? { toAvatar: verdict.toAvatar } : {}),
    ...(verdict.toSet !== null ? { toSet: verdict.toSet } : {}),
    consistent: verdict.consistent,
  };
}

/** The score without the stored vector and key: what events, the API and metadata.json carry. */
export function scoreOf(identity: VariationIdentity): IdentityScore {
  const { key: _key, embedding: _embedding, ...score } = identity;
  return score;
}

export function storedFace(face: ImageFace): StoredFace {
  return face.vector ? { faceFound: true, embedding: vectorToBytes(face.vector) } : { faceFound: false, reason: face.reason };
}

/** The face a stored score keeps; null when it must be looked at again (the encoder could not run then). */
export function faceOfStored(face: Pick<StoredFace, 'embedding' | 'faceFound' | 'reason'>): ImageFace | null {
  if (face.embedding) return { vector: vectorFromBytes(face.embedding) };
  return face.faceFound || face.reason?.startsWith(ENCODER_UNAVAILABLE) ? null : { vector: null, reason: face.reason ?? 'no face found' };
}

/** The face a slot's stored score keeps for the image under `key`; null when it scored another image (or none). */
export function faceOfIdentity(identity: VariationIdentity | undefined, key: string | undefined): ImageFace | null {
  return identity && key && identity.key === key ? faceOfStored(identity) : null;
}

/** How a score left unjudged by an encoder that could not run begins its reason. */
export const ENCODER_UNAVAILABLE = 'identity encoder unavailable';
