// The $type query operator on typed values: BSON types by alias or number
// (https://www.mongodb.com/docs/manual/reference/operator/query/type/), so int32, int64 and double are told
// apart. An array matches "array" itself, and any other type through its elements, as on the server.
import { CommandError } from '../commands/errors.js';

const ALIASES: Record<string, number> = {
  double: 1, string: 2, object: 3, array: 4, binData: 5, undefined: 6, objectId: 7, bool: 8, date: 9, null: 10,
  regex: 11, dbPointer: 12, javascript: 13, symbol: 14, javascriptWithScope: 15, int: 16, timestamp: 17, long: 18,
  decimal: 19, minKey: -1, maxKey: 127,
};
const NUMBERS = new Set([1, 16, 18, 19]);

/** The BSON type number of a typed value (a JS number counts as what it encodes to). */
export function bsonTypeNumber(value: unknown): number {
  if (value === undefined) return 6;
  if (value === null) return 10;
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? 16 : 1;
    case 'bigint':
      return 18;
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    case 'function':
      return 13;
    default:
      break;
  }
  if (Array.isArray(value)) return 4;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'Double': return 1;
    case 'Binary': return 5;
    case 'ObjectId': return 7;
    case 'BSONRegExp': return 11;
    case 'DBRef': return 3;
    case 'Code': return 13;
    case 'BSONSymbol': return 14;
    case 'Int32': return 16;
    case 'Timestamp': return 17;
    case 'Long': return 18;
    case 'Decimal128': return 19;
    case 'MinKey': return -1;
    case 'MaxKey': return 127;
    default: return 3;
  }
}

function wanted(spec: unknown): Array<number | 'number'> {
  const list = Array.isArray(spec) ? spec : [spec];
  return list.map((entry) => {
    const name = typeof entry === 'number' ? entry : Number((entry as { valueOf(): unknown })?.valueOf?.());
    if (typeof entry === 'string') {
      if (entry === 'number') return 'number';
      if (!(entry in ALIASES)) throw new CommandError('BadValue', `Unknown type name alias: ${entry}`);
      return ALIASES[entry]!;
    }
    if (!Number.isInteger(name) || !Object.values(ALIASES).includes(name)) throw new CommandError('BadValue', `Invalid numerical type code: ${String(entry)}`);
    return name;
  });
}

export function bsonTypeMatches(value: unknown, spec: unknown): boolean {
  const types = wanted(spec);
  const test = (candidate: unknown): boolean => {
    const type = bsonTypeNumber(candidate);
    return types.some((wantedType) => (wantedType === 'number' ? NUMBERS.has(type) : wantedType === type));
  };
  if (value === undefined) return false;
  if (test(value)) return true;
  return Array.isArray(value) && value.some((element) => element !== undefined && test(element));
}
