// ObjectStore on the local disk (the embedded default). Objects are written to a temporary file and renamed
// into place, so a reader or a crash never sees half an image; the HTTP server serves them under /files/.
// Temporary files live in a folder of their own beside the objects (the same disk, so the rename stays atomic),
// one per process (an API and a worker may share DATA_DIR): a write that fails removes its file, and the folders
// of processes that are gone (a crash) are cleared when a store opens. Failures name the key and the system's
// error code, never the folder on this machine: the message reaches clients (a variation's error,
// metadata.json); the full error goes to the log.
import { randomUUID } from 'node:crypto';
import { constants, rename, unlink, writeFile } from 'node:fs';
import { access, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { BackendError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { ObjectStore, StoredObject } from '../ports.js';

const BACKEND = 'local';
/** Errors another try cannot fix: the operator must change permissions or the mount. */
const PERMANENT_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

export const LOCAL_FILES_ROUTE = '/files/';
const KNOWN_FOLDERS_LIMIT = 10_000;

/** Resolves a key inside `root`, refusing any key that would land outside it. */
export function resolveObjectPath(root: string, key: string): string | null {
  if (key === '' || key.includes('\0') || key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  const resolved = path.resolve(root, key);
  return resolved.startsWith(path.resolve(root) + path.sep) ? resolved : null;
}

/**
 * Writes `body` to `temporary`, then renames it over `target`; on failure the temporary file is removed. The
 * callback API on purpose: fs/promises wraps each file in a FileHandle and each step in promises, which cost
 * the event loop about a third more per image.
 */
function writeThenRename(temporary: string, target: string, body: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => unlink(temporary, () => reject(error));
    writeFile(temporary, body, (writeError) => {
      if (writeError) return fail(writeError);
      rename(temporary, target, (renameError) => (renameError ? fail(renameError) : resolve()));
    });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Names a version: a replaced object gets a new one, so its URL changes and no cache serves the old bytes. */
let versions = 0;
function nextVersion(): string {
  versions = (versions + 1) % 1_296;
  return `${Date.now().toString(36)}${versions.toString(36).padStart(2, '0')}`;
}

export class LocalObjectStore implements ObjectStore {
  readonly name = 'local';
  /** Folders already created: a set writes 11 files into two folders, so mkdir once each, not per file. */
  private readonly knownFolders = new Set<string>();

  /** `publicUrl` is read at each call: with PORT=0 the real base is known only once the server listens. */
  private constructor(
    private readonly root: string,
    private readonly temporaryFolder: string,
    private readonly publicUrl: () => string,
    private readonly logger?: Logger,
  ) {}

  /** Opens the store, clearing the temporary files that processes no longer running left under `temporaryRoot`. */
  static async open(root: string, temporaryRoot: string, publicUrl: () => string, logger?: Logger): Promise<LocalObjectStore> {
    await mkdir(temporaryRoot, { recursive: true });
    for (const entry of await readdir(temporaryRoot)) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === process.pid || !isRunning(pid)) await rm(path.join(temporaryRoot, entry), { recursive: true, force: true });
    }
    const temporaryFolder = path.join(temporaryRoot, String(process.pid));
    await mkdir(temporaryFolder, { recursive: true });
    return new LocalObjectStore(root, temporaryFolder, publicUrl, logger);
  }

  async put(key: string, body: Uint8Array, _contentType: string): Promise<StoredObject> {
    const target = this.pathOf(key);
    const folder = path.dirname(target);
    try {
      if (!this.knownFolders.has(folder)) {
        await mkdir(folder, { recursive: true });
        if (this.knownFolders.size >= KNOWN_FOLDERS_LIMIT) this.knownFolders.clear();
        this.knownFolders.add(folder);
      }
      await writeThenRename(path.join(this.temporaryFolder, `${randomUUID()}.tmp`), target, body);
    } catch (error) {
      // The folder may have been removed behind our back: forget it, so the retry creates it again.
      this.knownFolders.delete(folder);
      throw this.failure(`writing ${key}`, error);
    }
    return { key, version: nextVersion(), bytes: body.byteLength };
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.failure(`reading ${key}`, error);
    }
  }

  /** Ready when the objects folder exists (or can be made) and this process may write in it. */
  async ready(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
    } catch (error) {
      throw this.failure('checking the objects folder (DATA_DIR/objects)', error);
    }
  }

  url(key: string, version?: string): string {
    const url = `${this.publicUrl()}${LOCAL_FILES_ROUTE}${key.split('/').map(encodeURIComponent).join('/')}`;
    return version ? `${url}?v=${encodeURIComponent(version)}` : url;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    const folder = this.pathOf(prefix.replace(/\/+$/, ''));
    for (const known of this.knownFolders) if (known === folder || known.startsWith(folder + path.sep)) this.knownFolders.delete(known);
    await rm(folder, { recursive: true, force: true });
  }

  private failure(what: string, error: unknown): BackendError {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    this.logger?.warn({ err: error, root: this.root }, `local store: ${what} failed`);
    return new BackendError(BACKEND, `${what} failed (${code})`, !PERMANENT_CODES.has(code), undefined, { cause: error });
  }

  private pathOf(key: string): string {
    const resolved = resolveObjectPath(this.root, key);
    if (!resolved) throw new Error(`unsafe object key: ${JSON.stringify(key)}`);
    return resolved;
  }
}
