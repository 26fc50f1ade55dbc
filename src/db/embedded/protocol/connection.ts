// One client connection: reassembles messages from the TCP stream and answers each in order.
import type { Socket } from 'node:net';
import type { StoreLogger } from '../log.js';
import type { Catalog } from '../engine/catalog.js';
import type { CursorRegistry } from '../engine/cursors.js';
import { runCommand } from '../commands/dispatch.js';
import { decodeRequest, encodeReply, messageLength, ProtocolError } from './wire.js';

/** Larger than the 48 MB maxMessageSizeBytes we advertise, so only a broken client trips it. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function serveConnection(socket: Socket, connectionId: number, catalog: Catalog, cursors: CursorRegistry, logger: StoreLogger | undefined): void {
  let buffered: Buffer = Buffer.alloc(0);
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      const length = messageLength(buffered);
      if (length === undefined || buffered.length < length) return;
      if (length < 16 || length > MAX_MESSAGE_BYTES) {
        logger?.warn({ connectionId, length }, 'embedded store: invalid message length, closing connection');
        socket.destroy();
        return;
      }
      const message = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      try {
        const request = decodeRequest(message);
        logger?.trace({ connectionId, opCode: request.header.opCode, command: request.command }, 'embedded store request');
        const reply = runCommand(request.command, { catalog, cursors, connectionId }, logger);
        if (!request.moreToCome) socket.write(encodeReply(request, reply));
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
