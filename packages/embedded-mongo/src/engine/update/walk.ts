// Finding the places an update path names in a typed document: through sub-documents, array indexes and
// the positional parts ($, $[], $[id]), creating missing sub-documents on the way when the operator creates
// its field, with the server's errors when a path runs through a value that cannot hold a field.
import type { Document } from 'bson';
import { CommandError } from '../../commands/errors.js';
import { shellValue } from '../values.js';
import { arrayFilterId } from './parse.js';

export type Container = Document | unknown[];

export interface WalkContext {
  /** Index of the first element of the array at `path` that the query matched ($), if any. */
  positional(path: string[]): number | undefined;
  /** Whether `element` passes the array filter `id` ($[id]). */
  arrayFilter(id: string, element: unknown): boolean;
}

export function isDocument(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
}

function shown(field: string, value: unknown): string {
  return `{${field}: ${Array.isArray(value) ? '[...]' : shellValue(value)}}`;
}

function notViable(part: string, field: string, value: unknown): CommandError {
  return new CommandError('PathNotViable', `Cannot create field '${part}' in element ${shown(field, value)}`);
}

/**
 * Calls `reach(container, key)` for every place `path` names in `doc`. With `create`, missing sub-documents
 * are made and a path through a scalar is an error; without, such a path names nothing.
 */
export function walk(doc: Document, path: string[], create: boolean, context: WalkContext, reach: (container: Container, key: string | number) => void): void {
  visit(doc, path, 0, create, context, reach, '');
}

function visit(node: unknown, path: string[], at: number, create: boolean, context: WalkContext, reach: (container: Container, key: string | number) => void, field: string): void {
  const part = path[at]!;
  const last = at === path.length - 1;
  const step = (container: Container, key: string | number) => {
    if (last) return reach(container, key);
    let child = (container as Record<string | number, unknown>)[key];
    if (child === undefined) {
      if (!create) return;
      child = {};
      setAt(container, key, child);
    }
    if (child === null || typeof child !== 'object' || (!Array.isArray(child) && !isDocument(child))) {
      if (create) throw notViable(path[at + 1]!, String(key), child);
      return;
    }
    visit(child, path, at + 1, create, context, reach, String(key));
  };
  if (Array.isArray(node)) {
    if (part === '$') {
      const index = context.positional(path.slice(0, at));
      if (index === undefined) throw new CommandError('BadValue', 'The positional operator did not find the match needed from the query.');
      return step(node, index);
    }
    const id = arrayFilterId(part);
    if (id !== undefined) {
      for (let index = 0; index < node.length; index++) if (id === '' || context.arrayFilter(id, node[index])) step(node, index);
      return;
    }
    if (/^\d+$/.test(part)) return step(node, Number(part));
    if (create) throw notViable(part, field, node);
    return;
  }
  if (part === '$' || arrayFilterId(part) !== undefined) {
    if (part === '$') throw new CommandError('BadValue', 'The positional operator did not find the match needed from the query.');
    throw new CommandError('BadValue', `Cannot apply array updates to non-array element ${shown(field, node)}`);
  }
  step(node as Document, part);
}

/** Sets a field or an array element; an index past the end pads the array with nulls, as the server does. */
export function setAt(container: Container, key: string | number, value: unknown): void {
  if (Array.isArray(container)) {
    const index = Number(key);
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[key as string] = value;
  }
}

export function getAt(container: Container, key: string | number): unknown {
  return (container as Record<string | number, unknown>)[key];
}
