// Applying a parsed operator update to a typed document, in place. Operands are the command's own typed
// values, so what a client sets is stored with the type it sent; $inc and $mul follow the server's numeric
// type rules (arithmetic.ts).
import { Int32, Long, Timestamp, type Document } from 'bson';
import { CommandError } from '../../commands/errors.js';
import { compareBson } from '../order.js';
import { promote } from '../typed.js';
import { shellValue } from '../values.js';
import { add, multiply, numberKind, startingValue } from './arithmetic.js';
import { addToSet, pop, pull, pullAll, push, requireArray } from './arrays.js';
import type { UpdateEntry } from './parse.js';
import { getAt, isDocument, setAt, walk, type Container, type WalkContext } from './walk.js';

/** Operators that create their field (and the sub-documents on its path) when it is missing. */
const CREATES = new Set(['$set', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$currentDate', '$push', '$addToSet', '$bit', '$rename:to']);

/** A copy of a typed value whose arrays and sub-documents are its own (operands are shared by every matched document). */
export function copyTyped<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyTyped) as T;
  if (isDocument(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copyTyped(inner)])) as T;
  return value;
}

let timestampCounter = 0;

function currentDate(operand: unknown): unknown {
  if (isDocument(operand) && operand.$type === 'timestamp') {
    return new Timestamp({ t: Math.floor(Date.now() / 1000), i: ++timestampCounter });
  }
  return new Date();
}

function bit(current: unknown, operand: Document, field: string): unknown {
  const kind = numberKind(current ?? 0);
  if (kind !== 'int' && kind !== 'long') throw new CommandError('BadValue', `Cannot apply $bit to a value of non-integral type. The field '${field}' has type ${kind ?? typeof current}`);
  let result = kind === 'long' ? (current as Long).toBigInt() : BigInt(Number(current ?? 0));
  let wide = kind === 'long';
  for (const [op, value] of Object.entries(operand)) {
    wide ||= numberKind(value) === 'long';
    const other = numberKind(value) === 'long' ? (value as Long).toBigInt() : BigInt(Number(value));
    result = op === 'and' ? result & other : op === 'or' ? result | other : result ^ other;
  }
  return wide ? Long.fromBigInt(BigInt.asIntN(64, result)) : new Int32(Number(BigInt.asIntN(32, result)));
}

function numericCurrent(current: unknown, operator: '$inc' | '$mul', field: string, doc: Document): unknown {
  if (numberKind(current)) return current;
  throw new CommandError('TypeMismatch', `Cannot apply ${operator} to a value of non-numeric type. {_id: ${shellValue(promote(doc._id))}} has the field '${field}' of non-numeric type ${current === null ? 'null' : typeof current}`);
}

function applyAt(entry: UpdateEntry, container: Container, key: string | number, doc: Document, isInsert: boolean, moved: Map<string, unknown>): void {
  const current = getAt(container, key);
  const field = String(key);
  switch (entry.operator) {
    case '$set':
      return setAt(container, key, copyTyped(entry.operand));
    case '$setOnInsert':
      if (isInsert) setAt(container, key, copyTyped(entry.operand));
      return;
    case '$unset':
      if (current === undefined) return;
      if (Array.isArray(container)) container[Number(key)] = null;
      else delete container[key as string];
      return;
    case '$inc':
    case '$mul':
      return setAt(container, key, current === undefined ? startingValue(entry.operand, entry.operator) : (entry.operator === '$inc' ? add : multiply)(numericCurrent(current, entry.operator, field, doc), entry.operand));
    case '$min':
    case '$max': {
      if (current !== undefined) {
        const order = compareBson(promote(entry.operand), promote(current));
        if (entry.operator === '$min' ? order >= 0 : order <= 0) return;
      }
      return setAt(container, key, copyTyped(entry.operand));
    }
    case '$currentDate':
      return setAt(container, key, currentDate(entry.operand));
    case '$push':
      return setAt(container, key, push(current as unknown[] | undefined, copyTyped(entry.operand), field));
    case '$addToSet':
      return setAt(container, key, addToSet(current as unknown[] | undefined, copyTyped(entry.operand), field));
    case '$pop':
      if (current === undefined) return;
      if (!Array.isArray(current)) throw new CommandError('TypeMismatch', `Path '${entry.path.join('.')}' contains an element of non-array type '${numberKind(current) ?? typeof current}'`);
      return setAt(container, key, pop(current, entry.operand));
    case '$pull':
      if (current === undefined) return;
      return setAt(container, key, pull(requireArray(current, field, '$pull'), entry.operand));
    case '$pullAll':
      if (current === undefined) return;
      return setAt(container, key, pullAll(requireArray(current, field, '$pullAll'), entry.operand as unknown[]));
    case '$bit':
      return setAt(container, key, bit(current, entry.operand as Document, field));
    case '$rename': {
      if (current === undefined) return;
      if (Array.isArray(container)) throw new CommandError('BadValue', `The source field cannot be an array element, '${entry.path.join('.')}' in doc with an array field`);
      moved.set(entry.path.join('.'), current);
      delete container[key as string];
      return;
    }
    case '$rename:to': {
      const source = (entry.operand as string[]).join('.');
      if (!moved.has(source)) return;
      if (Array.isArray(container)) throw new CommandError('BadValue', `The destination field cannot be an array element, '${entry.path.join('.')}' in doc with an array field`);
      return setAt(container, key, moved.get(source));
    }
    default:
      throw new CommandError('FailedToParse', `Unknown modifier: ${entry.operator}`);
  }
}

/** Applies `entries` (parse.ts) to `doc` in place. */
export function applyOperators(doc: Document, entries: UpdateEntry[], isInsert: boolean, context: WalkContext): void {
  const moved = new Map<string, unknown>();
  // $rename's source must be read before its target is written, whatever their order by path.
  const ordered = [...entries.filter((entry) => entry.operator === '$rename'), ...entries.filter((entry) => entry.operator !== '$rename')];
  for (const entry of ordered) {
    if (entry.operator === '$rename:to' && !moved.has((entry.operand as string[]).join('.'))) continue;
    walk(doc, entry.path, CREATES.has(entry.operator), context, (container, key) => applyAt(entry, container, key, doc, isInsert, moved));
  }
}
