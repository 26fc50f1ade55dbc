// Image bytes to the RGB pixels the face model reads, with sharp (libvips; prebuilt binaries from npm). Big
// images are shrunk first: detection works on a 256-pixel input anyway, and a 4096² photo as an int32 tensor
// would take 200 MB.
import sharp from 'sharp';
import { InvalidImageError } from '../domain/errors.js';
import { MAX_IMAGE_SIDE } from './limits.js';

/** Longest side of the pixels handed to the model. */
const MODEL_INPUT_SIDE = 1024;

export interface RgbImage {
  /** width × height × 3 bytes, row by row. */
  pixels: Uint8Array;
  width: number;
  height: number;
}

// One libvips thread and no operation cache: the encoder decodes one image at a time on its own thread, and
// the cache would keep decoded images in memory between requests.
sharp.concurrency(1);
sharp.cache(false);

export async function decodeRgb(bytes: Uint8Array): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_SIDE * MAX_IMAGE_SIDE })
      .rotate() // camera photos: apply the EXIF orientation, or faces lie on their side
      .flatten({ background: '#ffffff' })
      .resize({ width: MODEL_INPUT_SIDE, height: MODEL_INPUT_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    throw new InvalidImageError(`the image could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
