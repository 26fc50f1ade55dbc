// The array operators: $push (with $each, $position, $slice, $sort), $addToSet, $pop, $pull, $pullAll.
// Equality between elements is the server's (numbers by value whatever their type); $pull conditions are
// queries, matched by mingo on the promoted element.
import type { Document } from 'bson';
import { Query } from '../mingo.js';
import { CommandError } from '../../commands/errors.js';
import { compareBson } from '../order.js';
import { promote } from '../typed.js';
import { valueKey, valueAtPath } from '../values.js';
import { numberKind } from './arithmetic.js';
import { isDocument } from './walk.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return numberKind(value) ?? (typeof value === 'object' ? 'object' : typeof value);
}

export function requireArray(value: unknown, field: string, operator: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (operator === '$pull' || operator === '$pullAll') throw new CommandError('BadValue', `Cannot apply ${operator} to a non-array value`);
  throw new CommandError('BadValue', `The field '${field}' must be an array but is of type ${typeName(value)} in document`);
}

interface PushSpec {
  each: unknown[];
  position?: number;
  slice?: number;
  sort?: unknown;
}

function pushSpec(operand: unknown): PushSpec {
  if (!isDocument(operand) || !('$each' in operand)) return { each: [operand] };
  for (const key of Object.keys(operand)) {
    if (!['$each', '$position', '$slice', '$sort'].includes(key)) throw new CommandError('BadValue', `Unrecognized clause in $push: ${key}`);
  }
  if (!Array.isArray(operand.$each)) throw new CommandError('BadValue', `The argument to $each in $push must be an array but it was of type: ${typeName(operand.$each)}`);
  const integer = (name: string): number | undefined => {
    const value = operand[name];
    if (value === undefined) return undefined;
    if (!['int', 'long'].includes(numberKind(value) ?? '') && !(numberKind(value) === 'double' && Number.isInteger(Number(value)))) {
      throw new CommandError('BadValue', `The value for ${name} must be an integer value but was given type: ${typeName(value)}`);
    }
    return Number(value);
  };
  return { each: operand.$each as unknown[], position: integer('$position'), slice: integer('$slice'), sort: operand.$sort };
}

function sortElements(elements: unknown[], sort: unknown): void {
  if (isDocument(sort)) {
    const fields = Object.entries(promote(sort));
    elements.sort((a, b) => {
      for (const [field, direction] of fields) {
        const order = compareBson(promote(valueAtPath(a, field)), promote(valueAtPath(b, field)));
        if (order !== 0) return Number(direction) < 0 ? -order : order;
      }
      return 0;
    });
    return;
  }
  const direction = Number(promote(sort));
  if (direction !== 1 && direction !== -1) throw new CommandError('BadValue', "The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields");
  elements.sort((a, b) => direction * compareBson(promote(a), promote(b)));
}

export function push(current: unknown[] | undefined, operand: unknown, field: string): unknown[] {
  const array = current === undefined ? [] : [...requireArray(current, field, '$push')];
  const spec = pushSpec(operand);
  const at = spec.position === undefined ? array.length : spec.position < 0 ? Math.max(0, array.length + spec.position) : Math.min(spec.position, array.length);
  array.splice(at, 0, ...spec.each);
  if (spec.sort !== undefined) sortElements(array, spec.sort);
  if (spec.slice !== undefined) return spec.slice >= 0 ? array.slice(0, spec.slice) : array.slice(Math.max(0, array.length + spec.slice));
  return array;
}

export function addToSet(current: unknown[] | undefined, operand: unknown, field: string): unknown[] {
  const array = current === undefined ? [] : [...requireArray(current, field, '$addToSet')];
  const each = isDocument(operand) && '$each' in operand ? operand.$each : [operand];
  if (!Array.isArray(each)) throw new CommandError('TypeMismatch', `The argument to $each in $addToSet must be an array but it was of type ${typeName(each)}`);
  const present = new Set(array.map((element) => valueKey(element)));
  for (const element of each) {
    const key = valueKey(element);
    if (present.has(key)) continue;
    present.add(key);
    array.push(element);
  }
  return array;
}

export function pop(current: unknown[], operand: unknown): unknown[] {
  return Number(operand) === 1 ? current.slice(0, -1) : current.slice(1);
}

/** A $pull condition as a test of one element. */
function pullTest(condition: unknown): (element: unknown) => boolean {
  if (!isDocument(condition)) {
    const key = valueKey(condition);
    return (element) => valueKey(element) === key;
  }
  const promoted = promote(condition);
  const keys = Object.keys(promoted);
  const onValue = keys.length > 0 && keys.every((key) => key.startsWith('$')) && !['$and', '$or', '$nor'].includes(keys[0]!);
  // { $gte: 5 } tests the element itself; { a: 1 } (or $and/$or of such) tests the fields of a document element.
  const query = new Query(onValue ? { element: promoted } : promoted, {});
  return (element) => {
    const value = promote(element);
    if (onValue) return query.test({ element: value });
    return isDocument(value) && query.test(value);
  };
}

export function pull(current: unknown[], operand: unknown): unknown[] {
  const test = pullTest(operand);
  return current.filter((element) => !test(element));
}

export function pullAll(current: unknown[], operand: unknown[]): unknown[] {
  const keys = new Set(operand.map((value) => valueKey(value)));
  return current.filter((element) => !keys.has(valueKey(element)));
}

