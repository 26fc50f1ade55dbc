// One client connection: reassembles messages from the TCP stream and runs each in order; replies leave
// through the commit group, after the journal write they depend on.
import type { Socket } from 'node:net';
import type { StoreLogger } from '../log.js';
import type { Catalog } from '../engine/catalog.js';
import type { CursorRegistry } from '../engine/cursors.js';
import { runCommand } from '../commands/dispatch.js';
import type { BusyPoll } from './busyPoll.js';
import type { CommitGroup } from './commitGroup.js';
import { decodeRequest, messageLength, ProtocolError } from './wire.js';

/** Larger than the 48 MB maxMessageSizeBytes we advertise, so only a broken client trips it. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface ConnectionContext {
  connectionId: number;
  catalog: Catalog;
  cursors: CursorRegistry;
  commits: CommitGroup;
  busyPoll: BusyPoll;
  logger: StoreLogger | undefined;
}

export function serveConnection(socket: Socket, { connectionId, catalog, cursors, commits, busyPoll, logger }: ConnectionContext): void {
  // Chunks are kept apart until a whole message is there: concatenating on every chunk made a large insert
  // (megabytes in 64 KiB chunks) cost quadratic copying.
  let chunks: Buffer[] = [];
  let bufferedBytes = 0;
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    busyPoll.requestArrived();
    chunks.push(chunk);
    bufferedBytes += chunk.length;
    for (;;) {
      if (chunks.length > 1 && (chunks[0] as Buffer).length < 4) chunks = [Buffer.concat(chunks)];
      const length = messageLength(chunks[0] ?? Buffer.alloc(0));
      if (length === undefined || bufferedBytes < length) return;
      if (length < 16 || length > MAX_MESSAGE_BYTES) {
        logger?.warn({ connectionId, length }, 'embedded store: invalid message length, closing connection');
        socket.destroy();
        return;
      }
      const buffered = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bufferedBytes);
      const message = buffered.subarray(0, length);
      const rest = buffered.subarray(length);
      chunks = rest.length > 0 ? [rest] : [];
      bufferedBytes = rest.length;
      try {
        const request = decodeRequest(message);
        logger?.trace({ connectionId, opCode: request.header.opCode, command: request.command }, 'embedded store request');
        const reply = runCommand(request.command, { catalog, cursors, connectionId }, logger);
        commits.add(socket, request, reply);
      } catch (error) {
        // Command failures are already replies; anything thrown here means the bytes themselves are unusable.
        const level = error instanceof ProtocolError ? 'warn' : 'error';
        logger?.[level]({ connectionId, err: { message: (error as Error).message } }, 'embedded store: unreadable message, closing connection');
        socket.destroy();
        return;
      }
    }
  });
  socket.on('error', (error) => logger?.debug({ connectionId, err: error }, 'embedded store connection error'));
}
