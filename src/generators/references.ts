// Which of a request's reference images a backend conditions on, and the file name it travels under. Names are
// content-addressed (the request's name plus a hash of the bytes), so a backend's copy of one image can never
// be mistaken for another's: a regenerated avatar gets a new name rather than silently replacing the old one
// under prompts still queued.
import { createHash } from 'node:crypto';
import type { ImageContentType, ImageRequest, ReferenceImage } from '../ports.js';

const EXTENSIONS: Record<ImageContentType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** The one reference an identity template's slot takes: the avatar if there is one, else the first. */
export function conditioningReference(request: ImageRequest): ReferenceImage | undefined {
  const references = request.references ?? [];
  return references.find((reference) => reference.role === 'avatar') ?? references[0];
}

// The pipeline hands the same avatar bytes to every variation of a set: hash them once.
const hashes = new WeakMap<Uint8Array, string>();

export function contentHash(bytes: Uint8Array): string {
  let hash = hashes.get(bytes);
  if (hash === undefined) {
    hash = createHash('sha256').update(bytes).digest('hex');
    hashes.set(bytes, hash);
  }
  return hash;
}

/** `charsheet-<id>-avatar-<hash12>.png`: only safe characters, whatever the request's name held. */
export function referenceFileName(reference: ReferenceImage, hash = contentHash(reference.bytes)): string {
  const stem = reference.name.replace(/\.[A-Za-z0-9]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'reference';
  return `${stem}-${hash.slice(0, 12)}.${EXTENSIONS[reference.contentType]}`;
}
