// $inc and $mul with the server's numeric type rules: the result has the wider type of the two operands
// (int32 < int64 < double), an int32 result that overflows becomes an int64, an int64 that overflows becomes
// a double. Decimal128 arithmetic is refused: bson's Decimal128 has none, and a double would round it.
import { Double, Int32, Long } from 'bson';
import { notSupported } from '../../commands/errors.js';

export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function numberKind(value: unknown): NumberKind | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? 'int' : 'double';
  switch ((value as { _bsontype?: string } | null)?._bsontype) {
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
    default:
      return undefined;
  }
}

const WIDTH: Record<NumberKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

function toBigInt(value: unknown): bigint {
  if ((value as { _bsontype?: string })._bsontype === 'Long') return (value as Long).toBigInt();
  return BigInt(Number(value));
}

function integer(result: bigint, kind: 'int' | 'long'): Int32 | Long | Double {
  if (kind === 'int' && result >= BigInt(INT32_MIN) && result <= BigInt(INT32_MAX)) return new Int32(Number(result));
  if (result >= INT64_MIN && result <= INT64_MAX) return Long.fromBigInt(result);
  return new Double(Number(result));
}

function combine(a: unknown, b: unknown, operator: '$inc' | '$mul'): Int32 | Long | Double {
  const ka = numberKind(a) as NumberKind;
  const kb = numberKind(b) as NumberKind;
  const kind = WIDTH[ka] >= WIDTH[kb] ? ka : kb;
  if (kind === 'decimal') throw notSupported(`${operator} on a decimal128 value`);
  if (kind === 'double') return new Double(operator === '$inc' ? Number(a) + Number(b) : Number(a) * Number(b));
  const x = toBigInt(a);
  const y = toBigInt(b);
  return integer(operator === '$inc' ? x + y : x * y, kind);
}

export function add(a: unknown, b: unknown): Int32 | Long | Double {
  return combine(a, b, '$inc');
}

export function multiply(a: unknown, b: unknown): Int32 | Long | Double {
  return combine(a, b, '$mul');
}

/** $inc / $mul on a missing field: the operand itself ($inc) or a zero of its type ($mul). */
export function startingValue(operand: unknown, operator: '$inc' | '$mul'): unknown {
  if (operator === '$inc') return operand;
  return multiply(0, operand);
}
