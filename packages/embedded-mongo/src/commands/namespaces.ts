// Collections and databases: create, drop, listCollections, dropDatabase, listDatabases.
import type { Document } from 'bson';
import { Query } from 'mingo';
import { collectionName, optionalDocument, writableDatabase, type CommandHandler } from './context.js';
import { CommandError } from './errors.js';

const create: CommandHandler = (command, context) => {
  const name = collectionName(command, 'create');
  const database = writableDatabase(context);
  if (database.collection(name)) throw new CommandError('NamespaceExists', `Collection ${context.databaseName}.${name} already exists.`);
  const { create: _name, $db, lsid, $clusterTime, $readPreference, writeConcern, ...options } = command;
  void [_name, $db, lsid, $clusterTime, $readPreference, writeConcern];
  if (options.viewOn !== undefined) throw new CommandError('CommandNotSupported', 'views are not supported by the embedded store', {}, 115);
  database.createCollection(name, options);
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
  return { nIndexesWas, ns: collection.namespace, ok: 1 };
};

const listCollections: CommandHandler = (command, context) => {
  const database = context.catalog.get(context.databaseName);
  const nameOnly = command.nameOnly === true;
  const entries = (database?.collectionNames() ?? []).map((name) => {
    const collection = database!.collection(name)!;
    return nameOnly
      ? { name, type: 'collection' }
      : { name, type: 'collection', options: collection.options, info: { readOnly: false, uuid: collection.uuid }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } };
  });
  const filter = optionalDocument(command, 'filter');
  const selected = filter ? entries.filter((entry) => new Query(filter, {}).test(entry)) : entries;
  const batchSize = (command.cursor as Document | undefined)?.batchSize as number | undefined;
  return context.cursors.first(`${context.databaseName}.$cmd.listCollections`, selected, batchSize);
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
  const filter = optionalDocument(command, 'filter');
  const selected = filter ? databases.filter((entry) => new Query(filter, {}).test(entry)) : databases;
  if (command.nameOnly === true) return { databases: selected.map(({ name }) => ({ name })), ok: 1 };
  const totalSize = selected.reduce((sum, entry) => sum + entry.sizeOnDisk, 0);
  return { databases: selected, totalSize, totalSizeMb: Math.round(totalSize / (1024 * 1024)), ok: 1 };
};

export const namespaceCommands: Record<string, CommandHandler> = { create, drop, listCollections, dropDatabase, listDatabases };
