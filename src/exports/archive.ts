// The zip writer behind every training-set format (fflate: no dependencies, in memory). A reference set is at
// most 10 images, so the archive is built in one piece rather than streamed. Images are stored as they are
// (PNG, JPEG and WebP are compressed already: deflating them again costs time and saves nothing); text files
// are deflated.
import { zipSync, type Zippable } from 'fflate';

export interface ArchiveEntry {
  /** '/'-separated path inside the archive, e.g. `img/10_mira_thorn character/portrait_front.png`. */
  path: string;
  content: Uint8Array | string;
}

const ALREADY_COMPRESSED = /\.(png|jpe?g|webp)$/i;
const TEXT_LEVEL = 6;

function assertSafePath(path: string): void {
  const segments = path.split('/');
  // Stryker disable next-line MethodExpression: a path starting (or ending) with '/' has an empty segment, refused beside it either way
  if (path.startsWith('/') || segments.some((segment) => segment === '' || segment === '.' || segment === '..') || /[\\\u0000-\u001f]/.test(path)) {
    throw new Error(`unsafe archive path: ${JSON.stringify(path)}`);
  }
}

/**
 * A zip of `entries` in their order. Every entry carries `modifiedAt`, so the same set always gives the same
 * bytes (a re-export overwrites its stored archive with an identical one).
 */
export function zipArchive(entries: readonly ArchiveEntry[], modifiedAt: Date): Uint8Array {
  const files: Zippable = {};
  const encoder = new TextEncoder();
  for (const entry of entries) {
    assertSafePath(entry.path);
    if (Object.hasOwn(files, entry.path)) throw new Error(`archive path given twice: ${entry.path}`);
    const bytes = typeof entry.content === 'string' ? encoder.encode(entry.content) : entry.content;
    files[entry.path] = [bytes, { level: ALREADY_COMPRESSED.test(entry.path) ? 0 : TEXT_LEVEL, mtime: modifiedAt }];
  }
  return zipSync(files);
}
