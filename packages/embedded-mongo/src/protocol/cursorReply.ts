// Cursor replies assembled from stored BSON bytes: documents a find returns unchanged go from the journal to
// the socket without being decoded and re-encoded, copied once into the reply.
import { serialize, type Document } from 'bson';


/** A reply body that is already BSON (the dispatcher passes it through instead of serialising). */
export class EncodedReply {
  constructor(readonly bytes: Buffer) {}
}

const TYPE_DOUBLE = 0x01;
const TYPE_STRING = 0x02;
const TYPE_DOCUMENT = 0x03;
const TYPE_ARRAY = 0x04;
const TYPE_INT64 = 0x12;

/** Bytes of an element header: type byte, name, NUL. */
function nameBytes(name: string): number {
  return 1 + Buffer.byteLength(name) + 1;
}

/**
 * { cursor: { firstBatch | nextBatch: [...docs], id: Long, ns }, ok: 1 }, sized first and written into one
 * buffer (building it from nested concatenations copied every document three times).
 */
export function cursorReply(batchName: 'firstBatch' | 'nextBatch', docs: Buffer[], id: number, namespace: string): EncodedReply {
  let arrayBytes = 4 + 1;
  for (const [index, doc] of docs.entries()) arrayBytes += nameBytes(String(index)) + doc.length;
  const nsBytes = Buffer.byteLength(namespace);
  const cursorBytes = 4 + nameBytes(batchName) + arrayBytes + nameBytes('id') + 8 + nameBytes('ns') + 4 + nsBytes + 1 + 1;
  const total = 4 + nameBytes('cursor') + cursorBytes + nameBytes('ok') + 8 + 1;
  const out = Buffer.allocUnsafe(total);
  let at = out.writeInt32LE(total, 0);
  at = writeName(out, at, TYPE_DOCUMENT, 'cursor');
  at = out.writeInt32LE(cursorBytes, at);
  at = writeName(out, at, TYPE_ARRAY, batchName);
  at = out.writeInt32LE(arrayBytes, at);
  for (const [index, doc] of docs.entries()) {
    at = writeName(out, at, TYPE_DOCUMENT, String(index));
    at += doc.copy(out, at);
  }
  out[at++] = 0; // end of the array
  at = writeName(out, at, TYPE_INT64, 'id');
  at = out.writeBigInt64LE(BigInt(id), at);
  at = writeName(out, at, TYPE_STRING, 'ns');
  at = out.writeInt32LE(nsBytes + 1, at);
  at += out.write(namespace, at, 'utf8');
  out[at++] = 0; // end of the ns string
  out[at++] = 0; // end of the cursor document
  at = writeName(out, at, TYPE_DOUBLE, 'ok');
  at = out.writeDoubleLE(1, at);
  out[at] = 0;
  return new EncodedReply(out);
}

function writeName(out: Buffer, at: number, type: number, name: string): number {
  out[at] = type;
  const end = at + 1 + out.write(name, at + 1, 'utf8');
  out[end] = 0;
  return end + 1;
}


/**
 * `fields` serialised, plus `name` holding a document that is already BSON (findAndModify's value: the bytes
 * just journalled go out as they are instead of being encoded a second time).
 */
export function replyWithDocument(fields: Document, name: string, doc: Buffer): EncodedReply {
  const head = serialize(fields);
  const total = head.length + nameBytes(name) + doc.length;
  const out = Buffer.allocUnsafe(total);
  out.writeInt32LE(total, 0);
  out.set(head.subarray(4, head.length - 1), 4);
  let at = writeName(out, head.length - 1, TYPE_DOCUMENT, name);
  at += doc.copy(out, at);
  out[at] = 0;
  return new EncodedReply(out);
}
