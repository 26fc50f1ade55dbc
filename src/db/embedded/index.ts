// The embedded MongoDB-wire-compatible store: a TCP server on 127.0.0.1 that the official driver and mongoose
// reach with mongodb://127.0.0.1:PORT, persisting each database to <dataDir>/<db>.journal. See README.md here.
import net from 'node:net';
import type { Logger } from 'pino';
import { Catalog } from './engine/catalog.js';
import { CursorRegistry } from './engine/cursors.js';
import { serveConnection } from './protocol/connection.js';

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  host?: string;
  logger?: Logger;
  /** fdatasync period in ms; 0 = fdatasync before every acknowledgement. Default 100. */
  syncIntervalMs?: number;
  /** Journal size from which compaction may run (when over twice the live data). Default 16 MiB. */
  compactMinBytes?: number;
}

export interface EmbeddedStore {
  /** mongodb://HOST:PORT (append a database name). */
  uri: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger?.child({ component: 'embedded-store' });
  const started = Date.now();
  const { catalog, reports } = Catalog.open(options.dataDir, { syncIntervalMs: options.syncIntervalMs ?? 100, compactMinBytes: options.compactMinBytes ?? 16 << 20 });
  for (const [database, report] of reports) {
    if (report.tornBytes > 0) logger?.warn({ database, tornBytes: report.tornBytes }, 'embedded store: cut a torn record off the end of the journal (crash during a write that was never acknowledged)');
  }
  const cursors = new CursorRegistry();
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, nextConnectionId++, catalog, cursors, logger);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  logger?.info({ dataDir: options.dataDir, port, databases: reports.size, loadMs: Date.now() - started }, 'embedded store listening');
  let closed = false;
  return {
    uri: `mongodb://${host}:${port}`,
    port,
    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      cursors.close();
      catalog.close();
    },
  };
}
