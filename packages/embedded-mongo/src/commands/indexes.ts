// createIndexes, listIndexes, dropIndexes. mongoose sends createIndexes for every schema index when a model
// initialises (autoIndex), with names the driver derived from the keys (email_1), so repeating it must be a no-op.
import type { Document } from 'bson';
import type { Collection } from '../engine/collection.js';
import { defaultIndexName, sameKey, type IndexSpec } from '../engine/indexes.js';
import { valueKey } from '../engine/values.js';
import { effectiveCollation } from '../engine/collation.js';
import { promote } from '../engine/typed.js';
import { collectionName, cursorBatchSize, documentList, existingCollection, writableDatabase, type CommandHandler } from './context.js';
import { CommandError, notSupported } from './errors.js';
import { isView, writeTarget } from './targets.js';

/** Options that do not change which index it is (the server ignores them or they only tune the build). */
const IGNORED_OPTIONS = new Set(['background', 'v', 'ns', 'key', 'name']);

/** The spec to store, with the collection's default collation when it names none; a collated unique index is refused. */
function normalise(raw: Document, defaultCollation: Document | undefined): IndexSpec {
  const key = raw.key === undefined ? undefined : (promote(raw.key) as Record<string, number | string>);
  if (!key || typeof key !== 'object' || Object.keys(key).length === 0) throw new CommandError('CannotCreateIndex', "Error in specification: the 'key' field is a required property of an index specification", {}, 67);
  const spec: IndexSpec = { v: 2, key, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key) };
  for (const [option, value] of Object.entries(raw)) if (!IGNORED_OPTIONS.has(option)) spec[option] = value;
  const collation = effectiveCollation(raw.collation, defaultCollation);
  if (collation) spec.collation = collation.spec;
  else delete spec.collation;
  // Its keys would have to be collation keys for uniqueness to hold; Intl.Collator has none to offer.
  if (collation && spec.unique === true) throw notSupported('a unique index with a collation');
  return spec;
}

function options(spec: Document): string {
  return valueKey(Object.fromEntries(Object.entries(spec).filter(([k]) => !IGNORED_OPTIONS.has(k))));
}

const createIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'createIndexes');
  const database = writableDatabase(context);
  const createdCollectionAutomatically = database.collection(name) === undefined;
  const collection = writeTarget(context, name);
  const before = collection.indexSpecs().length;
  for (const raw of documentList(command, 'indexes')) {
    const spec = normalise(raw, collection.options.collation as Document | undefined);
    if (sameKey(spec.key, { _id: 1 }) && (spec.name === '_id_' || !spec.unique)) continue;
    const existing = collection.indexSpecs().find((other) => other.name === spec.name || sameKey(other.key, spec.key));
    if (existing) {
      if (existing.name === spec.name && sameKey(existing.key, spec.key) && options(existing) === options(spec)) continue;
      if (existing.name === spec.name && !sameKey(existing.key, spec.key)) {
        throw new CommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
      }
      if (existing.name === spec.name) throw new CommandError('IndexOptionsConflict', `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
      throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${existing.name}`);
    }
    collection.addIndex(spec, true);
  }
  const after = collection.indexSpecs().length;
  const reply: Document = { numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically };
  if (before === after) reply.note = 'all indexes already exist';
  return { ...reply, ok: 1 };
};

const listIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'listIndexes');
  const collection = existingCollection(context, name);
  if (!collection) throw new CommandError('NamespaceNotFound', `ns does not exist: ${context.databaseName}.${name}`);
  if (isView(collection)) throw new CommandError('CommandNotSupportedOnView', `Namespace ${context.databaseName}.${name} is a view, not a collection`);
  return context.cursors.first(`${context.databaseName}.${name}`, collection.indexSpecs().map((spec) => ({ ...spec })), cursorBatchSize(command));
};

function indexesToDrop(collection: Collection, target: unknown): string[] {
  const names = collection.indexes().map((index) => index.name);
  if (target === '*') return names;
  const wanted = Array.isArray(target) ? target : [target];
  return wanted.map((item) => {
    if (item === '_id_' || (typeof item === 'object' && item !== null && sameKey(item as Document, { _id: 1 }))) {
      throw new CommandError('InvalidOptions', 'cannot drop _id index', {}, 72);
    }
    const found = typeof item === 'string' ? collection.getIndex(item) : collection.indexes().find((index) => sameKey(index.spec.key, item as Document));
    if (!found) {
      throw typeof item === 'string'
        ? new CommandError('IndexNotFound', `index not found with name [${item}]`)
        : new CommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(item)}`);
    }
    return found.name;
  });
}

const dropIndexes: CommandHandler = (command, context) => {
  const name = collectionName(command, 'dropIndexes');
  const collection = existingCollection(context, name);
  if (!collection) throw new CommandError('NamespaceNotFound', `ns not found ${context.databaseName}.${name}`);
  const nIndexesWas = collection.indexSpecs().length;
  for (const indexName of indexesToDrop(collection, command.index)) collection.dropIndex(indexName, true);
  return { nIndexesWas, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes };
