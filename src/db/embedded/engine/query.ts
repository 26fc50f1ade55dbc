// Reading documents: pick candidates through the _id map or an index when the filter pins every indexed field
// to a plain value, else scan; then match with mingo, the same matcher for both paths.
import { Query } from 'mingo';
import { deserialize, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import type { Collection } from './collection.js';
import { valueKey } from './values.js';

export interface ReadOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

export function compileFilter(filter: Document | undefined): Query {
  try {
    return new Query(filter ?? {}, {});
  } catch (error) {
    throw new CommandError('BadValue', (error as Error).message);
  }
}

/** Matching documents in natural (insertion) order. */
export function matching(collection: Collection | undefined, filter: Document | undefined, stopAfter = Infinity): Document[] {
  if (!collection) return [];
  const query = compileFilter(filter);
  const found: Document[] = [];
  for (const buffer of candidates(collection, filter ?? {})) {
    const doc = deserialize(buffer);
    if (query.test(doc)) {
      found.push(doc);
      if (found.length >= stopAfter) break;
    }
  }
  return found;
}

/** find semantics: filter, then sort, skip, limit, projection (mingo implements each as the server does). */
export function read(collection: Collection | undefined, filter: Document | undefined, options: ReadOptions): Document[] {
  const unordered = !options.sort || Object.keys(options.sort).length === 0;
  const stopAfter = unordered && options.limit ? (options.skip ?? 0) + options.limit : Infinity;
  const docs = matching(collection, filter, stopAfter);
  try {
    let cursor = new Query({}, {}).find<Document>(docs, options.projection && Object.keys(options.projection).length > 0 ? options.projection : undefined);
    if (!unordered) cursor = cursor.sort(options.sort as Record<string, 1 | -1>);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all();
  } catch (error) {
    throw new CommandError('BadValue', (error as Error).message);
  }
}

function* candidates(collection: Collection, filter: Document): Iterable<Buffer> {
  const pinned = pinnedValues(filter);
  if (pinned.has('_id')) {
    const buffer = collection.byIdKey(valueKey(pinned.get('_id')));
    if (buffer) yield buffer;
    return;
  }
  for (const index of collection.indexes()) {
    if (index.spec.sparse || index.spec.partialFilterExpression || !index.paths.every((p) => pinned.has(p))) continue;
    if (Object.values(index.spec.key).some((direction) => typeof direction === 'string')) continue; // text, hashed, 2dsphere
    const ids = index.lookup(index.paths.map((p) => pinned.get(p)));
    for (const idKey of ids ?? []) {
      const buffer = collection.byIdKey(idKey);
      if (buffer) yield buffer;
    }
    return;
  }
  yield* collection.buffers();
}

/**
 * Fields the filter requires to equal a scalar (`{ f: v }`, `{ f: { $eq: v } }`, or inside a top-level $and).
 * Arrays, sub-documents, null and regexes are left out: their matching rules (whole-array equality, missing
 * fields, patterns) are not plain key equality, so those queries scan.
 */
function pinnedValues(filter: Document, into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) pinnedValues(clause as Document, into);
      continue;
    }
    if (field.startsWith('$')) continue;
    const value = isOperatorDocument(condition) ? (condition as Document).$eq : condition;
    if (isScalar(value)) into.set(field, value);
  }
  return into;
}

function isOperatorDocument(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || (value as { _bsontype?: string })._bsontype) return false;
  if (value instanceof Date || value instanceof RegExp) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function isScalar(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'object') return true;
  if (value instanceof Date) return true;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  return bsonType === 'ObjectId' || bsonType === 'Long';
}
