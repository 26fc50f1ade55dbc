// Runs the store on a worker thread, so the store and the service's own JavaScript (mongoose, GraphQL) use
// two cores instead of sharing one event loop. The worker is the compiled thread.js beside this file; when
// it does not exist (TypeScript run from source, as under vitest) the caller falls back to the same thread.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LogLevel, StoreLogger } from './log.js';
import { serve, type RunningServer, type StoreSettings } from './server.js';

type ToParent = { kind: 'listening'; port: number } | { kind: 'failed'; message: string } | { kind: 'log'; level: LogLevel; fields: object; message: string } | { kind: 'closed' };

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
const STORE_YOUNG_GENERATION_MB = 8;

export function workerScript(): string | undefined {
  const script = fileURLToPath(new URL('./thread.js', import.meta.url));
  return fs.existsSync(script) ? script : undefined;
}

export async function serveOnThread(script: string, settings: StoreSettings, logger: StoreLogger | undefined, logLevel: LogLevel): Promise<RunningServer> {
  // A small young generation: the store's garbage is per-request buffers that die young, and V8's default let
  // it grow to 32 MB of resident memory. At 8 MB the RSS of the service with 1,000 sets in flight fell by about
  // 20 MB and mongoose's throughput against the store did not change (bench/embedded-store, bench/pipeline).
  const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: STORE_YOUNG_GENERATION_MB }, workerData: { settings, logLevel: logger ? logLevel : 'error', forwardLogs: Boolean(logger) } });
  let closed: (() => void) | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (error) => logger?.error({ err: { message: error.message, stack: error.stack } }, 'embedded store thread failed'));
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (message: ToParent) => {
      if (message.kind === 'listening') resolve(message.port);
      else if (message.kind === 'failed') reject(new Error(message.message));
      else if (message.kind === 'log') logger?.[message.level](message.fields, message.message);
      else if (message.kind === 'closed') closed?.();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`embedded store thread exited with code ${code}`)));
  });
  let closing: Promise<void> | undefined;
  return {
    port,
    eventLoopUtilization: () => worker.performance.eventLoopUtilization(),
    close() {
      closing ??= (async () => {
        const closedCleanly = new Promise<void>((resolve) => {
          closed = resolve;
          worker.postMessage('close');
        });
        await Promise.race([closedCleanly, exited]);
        await worker.terminate();
      })();
      return closing;
    },
  };
}

function threadLogger(threshold: LogLevel): StoreLogger {
  const send = (level: LogLevel) => (fields: object, message: string) => {
    if (LEVELS.indexOf(level) >= LEVELS.indexOf(threshold)) parentPort?.postMessage({ kind: 'log', level, fields: JSON.parse(JSON.stringify(fields)) as object, message } satisfies ToParent);
  };
  return { trace: send('trace'), debug: send('debug'), info: send('info'), warn: send('warn'), error: send('error') };
}

if (!isMainThread && parentPort && (workerData as { settings?: StoreSettings } | undefined)?.settings) {
  const { settings, logLevel, forwardLogs } = workerData as { settings: StoreSettings; logLevel: LogLevel; forwardLogs: boolean };
  const port = parentPort;
  try {
    const server = await serve(settings, forwardLogs ? threadLogger(logLevel) : undefined);
    port.on('message', (message) => {
      if (message === 'close') void server.close().then(() => port.postMessage({ kind: 'closed' } satisfies ToParent));
    });
    port.postMessage({ kind: 'listening', port: server.port } satisfies ToParent);
  } catch (error) {
    port.postMessage({ kind: 'failed', message: (error as Error).message } satisfies ToParent);
  }
}
