// A backend's answer is only an image if its bytes say so: the magic number of PNG, JPEG or WebP and readable
// dimensions. Workers that return an HTML error page, a JSON blob or a truncated file must fail clearly here
// rather than be stored as a broken reference image.
import type { ImageContentType } from '../ports.js';

export interface ImageFacts {
  contentType: ImageContentType;
  width: number;
  height: number;
}

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
  return signature.every((value, index) => bytes[at + index] === value);
}

function png(bytes: Uint8Array, view: DataView): ImageFacts | null {
  // Signature, then the IHDR chunk: length(4) 'IHDR'(4) width(4) height(4).
  if (bytes.length < 24 || !startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || !startsWith(bytes, [0x49, 0x48, 0x44, 0x52], 12)) return null;
  return { contentType: 'image/png', width: view.getUint32(16), height: view.getUint32(20) };
}

function jpeg(bytes: Uint8Array, view: DataView): ImageFacts | null {
  if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return null;
  // Walk the segments to the first start-of-frame marker, which holds the dimensions.
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = view.getUint16(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) return { contentType: 'image/jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    offset += 2 + length;
  }
  return null;
}

function webp(bytes: Uint8Array, view: DataView): ImageFacts | null {
  if (bytes.length < 30 || !startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) || !startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return null;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8 ') return { contentType: 'image/webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { contentType: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { contentType: 'image/webp', width, height };
  }
  return null;
}

/** What the bytes are, or null when they are not a PNG, JPEG or WebP image with positive dimensions. */
export function inspectImage(bytes: Uint8Array): ImageFacts | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const facts = png(bytes, view) ?? jpeg(bytes, view) ?? webp(bytes, view);
    return facts && facts.width > 0 && facts.height > 0 ? facts : null;
  } catch {
    // A header that promises more bytes than there are: truncated, so not an image we can use.
    return null;
  }
}

/** A short, safe description of what non-image bytes look like, for error messages. */
export function describeNonImage(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty body';
  const head = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
  return `${bytes.length} bytes starting ${JSON.stringify(head)}`;
}
