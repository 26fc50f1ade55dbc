// "Evaluating Matches" of the unified test format: expected values (with the $$ operators) against what the
// driver returned; numbers compare by value whatever their BSON type (int32, int64, double).
import type { Document } from 'bson';

export class MatchError extends Error {
  override readonly name = 'MatchError';
}

export interface MatchContext {
  /** Entities saved by saveResultAsEntity, for $$matchesEntity. */
  entity(name: string): unknown;
}

/** Throws a MatchError naming the path of the first difference. */
export function match(expected: unknown, actual: unknown, context: MatchContext, root = true, path = '$'): void {
  if (isPlainDocument(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0]!.startsWith('$$')) return special(keys[0]!, expected[keys[0]!], actual, context, root, path);
    if (!isPlainDocument(actual)) throw new MatchError(`${path}: expected a document, got ${describe(actual)}`);
    for (const [key, value] of Object.entries(expected)) {
      const inner = `${path}.${key}`;
      if (isPlainDocument(value) && Object.keys(value).length === 1) {
        const operator = Object.keys(value)[0]!;
        if (operator === '$$exists') {
          if ((key in actual && actual[key] !== undefined) !== value[operator]) throw new MatchError(`${inner}: expected ${value[operator] ? 'present' : 'absent'}`);
          continue;
        }
        if (operator === '$$unsetOrMatches') {
          if (!(key in actual) || actual[key] === undefined) continue;
          match(value[operator], actual[key], context, false, inner);
          continue;
        }
      }
      if (!(key in actual) || actual[key] === undefined) throw new MatchError(`${inner}: missing`);
      match(value, actual[key], context, false, inner);
    }
    if (!root) {
      const extra = Object.keys(actual).filter((key) => !(key in expected) && actual[key] !== undefined);
      if (extra.length > 0) throw new MatchError(`${path}: unexpected field(s) ${extra.join(', ')}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new MatchError(`${path}: expected an array, got ${describe(actual)}`);
    if (actual.length !== expected.length) throw new MatchError(`${path}: expected ${expected.length} element(s), got ${actual.length}: ${describe(actual)}`);
    expected.forEach((value, index) => match(value, actual[index], context, false, `${path}[${index}]`));
    return;
  }
  if (!sameValue(expected, actual)) throw new MatchError(`${path}: expected ${describe(expected)}, got ${describe(actual)}`);
}

function special(operator: string, argument: unknown, actual: unknown, context: MatchContext, root: boolean, path: string): void {
  switch (operator) {
    case '$$type': {
      const types = Array.isArray(argument) ? (argument as string[]) : [argument as string];
      if (actual === undefined || !types.some((type) => hasType(actual, type))) throw new MatchError(`${path}: expected type ${types.join('|')}, got ${describe(actual)}`);
      return;
    }
    case '$$unsetOrMatches':
      if (actual !== undefined) match(argument, actual, context, root, path);
      return;
    case '$$matchesEntity':
      return match(context.entity(argument as string), actual, context, root, path);
    case '$$lte':
      if (!isNumeric(actual) || numberOf(actual) > numberOf(argument)) throw new MatchError(`${path}: expected ≤ ${describe(argument)}, got ${describe(actual)}`);
      return;
    case '$$matchAsRoot':
      return match(argument, actual, context, true, path);
    case '$$exists':
      throw new MatchError(`${path}: $$exists is only meaningful as a field's value`);
    default:
      throw new MatchError(`${path}: the runner does not implement ${operator}`);
  }
}

/**
 * $type names. The driver promotes int32, int64 (when safe) and double to JS numbers, so for a number read
 * back the runner can only tell an integer from a fraction: "double" accepts any number, "int" and "long" an
 * integer. The store's own conformance tests read with promoteValues: false where the exact type matters.
 */
function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'double':
      return typeof value === 'number' || isBson(value, 'Double');
    case 'int':
      return (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31) || isBson(value, 'Int32');
    case 'long':
      return (typeof value === 'number' && Number.isInteger(value)) || isBson(value, 'Long') || typeof value === 'bigint';
    case 'decimal':
      return isBson(value, 'Decimal128');
    case 'number':
      return isNumeric(value) || isBson(value, 'Decimal128');
    case 'string':
      return typeof value === 'string';
    case 'object':
      return isPlainDocument(value);
    case 'array':
      return Array.isArray(value);
    case 'binData':
      return isBson(value, 'Binary');
    case 'objectId':
      return isBson(value, 'ObjectId');
    case 'bool':
      return typeof value === 'boolean';
    case 'date':
      return value instanceof Date;
    case 'null':
      return value === null;
    case 'timestamp':
      return isBson(value, 'Timestamp');
    default:
      throw new MatchError(`the runner does not know the type ${type}`);
  }
}

/**
 * BSON values by their _bsontype: the driver may carry its own copy of the bson package, whose classes are
 * not the ones this file would import.
 */
function isBson(value: unknown, type: string): boolean {
  return (value as { _bsontype?: string } | null)?._bsontype === type;
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const typed = value as { toNumber?: () => number; value?: number };
  return typed.toNumber ? typed.toNumber() : Number(typed.value);
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || isBson(value, 'Int32') || isBson(value, 'Long') || isBson(value, 'Double');
}

/** Equality of non-document values; numbers by value across int32, int64 and double. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (isNumeric(expected) && isNumeric(actual)) return numberOf(expected) === numberOf(actual) || (Number.isNaN(numberOf(expected)) && Number.isNaN(numberOf(actual)));
  if (isBson(expected, 'Decimal128') || isBson(actual, 'Decimal128')) return isBson(actual, 'Decimal128') && isBson(expected, 'Decimal128') && String(expected) === String(actual);
  if (isBson(expected, 'ObjectId')) return isBson(actual, 'ObjectId') && String(expected) === String(actual);
  if (expected instanceof Date) return actual instanceof Date && expected.getTime() === actual.getTime();
  if (isBson(expected, 'Binary')) return isBson(actual, 'Binary') && describe(expected) === describe(actual);
  if (expected instanceof RegExp || isBsonRegExp(expected)) return String(expected) === String(actual) || describe(expected) === describe(actual);
  if (expected !== null && typeof expected === 'object' && '_bsontype' in expected) return describe(expected) === describe(actual);
  return expected === actual;
}

function isBsonRegExp(value: unknown): boolean {
  return (value as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp';
}

export function isPlainDocument(value: unknown): value is Document {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !('_bsontype' in value) && !(value instanceof Date) && !(value instanceof RegExp) && !Buffer.isBuffer(value);
}

/**
 * Collection contents after a test: exact (no extra fields at any level), key order free, numbers by value.
 */
export function sameDocuments(expected: Document[], actual: Document[]): string | undefined {
  if (expected.length !== actual.length) return `expected ${expected.length} document(s), found ${actual.length}: ${describe(actual)}`;
  for (const [index, doc] of expected.entries()) {
    const difference = exactDifference(doc, actual[index], `[${index}]`);
    if (difference) return difference;
  }
  return undefined;
}

function exactDifference(expected: unknown, actual: unknown, path: string): string | undefined {
  if (isPlainDocument(expected)) {
    if (!isPlainDocument(actual)) return `${path}: expected a document, got ${describe(actual)}`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const difference = exactDifference(expected[key], actual[key], `${path}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
    for (const [index, value] of expected.entries()) {
      const difference = exactDifference(value, actual[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  return sameValue(expected, actual) ? undefined : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
}

export function describe(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner)) ?? String(value);
  } catch {
    return String(value);
  }
}
