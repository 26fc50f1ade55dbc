// Reading documents: pick candidates through the _id map or an index when the filter pins every indexed field
// to a plain value, else scan; then match. Filters made only of scalar equalities are matched on the few
// fields they name, read straight from BSON (no full decode, no mingo); anything else goes through mingo.
// Filters, sorts and projections arrive promoted (typed.ts); documents leave as stored, or retyped.
import { deserialize, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import type { Collation } from './collation.js';
import type { Collection } from './collection.js';
import { Query, typedRoot } from './mingo.js';
import { containsDecimal, pickFields } from './rawFields.js';
import { decodeTyped, promote, retype } from './typed.js';
import { valueKey, valuesAtPath } from './values.js';

export interface QueryOptions {
  collation?: Collation;
  /** The command's let variables, already evaluated ($$name in $expr). */
  variables?: Document;
}

export interface ReadOptions extends QueryOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** mingo builds a fresh operator context per Query (costly), so compiled filters are kept for reuse. */
const compiled = new Map<string, Query>();
const COMPILED_LIMIT = 500;
const EVERYTHING = new Query({});

/** A query that matches everything, to sort or project under `options` (its collation orders strings). */
function everything(options: QueryOptions): Query {
  return options.collation || options.variables ? compileFilter({ $and: [{}] }, options) : EVERYTHING;
}

function mingoOptions(options: QueryOptions) {
  return { collation: options.collation?.intlSpec, variables: options.variables };
}

export function compileFilter(filter: Document | undefined, options: QueryOptions = {}): Query {
  if (!filter || Object.keys(filter).length === 0) return EVERYTHING;
  const key = `${valueKey(filter)}|${options.collation ? valueKey(options.collation.intlSpec) : ''}|${options.variables ? valueKey(options.variables) : ''}`;
  let query = compiled.get(key);
  if (!query) {
    try {
      query = new Query(filter, mingoOptions(options));
    } catch (error) {
      throw queryError(error);
    }
    if (compiled.size >= COMPILED_LIMIT) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, query);
  }
  return query;
}

export function queryError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = (error as Error).message ?? String(error);
  const undefinedVariable = /Use of undefined variable: (\S+)/.exec(message);
  if (undefinedVariable) return new CommandError('Location17276', `Use of undefined variable: ${undefinedVariable[1]}`, {}, 17276);
  const unknownOperator = /unknown (?:query )?operator:? '?(\$\w+)/i.exec(message);
  if (unknownOperator) return new CommandError('BadValue', `unknown operator: ${unknownOperator[1]}`);
  return new CommandError('BadValue', message);
}

/** Whether a filter names `$type` anywhere: those are matched against typed documents (int32 ≠ int64 ≠ double). */
function usesType(filter: unknown): boolean {
  if (Array.isArray(filter)) return filter.some(usesType);
  if (filter === null || typeof filter !== 'object' || (filter as { _bsontype?: string })._bsontype) return false;
  return Object.entries(filter as Document).some(([key, value]) => key === '$type' || usesType(value));
}

/** BSON of the matching documents in natural (insertion) order. */
export function matchingBuffers(collection: Collection | undefined, filter: Document | undefined, stopAfter = Infinity, options: QueryOptions = {}): Buffer[] {
  if (!collection) return [];
  const pinned = pinnedValues(filter ?? {}, options.collation !== undefined);
  const equalityOnly = pinned.size === Object.keys(filter ?? {}).length;
  const found: Buffer[] = [];
  // A lone _id equality is fully answered by the _id map lookup in candidates().
  const byIdOnly = equalityOnly && pinned.size === 1 && pinned.has('_id');
  const test = byIdOnly ? () => true : equalityOnly ? equalityTest(pinned) : mingoTest(compileFilter(filter, options), usesType(filter), filterPaths(filter ?? {}));
  for (const buffer of candidates(collection, filter ?? {}, pinned, options.collation !== undefined)) {
    if (test(buffer)) {
      found.push(buffer);
      if (found.length >= stopAfter) break;
    }
  }
  return found;
}

/** Matching documents, decoded (promoted). */
export function matching(collection: Collection | undefined, filter: Document | undefined, stopAfter = Infinity, options: QueryOptions = {}): Document[] {
  return matchingBuffers(collection, filter, stopAfter, options).map(decodeForMingo);
}

/**
 * find semantics: filter, then sort, skip, limit, projection (mingo implements each as the server does).
 * Unprojected documents are returned as stored (their BSON); projected ones keep the types they had.
 */
export function read(collection: Collection | undefined, filter: Document | undefined, options: ReadOptions): Array<Document | Buffer> {
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  const projected = options.projection !== undefined && Object.keys(options.projection).length > 0;
  const skip = options.skip ?? 0;
  const buffers = matchingBuffers(collection, filter, sorted || !options.limit ? Infinity : skip + options.limit, options);
  let selected = buffers;
  if (sorted) {
    const docs = buffers.map(decodeForMingo);
    const bufferOf = new Map(docs.map((doc, index) => [doc, buffers[index] as Buffer]));
    try {
      let cursor = everything(options).find<Document>(docs).sort(options.sort as Record<string, 1 | -1>);
      if (skip) cursor = cursor.skip(skip);
      if (options.limit) cursor = cursor.limit(options.limit);
      selected = cursor.all().map((doc) => bufferOf.get(doc) as Buffer);
    } catch (error) {
      throw queryError(error);
    }
  } else {
    selected = buffers.slice(skip, options.limit ? skip + options.limit : undefined);
  }
  if (!projected) return selected;
  return selected.map((buffer) => project(buffer, options.projection as Document, options));
}

/** A stored document with a find projection applied, its numbers keeping their stored types. */
export function project(buffer: Buffer, projection: Document, options: QueryOptions = {}): Document {
  const typed = decodeTyped(buffer);
  try {
    const [projected] = everything(options).find<Document>([promote(typed)], projection).all();
    return retype(projected ?? {}, typed);
  } catch (error) {
    throw queryError(error);
  }
}

/** read(), every result decoded (promoted; for callers that go on matching or projecting). */
export function readDocuments(collection: Collection | undefined, filter: Document | undefined, options: ReadOptions): Document[] {
  return read(collection, filter, options).map((doc) => (Buffer.isBuffer(doc) ? decodeForMingo(doc) : doc));
}

/**
 * A stored document as mingo reads it: numbers as JS numbers. A decimal128 must compare with other numbers
 * by value, which mingo does only on a promoted document; the plain decode leaves it an object.
 */
export function decodeForMingo(buffer: Buffer): Document {
  return containsDecimal(buffer) ? promote(decodeTyped(buffer)) : deserialize(buffer);
}

/**
 * The fields a filter reads, or undefined when it may read the whole document ($expr, $where, $jsonSchema…).
 * Matching then decodes only those fields of each candidate, not its every sub-document.
 */
function filterPaths(filter: Document): string[] | undefined {
  const paths: string[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$comment') continue;
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition)) return undefined;
      for (const clause of condition) {
        const inner = clause !== null && typeof clause === 'object' ? filterPaths(clause as Document) : undefined;
        if (!inner) return undefined;
        paths.push(...inner);
      }
    } else if (key.startsWith('$') || key === '') return undefined;
    else paths.push(key);
  }
  return paths;
}

function mingoTest(query: Query, typed: boolean, paths: string[] | undefined): (buffer: Buffer) => boolean {
  const test = (doc: Document): boolean => {
    try {
      return query.test(doc);
    } catch (error) {
      // Errors mingo only meets while matching ($$undefined variables, bad operands) are the query's.
      throw queryError(error);
    }
  };
  // Decimals are promoted on decoding (decodeForMingo), which a partial decode does not do: those documents are read whole.
  if (!typed && paths) return (buffer) => test(containsDecimal(buffer) ? decodeForMingo(buffer) : pickFields(buffer, paths));
  if (!typed) return (buffer) => test(decodeForMingo(buffer));
  return (buffer) => {
    const doc = decodeTyped(buffer);
    return test(typedRoot(promote(doc), doc));
  };
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

/** Index lookups one query may make before a narrower scan is cheaper. */
const MAX_LOOKUPS = 64;

function* candidates(collection: Collection, filter: Document, pinned: Map<string, unknown>, collated: boolean): Iterable<Buffer> {
  if (pinned.has('_id')) {
    const buffer = collection.byIdKey(valueKey(pinned.get('_id')));
    if (buffer) yield buffer;
    return;
  }
  const usable = collection.indexes().filter((index) => index.servesLookups);
  const valuesOf = (path: string) => (pinned.has(path) ? [pinned.get(path)] : scalarList(filter[path], collated));
  // An index whose every field the filter pins to a value or a short list of values ($in) answers by lookups:
  // one per combination (an owner's sets in a few statuses), instead of scanning all the owner's documents.
  for (const index of usable) {
    const combinations = index.paths.reduce<unknown[][] | undefined>((sofar, path) => {
      const values = valuesOf(path);
      return sofar && values && sofar.length * values.length <= MAX_LOOKUPS ? sofar.flatMap((prefix) => values.map((value) => [...prefix, value])) : undefined;
    }, [[]]);
    if (!combinations) continue;
    const ids = new Set<string>();
    for (const values of combinations) for (const idKey of index.lookup(values) ?? []) ids.add(idKey);
    yield* byIds(collection, ids);
    return;
  }
  // An index whose first field the filter pins to one value or a list of values ($in) narrows the scan.
  for (const index of usable) {
    const values = valuesOf(index.paths[0] as string);
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

/** The values of `{ $in: [scalars] }` (the condition's only operator), else undefined. Under a collation strings do not count: equal strings need not have equal keys. */
function scalarList(condition: unknown, collated: boolean): unknown[] | undefined {
  if (!isOperatorDocument(condition) || Object.keys(condition as Document).length !== 1) return undefined;
  const list = (condition as Document).$in;
  return Array.isArray(list) && list.every((value) => isScalar(value, collated)) ? list : undefined;
}

/**
 * Fields the filter requires to equal a scalar (`{ f: v }` or `{ f: { $eq: v } }`). Arrays, sub-documents,
 * null and regexes are left out: their matching rules (whole-array equality, missing fields, patterns) are
 * not plain key equality, so those filters go through mingo. Under a collation strings are left out too:
 * equal strings are no longer equal bytes.
 */
function pinnedValues(filter: Document, collated: boolean): Map<string, unknown> {
  const pinned = new Map<string, unknown>();
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$')) continue;
    const value = isOperatorDocument(condition) ? onlyEq(condition as Document) : condition;
    if (isScalar(value, collated)) pinned.set(field, value);
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

function isScalar(value: unknown, collated: boolean): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return !collated;
  if (typeof value !== 'object') return true;
  if (value instanceof Date) return true;
  return (value as { _bsontype?: string })._bsontype === 'ObjectId';
}
