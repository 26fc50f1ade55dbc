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
}

export interface JournalRecord {
  op: RecordOp;
  collection: string;
  payload: Buffer;
}

const PREFIX_BYTES = 8;

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

export interface DecodeResult {
  records: JournalRecord[];
  /** Bytes of intact records; anything past it is a torn tail to cut off. */
  validBytes: number;
}

/** Decodes records until the end of the file or the first record that is incomplete or fails its CRC. */
export function* decodeRecords(file: Buffer, result: { validBytes: number }): Generator<JournalRecord> {
  let at = 0;
  result.validBytes = 0;
  while (at + PREFIX_BYTES <= file.length) {
    const length = file.readUInt32LE(at);
    const end = at + PREFIX_BYTES + length;
    if (length < 3 || end > file.length) return;
    const body = file.subarray(at + PREFIX_BYTES, end);
    if (crc32(body) !== file.readUInt32LE(at + 4)) return;
    const nameLength = body.readUInt16LE(1);
    if (3 + nameLength > body.length) return;
    const record: JournalRecord = {
      op: body[0] as RecordOp,
      collection: body.toString('utf8', 3, 3 + nameLength),
      payload: body.subarray(3 + nameLength),
    };
    at = end;
    result.validBytes = at;
    yield record;
  }
}
