// Group commit: the replies of every command that ran in one turn of the event loop wait together, the
// journals are written once (one write(2) per database that changed, instead of one per command), and only
// then do the replies leave, one write per connection. "Written before acknowledged" still holds for each
// reply, including reads that saw a write of the same turn. Commands arriving together (several pooled
// connections, a client's pipelined messages) land in the same poll phase, so they share the write; a lone
// command waits only until setImmediate, which runs right after that poll phase.
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import type { StoreLogger } from '../log.js';
import type { EncodedReply } from './cursorReply.js';
import { encodeReply, type Request } from './wire.js';

interface Waiting {
  socket: Socket;
  request: Request;
  reply: Document | EncodedReply;
}

export class CommitGroup {
  private waiting: Waiting[] = [];
  private scheduled = false;

  /** `flush` writes every journal's buffered records (it throws when the file cannot take them). */
  constructor(
    private readonly flush: () => void,
    private readonly logger: StoreLogger | undefined,
  ) {}

  /** Queues a command's reply; `moreToCome` requests are queued too, since their records join the flush. */
  add(socket: Socket, request: Request, reply: Document | EncodedReply): void {
    this.waiting.push({ socket, request, reply });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.commit());
    }
  }

  private commit(): void {
    const group = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    let failure: CommandError | undefined;
    try {
      this.flush();
    } catch (error) {
      // Nothing of this group may be acknowledged as written: every reply becomes the error.
      this.logger?.error({ err: error }, 'embedded store: journal write failed');
      failure = new CommandError('InternalError', `journal write failed: ${(error as Error).message}`);
    }
    const bySocket = new Map<Socket, Buffer[]>();
    for (const { socket, request, reply } of group) {
      if (request.moreToCome || socket.destroyed) continue;
      const parts = bySocket.get(socket) ?? [];
      parts.push(...encodeReply(request, failure ? failure.toReply() : reply));
      bySocket.set(socket, parts);
    }
    // One buffer per connection: a plain write costs the store thread less than a corked writev of parts.
    for (const [socket, parts] of bySocket) socket.write(Buffer.concat(parts));
  }
}
