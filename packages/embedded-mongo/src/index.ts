// The embedded MongoDB-wire-compatible store: a TCP server on 127.0.0.1 that the official driver and mongoose
// reach with mongodb://127.0.0.1:PORT, persisting each database to <dataDir>/<db>.journal. See README.md here.
import os from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { HostLogger, LogLevel, StoreLogger } from './log.js';
import { serve, type StoreSettings } from './server.js';
import { serveOnThread, workerScript } from './thread.js';

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  host?: string;
  logger?: HostLogger;
  /** fdatasync period in ms; 0 = fdatasync before every acknowledgement. Default 100. */
  syncIntervalMs?: number;
  /** Journal size from which compaction may run (when over twice the live data). Default 16 MiB. */
  compactMinBytes?: number;
  /** Also listen on this unix socket path. */
  socketPath?: string;
  /** Serve from a worker thread (default) or from the caller's event loop. */
  thread?: boolean;
  /**
   * µs the store's thread keeps polling after a request before it sleeps (protocol/busyPoll.ts). Default 250 on
   * its own thread, but 0 on a one-core machine, where polling would take the only core from the client it
   * waits for; always 0 on the caller's thread, whose loop must sleep when the service has nothing to do.
   */
  busyPollUs?: number;
}

export interface EmbeddedStore {
  /** mongodb://HOST:PORT (append a database name). */
  uri: string;
  port: number;
  /** Whether the store runs on its own worker thread. */
  threaded: boolean;
  /** Busy time of the loop serving the store (its own thread's when threaded): where a benchmark's time goes. */
  eventLoopUtilization(): EventLoopUtilization;
  close(): Promise<void>;
}

const DEFAULT_BUSY_POLL_US = 250;

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const script = options.thread === false ? undefined : workerScript();
  const settings: StoreSettings = {
    dataDir: options.dataDir,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    syncIntervalMs: options.syncIntervalMs ?? 100,
    compactMinBytes: options.compactMinBytes ?? 16 << 20,
    socketPath: options.socketPath,
    busyPollUs: script ? (options.busyPollUs ?? (os.availableParallelism() > 1 ? DEFAULT_BUSY_POLL_US : 0)) : 0,
  };
  const logger: StoreLogger | undefined = options.logger?.child({ component: 'embedded-store' });
  const server = script ? await serveOnThread(script, settings, logger, levelOf(options.logger)) : await serve(settings, logger);
  return { uri: `mongodb://${settings.host}:${server.port}`, port: server.port, threaded: script !== undefined, eventLoopUtilization: () => server.eventLoopUtilization(), close: () => server.close() };
}

function levelOf(logger: HostLogger | undefined): LogLevel {
  const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn'];
  return levels.find((level) => level === logger?.level) ?? 'error';
}

export type { HostLogger, LogLevel, StoreLogger } from './log.js';
