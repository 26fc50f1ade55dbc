// MongoDB wire protocol framing (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/).
// Every message starts with a 16-byte header: messageLength, requestID, responseTo, opCode (int32 LE).
//
// What the driver (mongodb 7.2 under mongoose 9.7.4) sends, observed with a logging spy (at LOG_LEVEL=trace the
// store logs every decoded request; test/wire.test.ts speaks these shapes by hand):
// - The first message on every connection (the monitor's and each pooled one) is a legacy OP_QUERY on
//   `admin.$cmd`: `{ ismaster: 1, helloOk: true, backpressure: true, client: { driver: { name:
//   'nodejs|Mongoose' }, ... }, compression: ['none'] }`. Its reply must be an OP_REPLY. Because we answer
//   `helloOk: true`, later heartbeats (every 10 s on the monitor connection) are OP_MSG `hello`.
// - Everything else is OP_MSG, flagBits 0, one kind-0 body with `$db` and `lsid` (sessions are on because the
//   hello reply has logicalSessionTimeoutMinutes). insert/update/delete carry documents/updates/deletes inline
//   in the body; the driver only uses kind-1 sequences for the 8.0 `bulkWrite` command, which needs a wire
//   version above ours, but they are decoded anyway. `$clusterTime` is only sent once a server returned one,
//   which we never do. endSessions is sent with writeConcern w:0, and w:0 writes set moreToCome (bit 1): no
//   reply may be sent for those.
// - mongoose model init sends `create` (autoCreate; error 48 if it exists, which mongoose ignores) then
//   `createIndexes` with driver-derived names (owner_1_slug_1); findById is `find` with limit 1 + singleBatch;
//   countDocuments is `aggregate [$match, $group {_id: 1, n: {$sum: 1}}]`; estimatedDocumentCount is `count`.
// - We never set checksumPresent in replies and offer no compression, so OP_COMPRESSED never arrives.
import { deserialize, serialize, type Document } from 'bson';
import { EncodedReply } from './cursorReply.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;
const HEADER_BYTES = 16;

export interface Header {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface Request {
  header: Header;
  /** The command document, kind-1 sections merged in as arrays under their identifiers. */
  command: Document;
  /** Legacy OP_QUERY handshakes need an OP_REPLY; everything else gets an OP_MSG. */
  legacy: boolean;
  /** The client asked for no reply (OP_MSG moreToCome, used by unacknowledged writes). */
  moreToCome: boolean;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** Length of the complete message at the start of `buffer`, or undefined while its header is incomplete. */
export function messageLength(buffer: Buffer): number | undefined {
  return buffer.length < 4 ? undefined : buffer.readInt32LE(0);
}

/**
 * Commands are decoded typed (promoteValues: false): an int64 or a double 3.0 a client writes keeps its BSON
 * type down to the journal (engine/typed.ts); the handlers promote what they match or compute with.
 */
const DESERIALIZE = { validation: { utf8: false }, promoteValues: false } as const;

export function decodeRequest(message: Buffer): Request {
  const header: Header = {
    messageLength: message.readInt32LE(0),
    requestId: message.readInt32LE(4),
    responseTo: message.readInt32LE(8),
    opCode: message.readInt32LE(12),
  };
  if (header.opCode === OP_MSG) return decodeMsg(header, message);
  if (header.opCode === OP_QUERY) return decodeQuery(header, message);
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function decodeMsg(header: Header, message: Buffer): Request {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  let at = HEADER_BYTES + 4;
  while (at < end) {
    const kind = message[at];
    at += 1;
    const size = message.readInt32LE(at);
    if (kind === 0) {
      command = deserialize(message.subarray(at, at + size), DESERIALIZE);
      at += size;
    } else if (kind === 1) {
      const sectionEnd = at + size;
      const nameEnd = message.indexOf(0, at + 4);
      const identifier = message.toString('utf8', at + 4, nameEnd);
      const documents: Document[] = [];
      for (let doc = nameEnd + 1; doc < sectionEnd; ) {
        const docSize = message.readInt32LE(doc);
        documents.push(deserialize(message.subarray(doc, doc + docSize), DESERIALIZE));
        doc += docSize;
      }
      sequences.push([identifier, documents]);
      at = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new ProtocolError('OP_MSG without a body section');
  for (const [identifier, documents] of sequences) command[identifier] = documents;
  return { header, command, legacy: false, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function decodeQuery(header: Header, message: Buffer): Request {
  const nameEnd = message.indexOf(0, HEADER_BYTES + 4);
  const collection = message.toString('utf8', HEADER_BYTES + 4, nameEnd);
  const queryAt = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(queryAt);
  let command = deserialize(message.subarray(queryAt, queryAt + size), DESERIALIZE);
  // Legacy commands may arrive wrapped as { $query: {...}, $readPreference: ... }.
  if (command.$query && typeof command.$query === 'object') command = command.$query as Document;
  if (!collection.endsWith('.$cmd')) throw new ProtocolError(`OP_QUERY is only supported for commands, got ${collection}`);
  command.$db ??= collection.slice(0, -'.$cmd'.length);
  return { header, command, legacy: true, moreToCome: false };
}

let nextRequestId = 1;

function writeHeader(buffer: Buffer, length: number, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

/** The reply message as its header part and its body (the commit group joins a connection's replies into one write). */
export function encodeReply(request: Request, reply: Document | EncodedReply): [Buffer, Buffer] {
  const body = reply instanceof EncodedReply ? reply.bytes : toBuffer(serialize(reply));
  if (request.legacy) {
    const prefix = Buffer.alloc(HEADER_BYTES + 20); // responseFlags 0, cursorID 0, startingFrom 0, numberReturned 1
    writeHeader(prefix, prefix.length + body.length, request.header.requestId, OP_REPLY);
    prefix.writeInt32LE(1, HEADER_BYTES + 16);
    return [prefix, body];
  }
  const prefix = Buffer.alloc(HEADER_BYTES + 5); // flagBits 0, section kind 0
  writeHeader(prefix, prefix.length + body.length, request.header.requestId, OP_MSG);
  return [prefix, body];
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
