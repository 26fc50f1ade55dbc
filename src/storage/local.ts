// ObjectStore on the local disk (the embedded default). Objects are written to a temporary file and renamed
// into place, so a reader or a crash never sees half an image; the HTTP server serves them under /files/.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore, StoredObject } from '../ports.js';

export const LOCAL_FILES_ROUTE = '/files/';

/** Resolves a key inside `root`, refusing any key that would land outside it. */
export function resolveObjectPath(root: string, key: string): string | null {
  if (key === '' || key.includes('\0') || key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  const resolved = path.resolve(root, key);
  return resolved.startsWith(path.resolve(root) + path.sep) ? resolved : null;
}

export class LocalObjectStore implements ObjectStore {
  readonly name = 'local';

  /** `publicUrl` is read at each put: with PORT=0 the real base is known only once the server listens. */
  constructor(
    private readonly root: string,
    private readonly publicUrl: () => string,
  ) {}

  async put(key: string, body: Uint8Array, _contentType: string): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, target);
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
