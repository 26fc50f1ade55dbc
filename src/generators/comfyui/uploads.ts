// Reference images into ComfyUI's input folder with POST /upload/image, once per distinct image: names are
// content-addressed (references.ts), so one upload serves every variation of a set, and sets sharing an
// avatar. The cache is only a shortcut. A server that lost the file (restarted with a fresh input folder)
// refuses the prompt naming it, and the adapter then forgets it and uploads again.
import { BackendError } from '../../domain/errors.js';
import type { ReferenceImage } from '../../ports.js';
import { contentHash, referenceFileName } from '../references.js';

/** Subfolder of ComfyUI's input folder our references go to, so an operator can tell them apart and clean them. */
export const UPLOAD_SUBFOLDER = 'charsheet';
/** Distinct references remembered; beyond this the least recently used is uploaded again when next needed. */
const CACHE_LIMIT = 500;
const UPLOAD_TIMEOUT_MS = 60_000;

/** Sends one file; answers the name a LoadImage node takes (`<subfolder>/<name>`). */
export type Upload = (fileName: string, reference: ReferenceImage, signal: AbortSignal) => Promise<string>;

/** The promise, until the caller's signal aborts: the upload itself goes on for the other requests sharing it. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class ReferenceUploads {
  /** Content hash → the LoadImage name, in least-recently-used order (a Map keeps insertion order). */
  private readonly names = new Map<string, Promise<string>>();

  constructor(
    private readonly backend: string,
    private readonly upload: Upload,
  ) {}

  /** The reference's name on the server, uploading it first unless it already is there. */
  nameOf(reference: ReferenceImage, signal: AbortSignal): Promise<string> {
    const hash = contentHash(reference.bytes);
    let name = this.names.get(hash);
    if (name) {
      this.names.delete(hash);
    } else {
      name = this.send(referenceFileName(reference, hash), reference);
      // A failed upload is not remembered: the next request tries again.
      name.catch(() => {
        if (this.names.get(hash) === name) this.names.delete(hash);
      });
    }
    this.names.set(hash, name);
    if (this.names.size > CACHE_LIMIT) this.names.delete(this.names.keys().next().value!);
    return untilAborted(name, signal);
  }

  forget(reference: ReferenceImage): void {
    this.names.delete(contentHash(reference.bytes));
  }

  private async send(fileName: string, reference: ReferenceImage): Promise<string> {
    // Its own deadline rather than the first caller's signal: other variations wait on the same upload.
    const deadline = AbortSignal.timeout(UPLOAD_TIMEOUT_MS);
    try {
      return await this.upload(fileName, reference, deadline);
    } catch (error) {
      if (deadline.aborted) throw new BackendError(this.backend, `uploading the reference ${fileName} did not finish within ${UPLOAD_TIMEOUT_MS / 1000} s`, true);
      throw error;
    }
  }
}
