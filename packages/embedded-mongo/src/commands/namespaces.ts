// Collections and databases: create, drop, listCollections, dropDatabase, listDatabases.
import type { Document } from 'bson';
import { Query } from '../engine/mingo.js';
import { collectionOptionCommands, createOptions } from './collectionOptions.js';
import { collectionName, cursorBatchSize, promotedDocument, writableDatabase, type CommandHandler } from './context.js';
import { CommandError } from './errors.js';
import { isView } from './targets.js';

const create: CommandHandler = (command, context) => {
  const name = collectionName(command, 'create');
  const database = writableDatabase(context);
  if (database.collection(name)) throw new CommandError('NamespaceExists', `Collection ${context.databaseName}.${name} already exists.`);
  database.createCollection(name, createOptions(command, context));
  return { ok: 1 };
};

const drop: CommandHandler = (command, context) => {
  const name = collectionName(command, 'drop');
  const database = context.catalog.get(context.databaseName);
  const collection = database?.collection(name);
  // Since MongoDB 7.0 dropping a missing collection succeeds.
  if (!database || !collection) return { ok: 1 };
  const nIndexesWas = collection.indexSpecs().length;
  database.dropCollection(name);
  if (isView(collection)) return { ok: 1 };
  return { nIndexesWas, ns: collection.namespace, ok: 1 };
};

const listCollections: CommandHandler = (command, context) => {
  const database = context.catalog.get(context.databaseName);
  const nameOnly = command.nameOnly === true;
  const entries = (database?.collectionNames() ?? []).map((name) => {
    const collection = database!.collection(name)!;
    if (isView(collection)) return nameOnly ? { name, type: 'view' } : { name, type: 'view', options: collection.options, info: { readOnly: true } };
    return nameOnly
      ? { name, type: 'collection' }
      : { name, type: 'collection', options: collection.options, info: { readOnly: false, uuid: collection.uuid }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } };
  });
  const filter = promotedDocument(command, 'filter');
  const selected = filter ? entries.filter((entry) => new Query(filter).test(entry)) : entries;
  return context.cursors.first(`${context.databaseName}.$cmd.listCollections`, selected, cursorBatchSize(command));
};

const dropDatabase: CommandHandler = (_command, context) => {
  context.catalog.drop(context.databaseName);
  return { dropped: context.databaseName, ok: 1 };
};

const listDatabases: CommandHandler = (command, context) => {
  const databases = context.catalog.names().map((name) => {
    const database = context.catalog.get(name)!;
    return { name, sizeOnDisk: database.sizeOnDisk, empty: database.empty };
  });
  const filter = promotedDocument(command, 'filter');
  const selected = filter ? databases.filter((entry) => new Query(filter).test(entry)) : databases;
  if (command.nameOnly === true) return { databases: selected.map(({ name }) => ({ name })), ok: 1 };
  const totalSize = selected.reduce((sum, entry) => sum + entry.sizeOnDisk, 0);
  return { databases: selected, totalSize, totalSizeMb: Math.round(totalSize / (1024 * 1024)), ok: 1 };
};

export const namespaceCommands: Record<string, CommandHandler> = { create, drop, listCollections, dropDatabase, listDatabases, ...collectionOptionCommands };
