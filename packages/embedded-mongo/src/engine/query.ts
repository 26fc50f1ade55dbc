// Reading documents: pick candidates through the _id map or an index when the filter pins every indexed field
// to a plain value, else scan; then match. Filters made only of scalar equalities are matched on the few
// fields they name, read straight from BSON (no full decode, no mingo); anything else goes through mingo.
import { Query } from 'mingo';
import { deserialize, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import type { Collection } from './collection.js';
import { pickFields } from './rawFields.js';
import { valueKey, valuesAtPath } from './values.js';

export interface ReadOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** mingo builds a fresh operator context per Query (costly), so compiled filters are kept for reuse. */
const compiled = new Map<string, Query>();
const COMPILED_LIMIT = 500;
const EVERYTHING = new Query({}, {});

export function compileFilter(filter: Document | undefined): Query {
  if (!filter || Object.keys(filter).length === 0) return EVERYTHING;
  const key = valueKey(filter);
  let query = compiled.get(key);
  if (!query) {
    try {
      query = new Query(filter, {});
    } catch (error) {
      throw new CommandError('BadValue', (error as Error).message);
    }
    if (compiled.size >= COMPILED_LIMIT) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, query);
  }
  return query;
}

/** BSON of the matching documents in natural (insertion) order. */
export function matchingBuffers(collection: Collection | undefined, filter: Document | undefined, stopAfter = Infinity): Buffer[] {
  if (!collection) return [];
  const pinned = pinnedValues(filter ?? {});
  const equalityOnly = pinned.size === Object.keys(filter ?? {}).length;
  const found: Buffer[] = [];
  // A lone _id equality is fully answered by the _id map lookup in candidates().
  const byIdOnly = equalityOnly && pinned.size === 1 && pinned.has('_id');
  const test = byIdOnly ? () => true : equalityOnly ? equalityTest(pinned) : mingoTest(compileFilter(filter));
  for (const buffer of candidates(collection, filter ?? {}, pinned)) {
    if (test(buffer)) {
      found.push(buffer);
      if (found.length >= stopAfter) break;
    }
  }
  return found;
}

/** Matching documents, decoded. */
export function matching(collection: Collection | undefined, filter: Document | undefined, stopAfter = Infinity): Document[] {
  return matchingBuffers(collection, filter, stopAfter).map((buffer) => deserialize(buffer));
}

/**
 * find semantics: filter, then sort, skip, limit, projection (mingo implements each as the server does).
 * Without sort and projection the stored BSON is returned as is.
 */
export function read(collection: Collection | undefined, filter: Document | undefined, options: ReadOptions): Array<Document | Buffer> {
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  const projected = options.projection !== undefined && Object.keys(options.projection).length > 0;
  const skip = options.skip ?? 0;
  if (!sorted && !projected) {
    const found = matchingBuffers(collection, filter, options.limit ? skip + options.limit : Infinity);
    return found.slice(skip);
  }
  const docs = matching(collection, filter, sorted || !options.limit ? Infinity : skip + options.limit);
  try {
    let cursor = EVERYTHING.find<Document>(docs, projected ? options.projection : undefined);
    if (sorted) cursor = cursor.sort(options.sort as Record<string, 1 | -1>);
    if (skip) cursor = cursor.skip(skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all();
  } catch (error) {
    throw new CommandError('BadValue', (error as Error).message);
  }
}

/** read(), every result decoded (for callers that change or project documents). */
export function readDocuments(collection: Collection | undefined, filter: Document | undefined, options: ReadOptions): Document[] {
  return read(collection, filter, options).map((doc) => (Buffer.isBuffer(doc) ? deserialize(doc) : doc));
}

function mingoTest(query: Query): (buffer: Buffer) => boolean {
  return (buffer) => query.test(deserialize(buffer));
}

/** Scalar equality the way the server applies it: any value the path reaches (arrays expanded) equals it. */
function equalityTest(pinned: Map<string, unknown>): (buffer: Buffer) => boolean {
  const paths = [...pinned.keys()];
  const expected = paths.map((path) => valueKey(pinned.get(path)));
  return (buffer) => {
    const fields = pickFields(buffer, paths);
    return paths.every((path, i) => valuesAtPath(fields, path).some((value) => valueKey(value) === expected[i]));
  };
}

function* candidates(collection: Collection, filter: Document, pinned: Map<string, unknown>): Iterable<Buffer> {
  if (pinned.has('_id')) {
    const buffer = collection.byIdKey(valueKey(pinned.get('_id')));
    if (buffer) yield buffer;
    return;
  }
  const usable = collection.indexes().filter((index) => !index.spec.sparse && !index.spec.partialFilterExpression && !Object.values(index.spec.key).some((direction) => typeof direction === 'string')); // text, hashed, 2dsphere
  const exact = usable.find((index) => index.paths.every((p) => pinned.has(p)));
  if (exact) {
    yield* byIds(collection, exact.lookup(exact.paths.map((p) => pinned.get(p))));
    return;
  }
  // An index whose first field the filter pins to one value or a list of values ($in) narrows the scan.
  for (const index of usable) {
    const first = index.paths[0] as string;
    const values = pinned.has(first) ? [pinned.get(first)] : scalarList(filter[first]);
    if (!values) continue;
    const ids = new Set<string>();
    for (const value of values) for (const idKey of index.lookupFirst(value) ?? []) ids.add(idKey);
    yield* byIds(collection, ids);
    return;
  }
  yield* collection.buffers();
}

function* byIds(collection: Collection, ids: Set<string> | undefined): Iterable<Buffer> {
  for (const idKey of [...(ids ?? [])]) {
    const buffer = collection.byIdKey(idKey);
    if (buffer) yield buffer;
  }
}

/** The values of `{ $in: [scalars] }` (the condition's only operator), else undefined. */
function scalarList(condition: unknown): unknown[] | undefined {
  if (!isOperatorDocument(condition) || Object.keys(condition as Document).length !== 1) return undefined;
  const list = (condition as Document).$in;
  return Array.isArray(list) && list.every(isScalar) ? list : undefined;
}

/**
 * Fields the filter requires to equal a scalar (`{ f: v }` or `{ f: { $eq: v } }`). Arrays, sub-documents,
 * null and regexes are left out: their matching rules (whole-array equality, missing fields, patterns) are
 * not plain key equality, so those filters go through mingo.
 */
function pinnedValues(filter: Document): Map<string, unknown> {
  const pinned = new Map<string, unknown>();
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$')) continue;
    const value = isOperatorDocument(condition) ? onlyEq(condition as Document) : condition;
    if (isScalar(value)) pinned.set(field, value);
  }
  return pinned;
}

function onlyEq(condition: Document): unknown {
  return Object.keys(condition).length === 1 ? condition.$eq : undefined;
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
  return (value as { _bsontype?: string })._bsontype === 'ObjectId';
}
