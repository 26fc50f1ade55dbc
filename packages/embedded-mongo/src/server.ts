// The store itself, on whichever thread runs it: loads the journals, listens on TCP, serves connections.
import fs from 'node:fs';
import net from 'node:net';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Catalog } from './engine/catalog.js';
import { Sessions } from './commands/sessions.js';
import { CursorRegistry } from './engine/cursors.js';
import type { StoreLogger } from './log.js';
import { BusyPoll } from './protocol/busyPoll.js';
import { CommitGroup } from './protocol/commitGroup.js';
import { serveConnection } from './protocol/connection.js';
import { FailPoints } from './protocol/failPoints.js';
import { lockFolder } from './storage/lock.js';

export interface StoreSettings {
  dataDir: string;
  port: number;
  host: string;
  /** Also listen on this unix socket (cheaper than loopback TCP for a client in the same process). */
  socketPath?: string;
  /** fdatasync period in ms; 0 = fdatasync before every acknowledgement. */
  syncIntervalMs: number;
  /** Journal size from which compaction may run (when over twice the live data). */
  compactMinBytes: number;
  /** How long the loop keeps polling after a request before it sleeps, in µs; 0 = sleep at once (protocol/busyPoll.ts). */
  busyPollUs: number;
}

export interface RunningServer {
  port: number;
  /** How busy the event loop that serves the store has been (the worker's when threaded). */
  eventLoopUtilization(): EventLoopUtilization;
  close(): Promise<void>;
}

export async function serve(settings: StoreSettings, logger: StoreLogger | undefined): Promise<RunningServer> {
  const started = Date.now();
  fs.mkdirSync(settings.dataDir, { recursive: true });
  const lock = lockFolder(settings.dataDir);
  let opened: ReturnType<typeof Catalog.open>;
  try {
    opened = Catalog.open(settings.dataDir, { syncIntervalMs: settings.syncIntervalMs, compactMinBytes: settings.compactMinBytes });
  } catch (error) {
    lock.release();
    throw error;
  }
  const { catalog, reports } = opened;
  for (const [database, report] of reports) {
    if (report.tornBytes > 0) logger?.warn({ database, tornBytes: report.tornBytes }, 'embedded store: cut a torn record off the end of the journal (a crash during a write that was never acknowledged)');
  }
  const cursors = new CursorRegistry();
  const sessions = new Sessions();
  const failPoints = new FailPoints();
  const commits = new CommitGroup(() => catalog.flush(), logger);
  const busyPoll = new BusyPoll(settings.busyPollUs);
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, { connectionId: nextConnectionId++, catalog, cursors, sessions, failPoints, commits, busyPoll, logger });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => resolve());
    });
  } catch (error) {
    catalog.close();
    lock.release();
    throw error;
  }
  const port = (server.address() as net.AddressInfo).port;
  let unixServer: net.Server | undefined;
  if (settings.socketPath) {
    fs.rmSync(settings.socketPath, { force: true });
    unixServer = net.createServer((socket) => server.emit('connection', socket));
    await new Promise<void>((resolve) => unixServer!.listen(settings.socketPath, () => resolve()));
  }
  logger?.info({ dataDir: settings.dataDir, port, databases: reports.size, loadMs: Date.now() - started }, 'embedded store listening');
  let closing: Promise<void> | undefined;
  return {
    port,
    eventLoopUtilization: () => performance.eventLoopUtilization(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const unixStopped = new Promise<void>((resolve) => (unixServer ? unixServer.close(() => resolve()) : resolve()));
        for (const socket of sockets) socket.destroy();
        await Promise.all([stopped, unixStopped]);
        cursors.close();
        catalog.close();
        lock.release();
      })();
      return closing;
    },
  };
}
