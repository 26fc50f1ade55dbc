// One journal record: [u32 bodyLength][u32 crc32(body)][body], body = [u8 op][u16 nameLength][name][payload].
// The CRC makes a torn or half-written last record (crash mid-append) detectable, so loading stops there
// instead of reading garbage.
import { crc32 } from 'node:zlib';

export const enum RecordOp {
  /** payload: the whole document (BSON); replaces any document with the same _id. */
  Put = 1,
  /** payload: BSON { _id }. */
  Delete = 2,
  /** payload: BSON { uuid, options }. */
  CreateCollection = 3,
  /** payload: empty. */
  DropCollection = 4,
  /** payload: BSON index spec. */
  CreateIndex = 5,
  /** payload: index name (utf8). */
  DropIndex = 6,
  /** payload: BSON { options }: the collection's options after collMod. */
  SetOptions = 7,
}

export interface JournalRecord {
  op: RecordOp;
  collection: string;
  payload: Buffer;
}

export const PREFIX_BYTES = 8;

/** Bytes between a record's start and its payload. */
export function payloadStart(record: JournalRecord): number {
  return PREFIX_BYTES + 3 + Buffer.byteLength(record.collection);
}

export function encodeRecord(record: JournalRecord): Buffer {
  const nameLength = Buffer.byteLength(record.collection);
  const out = Buffer.allocUnsafe(PREFIX_BYTES + 3 + nameLength + record.payload.length);
  const body = out.subarray(PREFIX_BYTES);
  body[0] = record.op;
  body.writeUInt16LE(nameLength, 1);
  body.write(record.collection, 3);
  record.payload.copy(body, 3 + nameLength);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body), 4);
  return out;
}

export type DecodeStep =
  | { kind: 'record'; record: JournalRecord; size: number }
  /** More bytes are needed (at least `size` in total) to decide. */
  | { kind: 'incomplete'; size: number }
  /** The bytes here are not a valid record: a torn write. */
  | { kind: 'corrupt' };

/** Decodes the record at the start of `bytes`. */
export function decodeRecord(bytes: Buffer): DecodeStep {
  if (bytes.length < PREFIX_BYTES) return { kind: 'incomplete', size: PREFIX_BYTES };
  const length = bytes.readUInt32LE(0);
  if (length < 3) return { kind: 'corrupt' };
  const size = PREFIX_BYTES + length;
  if (bytes.length < size) return { kind: 'incomplete', size };
  const body = bytes.subarray(PREFIX_BYTES, size);
  if (crc32(body) !== bytes.readUInt32LE(4)) return { kind: 'corrupt' };
  const nameLength = body.readUInt16LE(1);
  if (3 + nameLength > body.length) return { kind: 'corrupt' };
  return {
    kind: 'record',
    size,
    record: { op: body[0] as RecordOp, collection: body.toString('utf8', 3, 3 + nameLength), payload: body.subarray(3 + nameLength) },
  };
}
