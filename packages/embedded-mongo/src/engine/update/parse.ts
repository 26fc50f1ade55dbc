// Checking an operator update ({ $set: {...}, $inc: {...} }) before it touches any document, with the
// server's errors: unknown modifiers, operands of the wrong type, empty or $-prefixed path parts, two paths
// that overlap, array filter identifiers without a filter (or filters no path uses). The result lists every
// (operator, path, operand) in the order the server applies them: by path, lexicographically per part,
// numeric parts in numeric order.
import type { Document } from 'bson';
import { CommandError } from '../../commands/errors.js';
import { numberKind } from './arithmetic.js';

export const OPERATORS = new Set(['$set', '$setOnInsert', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$currentDate', '$push', '$addToSet', '$pop', '$pull', '$pullAll', '$bit']);

export interface UpdateEntry {
  operator: string;
  path: string[];
  operand: unknown;
}

const ARRAY_FILTER = /^\$\[(.*)\]$/;

export function isPositional(part: string): boolean {
  return part === '$' || ARRAY_FILTER.test(part);
}

/** The identifier of `$[id]`, '' for `$[]`, undefined for anything else. */
export function arrayFilterId(part: string): string | undefined {
  return ARRAY_FILTER.exec(part)?.[1];
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const kind = numberKind(value);
  if (kind) return kind;
  if (typeof value === 'object') return value instanceof Date ? 'date' : ((value as { _bsontype?: string })._bsontype?.toLowerCase() ?? 'object');
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

function splitPath(path: string): string[] {
  const parts = path.split('.');
  if (path === '' || parts.some((part) => part === '')) {
    throw new CommandError('EmptyFieldName', path === '' ? 'An empty update path is not valid.' : `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  for (const part of parts) {
    if (part.startsWith('$') && !isPositional(part)) throw new CommandError('DollarPrefixedFieldName', `The dollar ($) prefixed field '${part}' in '${path}' is not valid for storage.`);
  }
  return parts;
}

function checkOperand(operator: string, path: string, operand: unknown): void {
  const shown = `{${path}: ${typeName(operand)}}`;
  switch (operator) {
    case '$inc':
    case '$mul':
      if (!numberKind(operand)) throw new CommandError('TypeMismatch', `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: ${shown}`);
      return;
    case '$rename':
      if (typeof operand !== 'string') throw new CommandError('BadValue', `The 'to' field for $rename must be a string: ${path}: ${typeName(operand)}`);
      return;
    case '$pop': {
      const value = Number(operand);
      if (!numberKind(operand) || (value !== 1 && value !== -1)) throw new CommandError('FailedToParse', `Expected a number in: ${path}: ${String(operand)}`);
      return;
    }
    case '$pullAll':
      if (!Array.isArray(operand)) throw new CommandError('BadValue', `$pullAll requires an array argument but was given a ${typeName(operand)}`);
      return;
    case '$currentDate': {
      const ok = operand === true || operand === false || (operand !== null && typeof operand === 'object' && ['date', 'timestamp'].includes(String((operand as Document).$type)));
      if (!ok) throw new CommandError('BadValue', `${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
      return;
    }
    case '$bit': {
      const spec = operand as Document | null;
      const ops = spec !== null && typeof spec === 'object' ? Object.entries(spec) : [];
      if (ops.length === 0 || ops.some(([op, value]) => !['and', 'or', 'xor'].includes(op) || !['int', 'long'].includes(numberKind(value) ?? ''))) {
        throw new CommandError('BadValue', `The $bit modifier must be given an object with 'and', 'or' or 'xor' and an integer: ${path}`);
      }
      return;
    }
    default:
      return;
  }
}

function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (numeric) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function isPrefix(a: string[], b: string[]): boolean {
  return a.length <= b.length && a.every((part, i) => part === b[i]);
}

export function parseOperatorUpdate(update: Document, arrayFilterIds: Set<string>): UpdateEntry[] {
  const entries: UpdateEntry[] = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (!OPERATORS.has(operator)) throw new CommandError('FailedToParse', `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields) || (fields as { _bsontype?: string })._bsontype) {
      throw new CommandError('FailedToParse', `Modifiers operate on fields but we found type ${typeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${typeName(fields)}}`);
    }
    for (const [path, operand] of Object.entries(fields as Document)) {
      checkOperand(operator, path, operand);
      entries.push({ operator, path: splitPath(path), operand });
      if (operator === '$rename') {
        const target = splitPath(operand as string);
        const source = entries[entries.length - 1]!.path;
        if ([...source, ...target].some(isPositional)) throw new CommandError('BadValue', `The source field for $rename may not be dynamic: ${path}`);
        if (isPrefix(source, target) || isPrefix(target, source)) throw new CommandError('BadValue', `The source and target field for $rename must not be on the same path: ${path}: "${String(operand)}"`);
        entries.push({ operator: '$rename:to', path: target, operand: source });
      }
    }
  }
  const used = new Set<string>();
  for (const entry of entries) {
    for (const part of entry.path) {
      const id = arrayFilterId(part);
      if (id === undefined || id === '') continue;
      if (!arrayFilterIds.has(id)) throw new CommandError('BadValue', `No array filter found for identifier '${id}' in path '${entry.path.join('.')}'`);
      used.add(id);
    }
  }
  for (const id of arrayFilterIds) if (!used.has(id)) throw new CommandError('FailedToParse', `The array filter for identifier '${id}' was not used in the update ${JSON.stringify(update)}`);
  const sorted = entries.sort((a, b) => comparePaths(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (isPrefix(previous.path, current.path)) {
      throw new CommandError('ConflictingUpdateOperators', `Updating the path '${current.path.join('.')}' would create a conflict at '${previous.path.join('.')}'`);
    }
  }
  return sorted;
}
