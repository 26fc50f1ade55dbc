// What the identity encoder accepts. Checked on the caller's thread from the header alone, so an oversized or
// non-image upload is refused at once without starting (or queueing behind) the encoder.
import { InvalidImageError } from '../domain/errors.js';
import { describeNonImage, inspectImage } from '../generators/imageBytes.js';

export const MAX_IMAGE_BYTES = 20_000_000;
/** Longest accepted side in pixels; the encoder itself looks at no more than 1024 of them. */
export const MAX_IMAGE_SIDE = 8192;

/** Throws InvalidImageError unless the bytes start like a PNG, JPEG or WebP within the limits. */
export function checkImageBytes(bytes: Uint8Array): void {
  if (bytes.byteLength > MAX_IMAGE_BYTES) throw new InvalidImageError(`the image is ${bytes.byteLength} bytes; at most ${MAX_IMAGE_BYTES} are accepted`);
  const facts = inspectImage(bytes);
  if (!facts) throw new InvalidImageError(`not a PNG, JPEG or WebP image: ${describeNonImage(bytes)}`);
  if (facts.width > MAX_IMAGE_SIDE || facts.height > MAX_IMAGE_SIDE) {
    throw new InvalidImageError(`the image is ${facts.width}x${facts.height} pixels; at most ${MAX_IMAGE_SIDE} per side are accepted`);
  }
}
