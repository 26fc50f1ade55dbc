// Reads and plain writes: find, getMore, killCursors, count, distinct, insert, delete.
import type { Document } from 'bson';
import { effectiveCollation } from '../engine/collation.js';
import { checkInsert } from '../engine/fieldNames.js';
import { matchingBuffers, read } from '../engine/query.js';
import { decodeTyped } from '../engine/typed.js';
import { validateDocument } from '../engine/validation.js';
import { evaluateLet } from '../engine/variables.js';
import { valueKey, valuesAtPath } from '../engine/values.js';
import { collectionName, documentList, nonNegative, optionalNumber, promotedDocument, type CommandHandler } from './context.js';
import { CommandError } from './errors.js';
import { checkFields } from './fields.js';
import { checkHint, nonEmpty, readOptions, readView } from './reads.js';
import { existingWriteTarget, readTarget, writeTarget } from './targets.js';

const find: CommandHandler = (command, context) => {
  checkFields('find', command);
  const name = collectionName(command, 'find');
  const filter = promotedDocument(command, 'filter');
  const sort = nonEmpty(promotedDocument(command, 'sort'));
  const projection = nonEmpty(promotedDocument(command, 'projection'));
  const skip = nonNegative(command, 'skip', 'find');
  const limit = nonNegative(command, 'limit', 'find');
  const batchSize = nonNegative(command, 'batchSize', 'find');
  const target = readTarget(context, name);
  checkHint(target.collection, command.hint);
  const options = readOptions(command, context, target.defaultCollation);
  const docs = target.isView
    ? readView(target, [filter && { $match: filter }, sort && { $sort: sort }, skip ? { $skip: skip } : undefined, limit ? { $limit: limit } : undefined, projection && { $project: projection }], options)
    : read(target.collection, filter, { ...options, sort, projection, skip, limit });
  return context.cursors.first(target.namespace, docs, batchSize, command.singleBatch === true);
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
  checkFields('count', command);
  const target = readTarget(context, collectionName(command, 'count'));
  checkHint(target.collection, command.hint);
  const query = nonEmpty(promotedDocument(command, 'query'));
  const skip = nonNegative(command, 'skip', 'count') ?? 0;
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  const options = readOptions(command, context, target.defaultCollation);
  let found: number;
  if (target.isView) found = readView(target, [query && { $match: query }], options).length;
  // estimatedDocumentCount sends no query: answer from the collection's size, as the server does from metadata.
  else found = query ? matchingBuffers(target.collection, query, Infinity, options).length : (target.collection?.count ?? 0);
  const n = Math.max(0, found - skip);
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: CommandHandler = (command, context) => {
  checkFields('distinct', command);
  const key = command.key;
  if (typeof key !== 'string') throw new CommandError('Location40414', "BSON field 'distinct.key' is missing but a required field", {}, 40414);
  const target = readTarget(context, collectionName(command, 'distinct'));
  checkHint(target.collection, command.hint);
  const query = nonEmpty(promotedDocument(command, 'query'));
  const options = readOptions(command, context, target.defaultCollation);
  // Values as stored (an int64 stays an int64), read from the typed documents.
  const docs = target.isView ? readView(target, [query && { $match: query }], options) : matchingBuffers(target.collection, query, Infinity, options).map(decodeTyped);
  const values = new Map<string, unknown>();
  const strings: string[] = [];
  const collator = options.collation?.collator;
  for (const doc of docs) {
    for (const value of valuesAtPath(doc, key)) {
      if (value === undefined) continue;
      if (collator && typeof value === 'string') {
        if (strings.some((kept) => collator.compare(kept, value) === 0)) continue;
        strings.push(value);
      }
      if (!values.has(valueKey(value))) values.set(valueKey(value), value);
    }
  }
  return { values: [...values.values()], ok: 1 };
};

const insert: CommandHandler = (command, context) => {
  checkFields('insert', command);
  const documents = documentList(command, 'documents');
  const collection = writeTarget(context, collectionName(command, 'insert'));
  const ordered = command.ordered !== false;
  const bypass = command.bypassDocumentValidation === true;
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [index, doc] of documents.entries()) {
    try {
      checkInsert(doc);
      validateDocument(collection, doc, undefined, bypass);
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
  checkFields('delete', command);
  const statements = documentList(command, 'deletes');
  const collection = existingWriteTarget(context, collectionName(command, 'delete'));
  const ordered = command.ordered !== false;
  const variables = evaluateLet(command.let);
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [index, statement] of statements.entries()) {
    const limit = Number(statement.limit ?? 0);
    if (limit !== 0 && limit !== 1) throw new CommandError('FailedToParse', `The limit field in delete objects must be 0 or 1. Got ${limit}`);
    try {
      if (!collection) continue;
      checkHint(collection, statement.hint);
      const options = { collation: effectiveCollation(statement.collation, collection.options.collation as Document | undefined), variables };
      for (const buffer of matchingBuffers(collection, promotedDocument(statement, 'q'), limit === 1 ? 1 : Infinity, options)) {
        if (collection.removeStored(buffer)) n += 1;
      }
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      writeErrors.push(error.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

export const crudCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct, insert, delete: remove };
