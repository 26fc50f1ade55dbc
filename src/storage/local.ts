// ObjectStore on the local disk (the embedded default). Objects are written to a temporary file and renamed
// into place, so a reader or a crash never sees half an image; the HTTP server serves them under /files/.
import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore, StoredObject } from '../ports.js';

export const LOCAL_FILES_ROUTE = '/files/';
const KNOWN_FOLDERS_LIMIT = 10_000;

/** Resolves a key inside `root`, refusing any key that would land outside it. */
export function resolveObjectPath(root: string, key: string): string | null {
  if (key === '' || key.includes('\0') || key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  const resolved = path.resolve(root, key);
  return resolved.startsWith(path.resolve(root) + path.sep) ? resolved : null;
}

/**
 * Writes `body` to `temporary`, then renames it over `target`. The callback API on purpose: fs/promises wraps
 * each file in a FileHandle and each step in promises, which cost the event loop about a third more per image.
 */
function writeThenRename(temporary: string, target: string, body: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    writeFile(temporary, body, (writeError) => {
      if (writeError) return reject(writeError);
      rename(temporary, target, (renameError) => (renameError ? reject(renameError) : resolve()));
    });
  });
}

export class LocalObjectStore implements ObjectStore {
  readonly name = 'local';
  /** Folders already created: a set writes 11 files into two folders, so mkdir once each, not per file. */
  private readonly knownFolders = new Set<string>();

  /** `publicUrl` is read at each put: with PORT=0 the real base is known only once the server listens. */
  constructor(
    private readonly root: string,
    private readonly publicUrl: () => string,
  ) {}

  async put(key: string, body: Uint8Array, _contentType: string): Promise<StoredObject> {
    const target = this.pathOf(key);
    const folder = path.dirname(target);
    if (!this.knownFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      if (this.knownFolders.size >= KNOWN_FOLDERS_LIMIT) this.knownFolders.clear();
      this.knownFolders.add(folder);
    }
    const temporary = `${target}.${randomUUID()}.tmp`;
    try {
      await writeThenRename(temporary, target, body);
    } catch (error) {
      // The folder may have been removed behind our back: forget it, so the retry creates it again.
      this.knownFolders.delete(folder);
      throw error;
    }
    return { key, url: this.url(key), bytes: body.byteLength };
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  url(key: string): string {
    return `${this.publicUrl()}${LOCAL_FILES_ROUTE}${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  private pathOf(key: string): string {
    const resolved = resolveObjectPath(this.root, key);
    if (!resolved) throw new Error(`unsafe object key: ${JSON.stringify(key)}`);
    return resolved;
  }
}
