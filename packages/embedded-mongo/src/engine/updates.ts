// Applying an update to one document: operator updates and pipeline updates through mingo's updater,
// replacements by hand; plus the document an upsert starts from. $setOnInsert is not in mingo, so it is
// applied as $set on inserts and dropped otherwise, as the server does.
import { Aggregator } from 'mingo';
import { update as applyOperators } from 'mingo/updater';
import { deserialize, ObjectId, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import { pickFields } from './rawFields.js';
import { encode, valueKey } from './values.js';

export type UpdateSpec = Document | Document[];

export interface UpdateOutcome {
  doc: Document;
  /** BSON of `doc`, ready to store. */
  bytes: Buffer;
  modified: boolean;
}

export function isOperatorUpdate(update: UpdateSpec): boolean {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0]!.startsWith('$');
}

export function validateUpdate(update: unknown): UpdateSpec {
  if (Array.isArray(update)) return update as Document[];
  if (update === null || typeof update !== 'object') throw new CommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$'));
    throw new CommandError('FailedToParse', `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  if (operators.length === 0 && keys.some((k) => k.includes('.') || k.startsWith('$'))) {
    throw new CommandError('BadValue', 'replacement document must not contain dotted or $-prefixed field names');
  }
  return update as Document;
}

/** Applies `update` to a stored document given as BSON (decoded here into a private copy mingo may change). */
export function applyUpdate(before: Buffer, update: UpdateSpec, arrayFilters: Document[] | undefined, isInsert: boolean, filter?: Document): UpdateOutcome {
  const current = deserialize(before);
  let next: Document;
  if (Array.isArray(update)) {
    next = runPipeline(current, update);
  } else if (isOperatorUpdate(update)) {
    next = current;
    const { $setOnInsert, ...operators } = update as Document;
    const modifier = isInsert && $setOnInsert ? { ...operators, $set: { ...(operators.$set as Document | undefined), ...($setOnInsert as Document) } } : operators;
    if (Object.keys(modifier).length > 0) {
      try {
        // The filter only matters to the positional `$` operator; mingo compiles it on every call otherwise.
        applyOperators(next, modifier, arrayFilters, !isInsert && usesPositional(modifier) ? filter : undefined, { cloneMode: 'copy' });
      } catch (error) {
        throw updateError(error);
      }
    }
  } else {
    next = current._id === undefined ? { ...update } : { _id: current._id, ...withoutId(update) };
    if (update._id !== undefined && current._id !== undefined && valueKey(update._id) !== valueKey(current._id)) throw immutableId();
  }
  const originalId = isInsert ? undefined : pickFields(before, ['_id'])._id;
  if (originalId !== undefined && valueKey(next._id) !== valueKey(originalId)) throw immutableId();
  const bytes = encode(next);
  return { doc: next, bytes, modified: !before.equals(bytes) };
}

/** The document an upsert inserts before the update applies: the filter's equality conditions. */
export function upsertSeed(filter: Document, update: UpdateSpec): Document {
  if (!Array.isArray(update) && !isOperatorUpdate(update)) {
    const id = update._id ?? equalityValue(filter._id);
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
  if (condition === null || typeof condition !== 'object' || condition instanceof Date || Array.isArray(condition)) return condition;
  if ((condition as { _bsontype?: string })._bsontype) return condition;
  const keys = Object.keys(condition);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) return (condition as Document).$eq;
  return condition;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const segments = path.split('.');
  let current = doc;
  for (const segment of segments.slice(0, -1)) {
    if (current[segment] === null || typeof current[segment] !== 'object') current[segment] = {};
    current = current[segment] as Document;
  }
  current[segments[segments.length - 1]!] = value;
}

function runPipeline(current: Document, pipeline: Document[]): Document {
  const allowed = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (!allowed.has(name)) throw new CommandError('InvalidOptions', `${name} is not allowed to be used within an update`, {}, 72);
  }
  try {
    const [result] = new Aggregator(pipeline, {}).run([current]) as Document[];
    return result ?? {};
  } catch (error) {
    throw updateError(error);
  }
}

function usesPositional(modifier: Document): boolean {
  return Object.values(modifier).some((fields) => fields !== null && typeof fields === 'object' && Object.keys(fields as Document).some((path) => /\.\$(\.|$)/.test(path)));
}

function withoutId(doc: Document): Document {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

function immutableId(): CommandError {
  return new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}

function updateError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = (error as Error).message ?? String(error);
  if (/immutable field '_id'/.test(message)) return immutableId();
  const unknown = /Unknown update operator: '?(\$\w+)/.exec(message);
  if (unknown) return new CommandError('FailedToParse', `Unknown modifier: ${unknown[1]}. Expected a valid update modifier or pipeline-style update specified as an array`);
  return new CommandError('BadValue', message);
}
