// Two views of a document. Stored and written documents are *typed*: decoded with promoteValues: false, so
// every number keeps its BSON type (Int32, Long, Double, Decimal128) and encodes back byte for byte. mingo,
// which matches, sorts, projects and aggregates, only understands JS numbers, so what it reads is
// *promoted*: numbers as JS numbers. Values mingo computes come back as JS numbers; retype() gives a value
// that passed through unchanged its stored type again.
import { deserialize, type Document } from 'bson';

const TYPED = { promoteValues: false } as const;

export function decodeTyped(bytes: Buffer): Document {
  return deserialize(bytes, TYPED);
}

type Numeric = { _bsontype: 'Int32' | 'Double' | 'Long'; valueOf(): number };

function bsonType(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? (value as { _bsontype?: string })._bsontype : undefined;
}

export function isNumericWrapper(value: unknown): value is Numeric {
  const type = bsonType(value);
  return type === 'Int32' || type === 'Double' || type === 'Long';
}

function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
}

function isDecimal(value: unknown): value is { toString(): string } {
  return bsonType(value) === 'Decimal128';
}

/**
 * The promoted view of a typed value: numeric wrappers become JS numbers, recursively; a decimal128 becomes
 * the nearest double, so it compares with other numbers by value as on the server. Shares what it can.
 */
export function promote<T>(value: T): T {
  if (isNumericWrapper(value)) return Number(value.valueOf()) as T;
  if (isDecimal(value)) return Number.parseFloat(value.toString()) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (const [index, element] of value.entries()) {
      const promoted = promote(element);
      if (promoted !== element) (copy ??= [...value])[index] = promoted;
    }
    return (copy ?? value) as T;
  }
  if (isPlainObject(value)) {
    let copy: Document | undefined;
    for (const key of Object.keys(value)) {
      const element = value[key];
      const promoted = promote(element);
      if (promoted !== element) (copy ??= { ...value })[key] = promoted;
    }
    return (copy ?? value) as T;
  }
  return value;
}

/**
 * `computed` (promoted, e.g. mingo's output) with each number that equals the number at the same path of
 * `source` (typed) given the source's BSON type back: an int64 or a whole double that passed through a
 * projection or a pipeline stays an int64 or a double instead of becoming an int32.
 */
export function retype<T>(computed: T, source: unknown): T {
  if (typeof computed === 'number') {
    const same = (isNumericWrapper(source) && Number(source.valueOf()) === computed) || (isDecimal(source) && Number.parseFloat(source.toString()) === computed);
    return (same ? source : computed) as T;
  }
  if (Array.isArray(computed)) {
    if (!Array.isArray(source)) return computed;
    return computed.map((element, index) => retype(element, source[index])) as T;
  }
  if (isPlainObject(computed)) {
    if (!isPlainObject(source)) return computed;
    const out: Document = {};
    for (const key of Object.keys(computed)) out[key] = retype(computed[key], source[key]);
    return out as T;
  }
  return computed;
}
