// Applying an update to one stored document: operator updates by our own updater on the typed document (so
// every number keeps its BSON type), pipeline updates through mingo's aggregation on the promoted document
// (values that pass through keep their type: typed.ts), replacements by hand; plus the document an upsert
// starts from.
import { ObjectId, type Document } from 'bson';
import { Aggregator, Query } from './mingo.js';
import { CommandError } from '../commands/errors.js';
import { checkReplacement, checkUpdated } from './fieldNames.js';
import { decodeForMingo } from './query.js';
import { promote, retype, decodeTyped } from './typed.js';
import { applyOperators } from './update/apply.js';
import { parseOperatorUpdate, type UpdateEntry } from './update/parse.js';
import { isDocument } from './update/walk.js';
import { encode, valueAtPath, valueKey } from './values.js';

export type UpdateSpec = Document | Document[];

/** An update checked once per statement, ready for every document it matches. */
export type PreparedUpdate =
  | { kind: 'operators'; entries: UpdateEntry[]; arrayFilters: Map<string, Query> }
  | { kind: 'pipeline'; pipeline: Document[]; variables: Document | undefined }
  | { kind: 'replacement'; replacement: Document };

export interface UpdateOutcome {
  /** The new document, typed. */
  doc: Document;
  /** BSON of `doc`, ready to store. */
  bytes: Buffer;
  modified: boolean;
}

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export function isOperatorUpdate(update: UpdateSpec): boolean {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0]!.startsWith('$');
}

/** `update` as the command gave it (typed), its arrayFilters and the command's let variables (promoted). */
export function prepareUpdate(update: unknown, arrayFilters: unknown, variables: Document | undefined): PreparedUpdate {
  if (Array.isArray(update)) {
    if (arrayFilters !== undefined) throw new CommandError('FailedToParse', 'Specifying arrayFilters is not allowed for pipeline-style updates');
    for (const stage of update as unknown[]) {
      const name = isDocument(stage) ? (Object.keys(stage)[0] ?? '') : '';
      if (!PIPELINE_STAGES.has(name)) throw new CommandError('InvalidOptions', `${name || 'A non-object stage'} is not allowed to be used within an update`);
    }
    return { kind: 'pipeline', pipeline: promote(update as Document[]), variables };
  }
  if (!isDocument(update)) throw new CommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length === keys.length) return { kind: 'operators', entries: parseOperatorUpdate(update, new Set(filterIds(arrayFilters))), arrayFilters: compileArrayFilters(arrayFilters) };
  if (operators.length > 0 && keys[0]!.startsWith('$')) {
    const plain = keys.find((key) => !key.startsWith('$'));
    throw new CommandError('FailedToParse', `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  if (arrayFilters !== undefined && (arrayFilters as unknown[]).length > 0) throw new CommandError('FailedToParse', 'Cannot use an update document with arrayFilters: they only apply to update operators');
  checkReplacement(update);
  return { kind: 'replacement', replacement: update };
}

function filterIds(arrayFilters: unknown): string[] {
  if (arrayFilters === undefined) return [];
  if (!Array.isArray(arrayFilters)) throw new CommandError('TypeMismatch', "BSON field 'arrayFilters' is the wrong type, expected type 'array'");
  return arrayFilters.map((filter) => {
    const ids = new Set(Object.keys(filter as Document).map((key) => key.split('.')[0]!));
    if (ids.size !== 1) throw new CommandError('FailedToParse', `Error parsing array filter :: caused by :: Expected a single top-level field name, found ${[...ids].join(', ') || 'none'}`);
    return [...ids][0]!;
  });
}

function compileArrayFilters(arrayFilters: unknown): Map<string, Query> {
  const compiled = new Map<string, Query>();
  for (const filter of (arrayFilters as Document[] | undefined) ?? []) {
    const id = Object.keys(filter)[0]!.split('.')[0]!;
    if (compiled.has(id)) throw new CommandError('FailedToParse', `Found multiple array filters with the same top-level field name ${id}`);
    compiled.set(id, new Query(promote(filter), {}));
  }
  return compiled;
}

/**
 * Applies `update` to the stored document `before` (BSON). `query` is the statement's compiled filter, which
 * the positional `$` needs to find the array element that matched.
 */
export function applyUpdate(before: Buffer, update: PreparedUpdate, isInsert: boolean, query?: Query): UpdateOutcome {
  const current = decodeTyped(before);
  const originalId = valueKey(current._id);
  let next: Document;
  if (update.kind === 'operators') {
    next = current;
    if (update.entries.length > 0) applyOperators(next, update.entries, isInsert, walkContext(before, update.arrayFilters, isInsert ? undefined : query));
    checkUpdated(next);
  } else if (update.kind === 'pipeline') {
    next = runPipeline(current, update.pipeline, update.variables);
    checkUpdated(next);
  } else {
    if (update.replacement._id !== undefined && current._id !== undefined && valueKey(update.replacement._id) !== originalId) throw immutableId();
    next = current._id === undefined ? { ...update.replacement } : { _id: current._id, ...withoutId(update.replacement) };
  }
  if (!isInsert && valueKey(next._id) !== originalId) throw immutableId();
  const bytes = encode(next);
  return { doc: next, bytes, modified: !before.equals(bytes) };
}

function walkContext(before: Buffer, arrayFilters: Map<string, Query>, query: Query | undefined) {
  return {
    positional(path: string[]): number | undefined {
      // The document as the query saw it, before this update changed anything.
      const promoted = decodeForMingo(before);
      const array = valueAtPath(promoted, path.join('.'));
      if (!query || !Array.isArray(array)) return undefined;
      for (let index = 0; index < array.length; index++) if (query.test(withValueAt(promoted, path, [array[index]]))) return index;
      return undefined;
    },
    arrayFilter(id: string, element: unknown): boolean {
      return arrayFilters.get(id)?.test({ [id]: promote(element) }) ?? false;
    },
  };
}

/** A shallow copy of `doc` with `value` at `path` (copying only the sub-documents on the way). */
function withValueAt(doc: Document, path: string[], value: unknown): Document {
  const [head, ...rest] = path as [string, ...string[]];
  const inner = doc[head];
  return { ...doc, [head]: rest.length === 0 ? value : isDocument(inner) ? withValueAt(inner, rest, value) : inner };
}

function runPipeline(current: Document, pipeline: Document[], variables: Document | undefined): Document {
  let result: Document | undefined;
  try {
    [result] = new Aggregator(pipeline, { variables }).run([promote(current)]) as Document[];
  } catch (error) {
    throw updateError(error);
  }
  const next = retype(result ?? {}, current);
  // The server keeps _id when a stage ($replaceRoot, $project) leaves it out.
  return next._id === undefined && current._id !== undefined ? { _id: current._id, ...next } : next;
}

/** The document an upsert inserts before the update applies: the filter's equality conditions (typed). */
export function upsertSeed(filter: Document, update: PreparedUpdate): Document {
  if (update.kind === 'replacement') {
    const id = update.replacement._id ?? equalityValue(filter._id);
    return id === undefined ? {} : { _id: id };
  }
  const seed: Document = {};
  collectEqualities(filter, seed);
  return seed;
}

/** After the update, an upserted document without _id gets a fresh ObjectId in first position. */
export function withId(doc: Document): Document {
  if (doc._id !== undefined) return { _id: doc._id, ...withoutId(doc) };
  return { _id: new ObjectId(), ...doc };
}

function collectEqualities(filter: Document, seed: Document): void {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) collectEqualities(clause as Document, seed);
      continue;
    }
    if (field.startsWith('$')) continue;
    const value = equalityValue(condition);
    if (value !== undefined) setPath(seed, field, value);
  }
}

function equalityValue(condition: unknown): unknown {
  if (!isDocument(condition)) return condition;
  const keys = Object.keys(condition);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) return condition.$eq;
  return condition;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const segments = path.split('.');
  let current = doc;
  for (const segment of segments.slice(0, -1)) {
    if (!isDocument(current[segment])) current[segment] = {};
    current = current[segment] as Document;
  }
  current[segments[segments.length - 1]!] = value;
}

function withoutId(doc: Document): Document {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

export function immutableId(): CommandError {
  return new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}

function updateError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = (error as Error).message ?? String(error);
  if (/immutable field '_id'/.test(message)) return immutableId();
  return new CommandError('BadValue', message);
}
