// Identity of BSON values for the _id map and index keys: two values MongoDB considers equal (1, 1.0 and
// NumberLong(1); two ObjectId instances with the same bytes) must produce the same key string.
import { EJSON, serialize, type Document } from 'bson';

export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'N';
  switch (typeof value) {
    case 'number':
      return `n${Object.is(value, -0) ? 0 : value}`;
    case 'bigint':
      return `n${value}`;
    case 'string':
      return `s${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      break;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (Array.isArray(value)) return `a[${value.map(valueKey).join(',')}]`;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'ObjectId') return `o${(value as { toHexString(): string }).toHexString()}`;
  if (bsonType === 'Long' || bsonType === 'Int32' || bsonType === 'Double') return `n${Number(value.valueOf())}`;
  // Equal to the other numbers of the same value, as the server compares them (to a double's precision here).
  if (bsonType === 'Decimal128') return `n${Number.parseFloat(String(value))}`;
  if (bsonType !== undefined) return `x${EJSON.stringify(value as Document, { relaxed: false })}`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${valueKey(v)}`);
  return `{${entries.join(',')}}`;
}

/**
 * Values a dotted path reaches in a document, traversing arrays the way MongoDB indexes do (multikey): an
 * array at the end of the path contributes each element; a missing field contributes null.
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  return walk(doc, path.split('.'), 0);
}

function walk(current: unknown, segments: string[], at: number): unknown[] {
  if (at === segments.length) {
    if (Array.isArray(current)) return current.length === 0 ? [undefined] : current;
    return [current];
  }
  if (current === null || typeof current !== 'object') return [undefined];
  const segment = segments[at] as string;
  if (Array.isArray(current)) {
    if (/^\d+$/.test(segment)) return walk(current[Number(segment)], segments, at + 1);
    const found = current.flatMap((element) => (element !== null && typeof element === 'object' ? walk(element, segments, at) : []));
    return found.length === 0 ? [undefined] : found;
  }
  return walk((current as Record<string, unknown>)[segment], segments, at + 1);
}

/** The first value at a path without array expansion, for keyValue in duplicate-key errors. */
export function valueAtPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** How the server prints a value inside an E11000 message: `{ email: "a@b.c" }`, `ObjectId('…')`. */
export function shellValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'ObjectId') return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
  if (bsonType === 'Int32' || bsonType === 'Long') return String(value.valueOf());
  if (bsonType === 'Double') return Number.isInteger(value.valueOf()) ? `${Number(value.valueOf())}.0` : String(value.valueOf());
  if (Array.isArray(value)) return `[ ${value.map(shellValue).join(', ')} ]`;
  if (typeof value === 'object' && !bsonType) return `{ ${Object.entries(value as Document).map(([key, inner]) => `${key}: ${shellValue(inner)}`).join(', ')} }`;
  if (typeof value === 'object') return EJSON.stringify(value as Document);
  return String(value);
}

/** BSON bytes of a document as a Buffer (bson types its result as Uint8Array; this wraps, no copy). */
export function encode(doc: Document): Buffer {
  const bytes = serialize(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
