// Real PNG bytes for the simulators: a solid colour picked from the seed, at the requested size. Enough for
// adapters to check magic numbers and dimensions, and cheap enough to serve thousands per second.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

const cache = new Map<string, Buffer>();

export function solidPng(width: number, height: number, seed: number): Buffer {
  const rgb = [(seed * 97) & 0xff, (seed * 57 + 80) & 0xff, (seed * 31 + 160) & 0xff] as const;
  const cacheKey = `${width}x${height}:${rgb.join(',')}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: truecolour
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  if (cache.size < 256) cache.set(cacheKey, png);
  return png;
}
