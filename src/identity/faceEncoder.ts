// The default IdentityEncoder: the face model (faceModel.ts) on a worker thread of its own, started by the
// first request — a service that never scores an image never loads a model or pays its memory — and fed one
// image at a time from a queue here, so waiting requests can still be cancelled and none waits on the
// service's event loop.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EncoderUnavailableError, InvalidImageError } from '../domain/errors.js';
import type { FaceEmbedding, IdentityEncoder } from '../ports.js';
import { checkImageBytes } from './limits.js';
import { encoderFiles } from './modelFiles.js';
import type { FromThread, ThreadSettings, ToThread } from './protocol.js';

const THREAD_YOUNG_GENERATION_MB = 8;
/** A thread that dies this many times after loading is not restarted again: something is wrong for good. */
const MAX_RESTARTS = 3;

export type EncoderState = 'idle' | 'starting' | 'ready' | 'unavailable' | 'closed';

interface Job {
  id: number;
  image: Uint8Array;
  resolve(embedding: FaceEmbedding): void;
  reject(error: unknown): void;
  /** Set once the caller has its answer (or gave up): a late answer from the thread is dropped. */
  settled: boolean;
}

/**
 * The compiled thread.js beside this module; run from TypeScript sources (vitest), the copy the build made
 * (test/support/globalSetup.ts builds before every test run), since a worker thread cannot load .ts files.
 */
function threadScript(): string {
  for (const candidate of ['./thread.js', '../../dist/src/identity/thread.js']) {
    const script = fileURLToPath(new URL(candidate, import.meta.url));
    if (fs.existsSync(script)) return script;
  }
  throw new EncoderUnavailableError('the identity encoder thread is not built (run `npm run build`)');
}

function modelName(): { model: string; problem?: string } {
  try {
    return { model: `faceres (@vladmandic/human ${encoderFiles().humanVersion})` };
  } catch (error) {
    return { model: 'faceres (@vladmandic/human, not installed)', problem: `the face model's package is not installed: ${(error as Error).message}` };
  }
}

export interface FaceEncoderOptions {
  /** Folder holding the model files instead of the installed package's (tests use it to lose them). */
  modelsDir?: string;
}

export class HumanFaceEncoder implements IdentityEncoder {
  readonly model: string;
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly queue: Job[] = [];
  private inFlight: Job | undefined;
  private nextId = 1;
  private restarts = 0;
  /** Why the encoder cannot run, once it is known it never will (model files missing, WebAssembly failed). */
  private unavailable: string | undefined;
  private closed = false;

  constructor(private readonly options: FaceEncoderOptions = {}) {
    const { model, problem } = modelName();
    this.model = model;
    this.unavailable = problem;
  }

  get state(): EncoderState {
    if (this.closed) return 'closed';
    if (this.unavailable) return 'unavailable';
    if (this.worker) return 'ready';
    return this.starting ? 'starting' : 'idle';
  }

  async embed(image: Uint8Array, signal?: AbortSignal): Promise<FaceEmbedding> {
    signal?.throwIfAborted();
    if (this.closed) throw new EncoderUnavailableError('the identity encoder is closed');
    checkImageBytes(image);
    if (this.unavailable) throw new EncoderUnavailableError(this.unavailable);
    return new Promise<FaceEmbedding>((resolve, reject) => {
      const job: Job = { id: this.nextId++, image, resolve, reject, settled: false };
      const onAbort = () => {
        const queued = this.queue.indexOf(job);
        if (queued >= 0) this.queue.splice(queued, 1);
        // One already on the thread cannot be interrupted; its answer is dropped when it comes.
        this.settle(job, () => reject(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      job.resolve = (embedding) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(embedding);
      };
      job.reject = (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new EncoderUnavailableError('the identity encoder is closed'));
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    this.worker = undefined;
    await worker?.terminate();
  }

  private settle(job: Job, answer: () => void): void {
    if (job.settled) return;
    job.settled = true;
    answer();
  }

  private failAll(error: Error): void {
    const jobs = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const job of jobs) this.settle(job, () => job.reject(error));
  }

  /** Sends the next queued image once the thread is free (starting it on first use). */
  private pump(): void {
    if (this.inFlight || this.closed || this.unavailable) return;
    const job = this.queue.shift();
    if (!job) {
      // Idle: let the process exit if nothing else holds it, as it would without an encoder.
      this.worker?.unref();
      return;
    }
    this.inFlight = job;
    this.thread().then(
      (worker) => {
        if (this.inFlight !== job) return; // failed or closed meanwhile
        worker.ref();
        worker.postMessage({ kind: 'embed', id: job.id, image: job.image } satisfies ToThread);
      },
      (error: unknown) => {
        this.unavailable = error instanceof Error ? error.message : String(error);
        this.failAll(error instanceof EncoderUnavailableError ? error : new EncoderUnavailableError(this.unavailable));
      },
    );
  }

  private thread(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private start(): Promise<Worker> {
    return new Promise<Worker>((resolve, reject) => {
      // A small young generation, as for the embedded store's thread: the thread's garbage is per-image arrays
      // that die young, and V8's default lets it grow to tens of MB of resident memory.
      const worker = new Worker(threadScript(), { resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB }, workerData: { modelsDir: this.options.modelsDir } satisfies ThreadSettings });
      let loaded = false;
      let crash: string | undefined;
      worker.on('message', (message: FromThread) => {
        if (message.kind === 'ready') {
          loaded = true;
          this.worker = worker;
          resolve(worker);
        } else if (message.kind === 'unavailable') {
          reject(new EncoderUnavailableError(`the face model could not load: ${message.message}`));
          void worker.terminate(); // frees whatever half-loaded model it holds
        } else {
          this.answer(message);
        }
      });
      worker.on('error', (error) => (crash = error.message));
      worker.on('exit', (code) => {
        if (!loaded) {
          reject(new EncoderUnavailableError(`the identity encoder thread stopped while loading (${crash ?? `exit code ${code}`})`));
          return;
        }
        if (this.worker !== worker) return; // terminated by close()
        this.worker = undefined;
        const cause = `the identity encoder thread stopped (${crash ?? `exit code ${code}`})`;
        if (++this.restarts > MAX_RESTARTS) {
          this.unavailable = `${cause}, ${this.restarts} times; not restarted`;
          this.failAll(new EncoderUnavailableError(this.unavailable));
          return;
        }
        // The image on the thread may be what killed it: it fails, the queue goes on with a new thread.
        const job = this.inFlight;
        this.inFlight = undefined;
        if (job) this.settle(job, () => job.reject(new EncoderUnavailableError(cause)));
        this.pump();
      });
    });
  }

  private answer(message: Exclude<FromThread, { kind: 'ready' | 'unavailable' }>): void {
    const job = this.inFlight;
    if (!job || job.id !== message.id) return;
    this.inFlight = undefined;
    if (message.kind === 'embedded') this.settle(job, () => job.resolve(message.embedding));
    else this.settle(job, () => job.reject(message.invalidImage ? new InvalidImageError(message.message) : new EncoderUnavailableError(`the identity encoder failed on an image: ${message.message}`)));
    this.pump();
  }
}
