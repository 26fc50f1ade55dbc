// Open cursors of find/aggregate/listIndexes/listCollections. Results are materialised as BSON when the cursor
// opens (a snapshot), then handed out batch by batch through getMore. Idle cursors die after 10 minutes, like
// the server's cursorTimeoutMillis default.
import type { Document } from 'bson';
import { cursorReply, type EncodedReply } from '../protocol/cursorReply.js';
import { encode } from './values.js';

const IDLE_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_FIRST_BATCH = 101;
/** A batch stops growing at 16 MiB, like the server's reply limit for cursor batches. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

interface OpenCursor {
  namespace: string;
  remaining: Buffer[];
  lastUsed: number;
}

export class CursorRegistry {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1 + Math.floor(Math.random() * 1_000_000);
  private readonly reaper: NodeJS.Timeout;

  constructor() {
    this.reaper = setInterval(() => this.reapIdle(), 60_000);
    this.reaper.unref();
  }

  /** The reply of a cursor-returning command: { cursor: { firstBatch, id, ns }, ok: 1 }. */
  first(namespace: string, results: Array<Buffer | Document>, batchSize: number | undefined, singleBatch = false): EncodedReply {
    const docs = results.map((doc) => (Buffer.isBuffer(doc) ? doc : encode(doc)));
    const batch = batchSize === 0 ? [] : takeBatch(docs, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (docs.length > 0 && !singleBatch) {
      id = this.nextId++;
      this.open.set(id, { namespace, remaining: docs, lastUsed: Date.now() });
    }
    return cursorReply('firstBatch', batch, id, namespace);
  }

  /** getMore: the next batch, or undefined for an unknown or exhausted id (the caller answers CursorNotFound). */
  more(id: number, namespace: string, batchSize: number | undefined): EncodedReply | undefined {
    const cursor = this.open.get(id);
    if (!cursor || cursor.namespace !== namespace) return undefined;
    const batch = takeBatch(cursor.remaining, batchSize ?? Infinity);
    cursor.lastUsed = Date.now();
    let replyId = id;
    if (cursor.remaining.length === 0) {
      this.open.delete(id);
      replyId = 0;
    }
    return cursorReply('nextBatch', batch, replyId, namespace);
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  close(): void {
    clearInterval(this.reaper);
    this.open.clear();
  }

  private reapIdle(): void {
    const now = Date.now();
    for (const [id, cursor] of this.open) if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) this.open.delete(id);
  }
}

/** Removes and returns the next batch from `docs`. */
function takeBatch(docs: Buffer[], batchSize: number): Buffer[] {
  const limit = batchSize <= 0 ? Infinity : batchSize;
  let count = 0;
  let bytes = 0;
  while (count < docs.length && count < limit) {
    bytes += (docs[count] as Buffer).length;
    if (bytes > MAX_BATCH_BYTES && count > 0) break;
    count += 1;
  }
  return docs.splice(0, count);
}
