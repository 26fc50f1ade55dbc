// Identity math on face vectors: how alike two images are, the verdict on one image of a reference set, and
// the set's consistency. Pure: the vectors come from an IdentityEncoder (ports.ts), the threshold from config.

export type Vector = readonly number[];

/** Cosine of the angle between two vectors: 1 the same direction, 0 unrelated. 0 when either is all zeros. */
export function cosineSimilarity(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new Error(`cannot compare vectors of ${a.length} and ${b.length} dimensions`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

function normalised(vector: Vector): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector.map(() => 0) : vector.map((x) => x / norm);
}

/**
 * The direction the vectors share: the mean of the unit vectors, itself of unit length, so each image counts
 * the same however long its raw vector. Null for no vectors.
 */
export function centroid(vectors: readonly Vector[]): number[] | null {
  const first = vectors[0];
  if (!first) return null;
  const sum = new Array<number>(first.length).fill(0);
  for (const vector of vectors) {
    const unit = normalised(vector);
    if (unit.length !== sum.length) throw new Error(`cannot average vectors of ${sum.length} and ${unit.length} dimensions`);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (unit[i] as number);
  }
  return normalised(sum);
}

/** One image as the encoder saw it: its face vector, or why it has none. */
export type ImageFace = { vector: Vector } | { vector: null; reason: string };

export type IdentityVerdict =
  | {
      judged: true;
      /** Cosine similarity to the avatar's face; null when the avatar shows none. */
      toAvatar: number | null;
      /** To the centroid of the set's other judged images; null when there are none. */
      toSet: number | null;
      /** The score compared with the threshold: the mean of the two above, or the one that exists. */
      similarity: number;
      /** similarity ≥ threshold: the image shows the character. */
      consistent: boolean;
    }
  | { judged: false; reason: string };

/**
 * Whether one image shows the character of `avatar` and `others` (the set's other images with a face; the
 * image itself must not be among them). Comparing with the rest of the set as well as with the avatar means
 * one unusual avatar shot cannot condemn every image, and the set's centroid is steadier than any one image.
 */
export function judgeImage(image: ImageFace, avatar: ImageFace, others: readonly Vector[], threshold: number): IdentityVerdict {
  if (image.vector === null) return { judged: false, reason: image.reason };
  const toAvatar = avatar.vector === null ? null : cosineSimilarity(image.vector, avatar.vector);
  const setCentre = centroid(others);
  const toSet = setCentre === null ? null : cosineSimilarity(image.vector, setCentre);
  if (toAvatar === null && toSet === null) return { judged: false, reason: `nothing to compare with: ${avatar.vector === null ? avatar.reason : 'no avatar'} in the avatar, and no other image with a face` };
  const similarity = toAvatar !== null && toSet !== null ? (toAvatar + toSet) / 2 : ((toAvatar ?? toSet) as number);
  return { judged: true, toAvatar, toSet, similarity, consistent: similarity >= threshold };
}

export interface SetConsistency<Key> {
  /** How many images were judged (had a face and something to compare with). */
  judged: number;
  /** Median and lowest similarity of the judged images; null when none was judged. */
  median: number | null;
  min: number | null;
  /** Judged images below the threshold, in the order given. */
  outliers: Key[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function summariseSet<Key>(verdicts: readonly { key: Key; verdict: IdentityVerdict }[]): SetConsistency<Key> {
  const judged = verdicts.flatMap(({ key, verdict }) => (verdict.judged ? [{ key, verdict }] : []));
  const scores = judged.map(({ verdict }) => verdict.similarity);
  return {
    judged: judged.length,
    median: median(scores),
    min: scores.length === 0 ? null : Math.min(...scores),
    outliers: judged.filter(({ verdict }) => !verdict.consistent).map(({ key }) => key),
  };
}

/** Judges every image of a set against the avatar and the set's other images, and sums the set up. */
export function judgeSet<Key>(avatar: ImageFace, images: readonly { key: Key; face: ImageFace }[], threshold: number): { verdicts: { key: Key; verdict: IdentityVerdict }[]; consistency: SetConsistency<Key> } {
  const verdicts = images.map(({ key, face }, index) => {
    const others = images.flatMap((other, otherIndex) => (otherIndex !== index && other.face.vector !== null ? [other.face.vector] : []));
    return { key, verdict: judgeImage(face, avatar, others, threshold) };
  });
  return { verdicts, consistency: summariseSet(verdicts) };
}

/** The character's identity vector: the centroid of the avatar's and the set's faces (null with none). */
export function characterIdentity(avatar: ImageFace, images: readonly ImageFace[]): number[] | null {
  return centroid([avatar, ...images].flatMap((face) => (face.vector === null ? [] : [face.vector])));
}

/** A vector as stored: little-endian Float32 bytes (4 bytes a number, a quarter of a BSON array of doubles). */
export function vectorToBytes(vector: Vector): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}

export function vectorFromBytes(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: Math.floor(bytes.byteLength / 4) }, (_, index) => view.getFloat32(index * 4, true));
}
