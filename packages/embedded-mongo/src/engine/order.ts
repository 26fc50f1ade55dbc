// BSON comparison order (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/), for the
// update operators that compare values ($min, $max, $push's $sort). Strings compare by code point unless a
// collator is given. Numbers of every type compare by value.
import type { Document } from 'bson';

type Collator = { compare(a: string, b: string): number };

function bsonType(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? (value as { _bsontype?: string })._bsontype : undefined;
}

/** The position of a value's type in the BSON comparison order (all numbers share one, strings and symbols another). */
export function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    default:
      break;
  }
  if (Array.isArray(value)) return 6;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  switch (bsonType(value)) {
    case 'MinKey':
      return 1;
    case 'Int32':
    case 'Long':
    case 'Double':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    case undefined:
      return 5;
    default:
      return 5;
  }
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function compareBson(a: unknown, b: unknown, collator?: Collator): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return sign(ra - rb);
  switch (ra) {
    case 3:
      return sign(Number(a) - Number(b));
    case 4: {
      const x = String(a);
      const y = String(b);
      return collator ? sign(collator.compare(x, y)) : x < y ? -1 : x > y ? 1 : 0;
    }
    case 5: {
      const ea = Object.entries(a as Document);
      const eb = Object.entries(b as Document);
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const [ka, va] = ea[i]!;
        const [kb, vb] = eb[i]!;
        const byValueType = sign(typeRank(va) - typeRank(vb));
        if (byValueType !== 0) return byValueType;
        if (ka !== kb) return ka < kb ? -1 : 1;
        const byValue = compareBson(va, vb, collator);
        if (byValue !== 0) return byValue;
      }
      return sign(ea.length - eb.length);
    }
    case 6: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const byElement = compareBson(xa[i], xb[i], collator);
        if (byElement !== 0) return byElement;
      }
      return sign(xa.length - xb.length);
    }
    case 7:
    case 8:
      return Buffer.compare(bytesOf(a), bytesOf(b));
    case 9:
      return sign(Number(a) - Number(b));
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return (a as { compare(other: unknown): number }).compare(b);
    default:
      return 0;
  }
}

function bytesOf(value: unknown): Buffer {
  const typed = value as { buffer?: Uint8Array; id?: Uint8Array; sub_type?: number };
  if (bsonType(value) === 'ObjectId') return Buffer.from(typed.id as Uint8Array);
  // Binary: by length, then subtype, then bytes, as the server orders them.
  const data = Buffer.from(typed.buffer as Uint8Array);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(data.length, 0);
  head[4] = typed.sub_type ?? 0;
  return Buffer.concat([head, data]);
}
