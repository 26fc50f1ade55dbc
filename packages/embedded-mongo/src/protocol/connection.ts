// One client connection: reassembles messages from the TCP stream and runs each in order; replies leave
// through the commit group, after the journal write they depend on. The failCommand fail point is applied
// here, before a command runs: a command it holds (blockConnection) holds every later message of its
// connection too, as a connection serves one request at a time.
import type { Socket } from 'node:net';
import { deserialize, type Document } from 'bson';
import type { StoreLogger } from '../log.js';
import type { Catalog } from '../engine/catalog.js';
import type { CursorRegistry } from '../engine/cursors.js';
import { runCommand } from '../commands/dispatch.js';
import type { Sessions } from '../commands/sessions.js';
import type { BusyPoll } from './busyPoll.js';
import type { CommitGroup } from './commitGroup.js';
import { EncodedReply } from './cursorReply.js';
import type { FailAction, FailPoints } from './failPoints.js';
import { decodeRequest, messageLength, ProtocolError, type Request } from './wire.js';

/** Larger than the 48 MB maxMessageSizeBytes we advertise, so only a broken client trips it. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface ConnectionContext {
  connectionId: number;
  catalog: Catalog;
  cursors: CursorRegistry;
  sessions: Sessions;
  failPoints: FailPoints;
  commits: CommitGroup;
  busyPoll: BusyPoll;
  logger: StoreLogger | undefined;
}

export function serveConnection(socket: Socket, context: ConnectionContext): void {
  const { connectionId, logger } = context;
  // Chunks are kept apart until a whole message is there: concatenating on every chunk made a large insert
  // (megabytes in 64 KiB chunks) cost quadratic copying.
  let chunks: Buffer[] = [];
  let bufferedBytes = 0;
  /** Messages that arrived while a blocked command held the connection. */
  const held: Request[] = [];
  let blocked = false;
  /** The application name the client gave in its handshake (client.application.name), for fail points. */
  let appName: string | undefined;

  const execute = (request: Request, action: FailAction | undefined): void => {
    if (action?.kind === 'error') return context.commits.add(socket, request, action.reply);
    const reply = runCommand(request.command, { catalog: context.catalog, cursors: context.cursors, sessions: context.sessions, failPoints: context.failPoints, connectionId }, logger);
    if (action?.kind === 'writeConcernError') {
      const body = reply instanceof EncodedReply ? deserialize(reply.bytes) : reply;
      return context.commits.add(socket, request, { ...body, writeConcernError: action.writeConcernError });
    }
    context.commits.add(socket, request, reply);
  };

  const handle = (request: Request): void => {
    if (blocked) {
      held.push(request);
      return;
    }
    const client = (request.command as Document).client as Document | undefined;
    if (client && typeof (client.application as Document | undefined)?.name === 'string') appName = (client.application as Document).name as string;
    const action = context.failPoints.check(request.command, appName);
    if (action?.kind === 'close') {
      socket.destroy();
      return;
    }
    if (action?.kind !== 'block') return execute(request, action);
    blocked = true;
    setTimeout(() => {
      blocked = false;
      if (socket.destroyed) return;
      execute(request, action.then);
      for (const next of held.splice(0)) handle(next);
    }, action.ms);
  };

  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    context.busyPoll.requestArrived();
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
      let request: Request;
      try {
        request = decodeRequest(message);
      } catch (error) {
        // Command failures are already replies; anything thrown here means the bytes themselves are unusable.
        const level = error instanceof ProtocolError ? 'warn' : 'error';
        logger?.[level]({ connectionId, err: { message: (error as Error).message } }, 'embedded store: unreadable message, closing connection');
        socket.destroy();
        return;
      }
      logger?.trace({ connectionId, opCode: request.header.opCode, command: request.command }, 'embedded store request');
      handle(request);
    }
  });
  socket.on('error', (error) => logger?.debug({ connectionId, err: error }, 'embedded store connection error'));
}
