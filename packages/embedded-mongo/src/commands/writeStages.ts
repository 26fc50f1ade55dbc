// $out and $merge, the stages that write an aggregation's results into a collection (of this database or
// another). $out replaces the target's documents, all or nothing, keeping its indexes; $merge matches each
// result to a target document on `on` (default _id) and replaces, merges, keeps, fails or runs a pipeline,
// or inserts, discards or fails when nothing matches — document by document, as on the server.
import type { Document } from 'bson';
import type { Collection } from '../engine/collection.js';
import { Index } from '../engine/indexes.js';
import { Aggregator } from '../engine/mingo.js';
import { matchingBuffers } from '../engine/query.js';
import { decodeTyped, promote, retype } from '../engine/typed.js';
import { validateDocument } from '../engine/validation.js';
import { encode, valueAtPath, valueKey } from '../engine/values.js';
import type { CommandContext } from './context.js';
import { CommandError } from './errors.js';
import { isView } from './targets.js';

export const WRITE_STAGES = new Set(['$out', '$merge']);

interface Namespace {
  db: string;
  coll: string;
}

function namespaceOf(value: unknown, databaseName: string, stage: string): Namespace {
  if (typeof value === 'string') return { db: databaseName, coll: value };
  if (value !== null && typeof value === 'object' && typeof (value as Document).coll === 'string') {
    const { db, coll } = value as Document;
    return { db: typeof db === 'string' ? db : databaseName, coll: coll as string };
  }
  throw new CommandError('Location16990', `${stage} only supports a string or object argument, but found ${typeof value}`, {}, 16990);
}

function target(context: CommandContext, namespace: Namespace): Collection {
  const collection = context.catalog.getOrCreate(namespace.db).collectionForWrite(namespace.coll);
  if (isView(collection)) throw new CommandError('CommandNotSupportedOnView', `Namespace ${namespace.db}.${namespace.coll} is a view, not a collection`);
  return collection;
}

export function runWriteStage(stage: Document, results: Document[], context: CommandContext, bypassValidation: boolean): void {
  if ('$out' in stage) {
    const collection = target(context, namespaceOf(stage.$out, context.databaseName, '$out'));
    for (const doc of results) validateDocument(collection, doc, undefined, bypassValidation);
    collection.replaceAll(results);
    return;
  }
  merge(typeof stage.$merge === 'string' ? { into: stage.$merge } : (stage.$merge as Document), results, context, bypassValidation);
}

function merge(spec: Document, results: Document[], context: CommandContext, bypassValidation: boolean): void {
  const namespace = namespaceOf(spec.into, context.databaseName, '$merge');
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? (spec.on as string[]) : [spec.on as string];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  const collection = target(context, namespace);
  const byId = on.length === 1 && on[0] === '_id';
  if (!byId && !collection.indexes().some((index) => index.unique && index.paths.length === on.length && on.every((field) => index.paths.includes(field)))) {
    throw new CommandError('Location51183', 'Cannot find index to verify that join fields will be unique', {}, 51183);
  }
  for (const result of results) {
    const key: Document = {};
    for (const field of on) {
      const value = valueAtPath(result, field);
      if (value === undefined || value === null || Array.isArray(value)) throw new CommandError('Location51132', `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`, {}, 51132);
      key[field] = value;
    }
    const [existing] = byId ? [collection.byIdKey(valueKey(key._id))].filter((found): found is Buffer => found !== undefined) : matchingBuffers(collection, promote(key), 1);
    if (!existing) {
      if (whenNotMatched === 'discard') continue;
      if (whenNotMatched === 'fail') throw new CommandError('Location13113', '$merge could not find a matching document in the target collection for at least one document in the source collection', {}, 13113);
      validateDocument(collection, result, undefined, bypassValidation);
      collection.insert(result);
      continue;
    }
    const current = decodeTyped(existing);
    if (whenMatched === 'keepExisting') continue;
    if (whenMatched === 'fail') throw new Index({ v: 2, key: { _id: 1 }, name: '_id_' }).duplicateError(current, collection.namespace);
    let next: Document;
    if (Array.isArray(whenMatched)) {
      const variables = { new: promote(result), ...promote((spec.let as Document | undefined) ?? {}) };
      const [updated] = new Aggregator(promote(whenMatched as Document[]), { variables }).run([promote(current)]) as Document[];
      next = retype(updated ?? {}, current);
    } else if (whenMatched === 'replace') {
      next = result;
    } else {
      next = { ...current, ...result };
    }
    const { _id: ignored, ...fields } = next;
    void ignored;
    next = { _id: current._id, ...fields };
    validateDocument(collection, next, promote(current), bypassValidation);
    collection.replace(next, encode(next), existing);
  }
}
