// Reading a few fields straight from a document's BSON bytes, decoding only those values. Restarts and
// equality matches need _id and indexed fields; decoding whole documents (mostly long strings) for them
// dominated restart time.
import { deserialize, type Document } from 'bson';

/** Size in bytes of an element's value, by BSON type (https://bsonspec.org/spec.html). */
function valueSize(bytes: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: return 8; // double, UTC datetime, timestamp, int64
    case 0x02: case 0x0d: case 0x0e: return 4 + bytes.readInt32LE(at); // string, JS code, symbol
    case 0x03: case 0x04: case 0x0f: return bytes.readInt32LE(at); // document, array, code with scope
    case 0x05: return 5 + bytes.readInt32LE(at); // binary: length, subtype, bytes
    case 0x06: case 0x0a: case 0x7f: case 0xff: return 0; // undefined, null, maxKey, minKey
    case 0x07: return 12; // ObjectId
    case 0x08: return 1; // boolean
    case 0x0b: { // regex: two cstrings
      const first = bytes.indexOf(0, at);
      return bytes.indexOf(0, first + 1) + 1 - at;
    }
    case 0x0c: return 4 + bytes.readInt32LE(at) + 12; // DBPointer
    case 0x10: return 4; // int32
    case 0x13: return 16; // decimal128
    default: throw new Error(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** Decodes one element's value by wrapping it in a minimal document { v: value }. */
function decodeValue(bytes: Buffer, type: number, at: number, size: number): unknown {
  const mini = Buffer.allocUnsafe(4 + 1 + 2 + size + 1);
  mini.writeInt32LE(mini.length, 0);
  mini[4] = type;
  mini[5] = 0x76; // 'v'
  mini[6] = 0;
  bytes.copy(mini, 7, at, at + size);
  mini[mini.length - 1] = 0;
  return deserialize(mini).v;
}

/**
 * A partial document holding only `paths` (dotted), with sub-documents rebuilt along the way. An array met
 * before the end of a path is decoded whole, so array traversal still sees every element.
 */
export function pickFields(bytes: Buffer, paths: string[], start = 0): Document {
  const wanted = new Map<string, string[]>();
  for (const path of paths) {
    const dot = path.indexOf('.');
    const head = dot === -1 ? path : path.slice(0, dot);
    const rest = wanted.get(head) ?? [];
    if (dot !== -1) rest.push(path.slice(dot + 1));
    else rest.push('');
    wanted.set(head, rest);
  }
  const result: Document = {};
  const end = start + bytes.readInt32LE(start) - 1;
  let at = start + 4;
  while (at < end && wanted.size > Object.keys(result).length) {
    const type = bytes[at] as number;
    const nameEnd = bytes.indexOf(0, at + 1);
    const name = bytes.toString('utf8', at + 1, nameEnd);
    const valueAt = nameEnd + 1;
    const size = valueSize(bytes, type, valueAt);
    const rest = wanted.get(name);
    if (rest) {
      const whole = rest.includes('') || type !== 0x03;
      result[name] = whole ? decodeValue(bytes, type, valueAt, size) : pickFields(bytes, rest, valueAt);
    }
    at = valueAt + size;
  }
  return result;
}

/** Whether a document holds a decimal128 anywhere (element types only: no value is decoded). */
export function containsDecimal(bytes: Buffer, start = 0): boolean {
  const end = start + bytes.readInt32LE(start) - 1;
  for (let at = start + 4; at < end; ) {
    const type = bytes[at] as number;
    const valueAt = bytes.indexOf(0, at + 1) + 1;
    if (type === 0x13) return true;
    if ((type === 0x03 || type === 0x04) && containsDecimal(bytes, valueAt)) return true;
    at = valueAt + valueSize(bytes, type, valueAt);
  }
  return false;
}
