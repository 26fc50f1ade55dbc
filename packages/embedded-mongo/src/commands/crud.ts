// Reads and plain writes: find, getMore, killCursors, count, distinct, insert, delete.
import type { Document } from 'bson';
import { matching, matchingBuffers, read } from '../engine/query.js';
import { valueKey, valuesAtPath } from '../engine/values.js';
import { collectionName, documentList, existingCollection, optionalDocument, optionalNumber, writableDatabase, type CommandHandler } from './context.js';
import { CommandError } from './errors.js';

const find: CommandHandler = (command, context) => {
  const name = collectionName(command, 'find');
  const limit = optionalNumber(command, 'limit') ?? 0;
  const docs = read(existingCollection(context, name), optionalDocument(command, 'filter'), {
    sort: optionalDocument(command, 'sort'),
    projection: optionalDocument(command, 'projection'),
    skip: optionalNumber(command, 'skip'),
    limit: Math.abs(limit),
  });
  // A negative limit (legacy) means a single batch; the driver sends singleBatch: true instead nowadays.
  const singleBatch = command.singleBatch === true || limit < 0;
  return context.cursors.first(`${context.databaseName}.${name}`, docs, optionalNumber(command, 'batchSize'), singleBatch);
};

const getMore: CommandHandler = (command, context) => {
  const id = Number(command.getMore);
  const namespace = `${context.databaseName}.${collectionName(command, 'collection')}`;
  const reply = context.cursors.more(id, namespace, optionalNumber(command, 'batchSize'));
  if (!reply) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
  return reply;
};

const killCursors: CommandHandler = (command, context) => {
  const ids = documentList(command, 'cursors').map((id) => Number(id));
  const { killed, notFound } = context.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (command, context) => {
  const collection = existingCollection(context, collectionName(command, 'count'));
  const query = optionalDocument(command, 'query');
  // estimatedDocumentCount sends no query: answer from the collection's size, as the server does from metadata.
  const found = !query || Object.keys(query).length === 0 ? (collection?.count ?? 0) : matchingBuffers(collection, query).length;
  const skip = optionalNumber(command, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  const n = Math.max(0, found - skip);
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: CommandHandler = (command, context) => {
  const key = command.key;
  if (typeof key !== 'string') throw new CommandError('FailedToParse', "BSON field 'distinct.key' is missing but a required field", {}, 40414);
  const values = new Map<string, unknown>();
  for (const doc of matching(existingCollection(context, collectionName(command, 'distinct')), optionalDocument(command, 'query'))) {
    for (const value of valuesAtPath(doc, key)) if (value !== undefined) values.set(valueKey(value), value);
  }
  return { values: [...values.values()], ok: 1 };
};

const insert: CommandHandler = (command, context) => {
  const collection = writableDatabase(context).collectionForWrite(collectionName(command, 'insert'));
  const ordered = command.ordered !== false;
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [index, doc] of documentList(command, 'documents').entries()) {
    try {
      collection.insert(doc);
      n += 1;
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      writeErrors.push(error.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const remove: CommandHandler = (command, context) => {
  const collection = existingCollection(context, collectionName(command, 'delete'));
  let n = 0;
  for (const statement of documentList(command, 'deletes')) {
    const limit = Number(statement.limit ?? 0);
    if (limit !== 0 && limit !== 1) throw new CommandError('FailedToParse', 'The limit field in delete objects must be 0 or 1. Got ' + limit, {}, 9);
    if (!collection) continue;
    for (const doc of matching(collection, statement.q as Document | undefined, limit === 1 ? 1 : Infinity)) {
      if (collection.remove(valueKey(doc._id))) n += 1;
    }
  }
  return { n, ok: 1 };
};

export const crudCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct, insert, delete: remove };
