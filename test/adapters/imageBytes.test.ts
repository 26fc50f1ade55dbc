// What counts as an image from a backend: PNG, JPEG and WebP headers with their dimensions, nothing else.
import { describe, expect, it } from 'vitest';
import { solidPng } from '../../bench/simulator/png.js';
import { describeNonImage, inspectImage } from '../../src/generators/imageBytes.js';

function jpeg(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

function riff(chunk: string, payload: number[]): Uint8Array {
  const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
  const size = payload.length;
  return new Uint8Array([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP'), ...ascii(chunk), size & 0xff, size >> 8, 0, 0, ...payload]);
}

describe('inspectImage', () => {
  it('reads PNG dimensions', () => {
    expect(inspectImage(solidPng(300, 200, 1))).toEqual({ contentType: 'image/png', width: 300, height: 200 });
  });

  it('reads JPEG dimensions from the start-of-frame segment', () => {
    expect(inspectImage(jpeg(640, 480))).toEqual({ contentType: 'image/jpeg', width: 640, height: 480 });
  });

  it('reads extended, lossless and lossy WebP dimensions', () => {
    const vp8x = riff('VP8X', [0, 0, 0, 0, 0xff, 0x03, 0, 0xff, 0x01, 0, 0, 0]);
    expect(inspectImage(vp8x)).toEqual({ contentType: 'image/webp', width: 1024, height: 512 });
    const bits = (100 - 1) | ((50 - 1) << 14);
    const vp8l = riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff, 0, 0, 0, 0, 0]);
    expect(inspectImage(vp8l)).toEqual({ contentType: 'image/webp', width: 100, height: 50 });
    const vp8 = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 64, 0, 32, 0, 0, 0]);
    expect(inspectImage(vp8)).toEqual({ contentType: 'image/webp', width: 64, height: 32 });
  });

  it('refuses HTML, JSON, empty and truncated bodies', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(inspectImage(text('<html><body>error</body></html>'))).toBeNull();
    expect(inspectImage(text('{"error":"no"}'))).toBeNull();
    expect(inspectImage(new Uint8Array())).toBeNull();
    expect(inspectImage(solidPng(10, 10, 1).subarray(0, 20))).toBeNull();
    expect(inspectImage(jpeg(10, 10).subarray(0, 12))).toBeNull();
  });

  it('describes non-images without dumping them', () => {
    expect(describeNonImage(new TextEncoder().encode('<html>\n<body>a very long page indeed</body></html>'))).toBe('50 bytes starting "<html>.<body>a v"');
    expect(describeNonImage(new Uint8Array())).toBe('an empty body');
  });
});
