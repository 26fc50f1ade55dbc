// Entity operations of the CRUD tests, mapped onto the Node.js driver's API, with results turned into the
// documents the unified format compares ("Converting Returned Model Objects to Documents").
import type { Document } from 'bson';
import { Collection, Db, MongoClient, type AnyBulkWriteOperation, type BulkWriteResult, type ClientBulkWriteModel } from 'mongodb';
import type { Entities } from './entities.js';
import type { Operation } from './files.js';

type Handler<T> = (target: T, args: Document, entities: Entities) => Promise<unknown>;

/** Splits off the named arguments; the rest are the driver call's options. */
function take(args: Document, ...names: string[]): [unknown[], Document] {
  const options: Document = { ...args };
  const values = names.map((name) => {
    const value = options[name];
    delete options[name];
    return value;
  });
  return [values, options];
}

function withSession(options: Document, entities: Entities): Document {
  if (typeof options.session !== 'string') return options;
  return { ...options, session: entities.get(options.session) };
}

/** The CRUD spec's ReturnDocument enum ("Before" / "After") as the driver spells it. */
function findAndModifyOptions(options: Document): Document {
  if (typeof options.returnDocument !== 'string') return options;
  return { ...options, returnDocument: options.returnDocument.toLowerCase() };
}

export function bulkWriteResult(result: BulkWriteResult): Document {
  return {
    deletedCount: result.deletedCount,
    insertedCount: result.insertedCount,
    insertedIds: { ...result.insertedIds },
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    upsertedCount: result.upsertedCount,
    upsertedIds: { ...result.upsertedIds },
  };
}

function updateResult(result: Document): Document {
  const converted: Document = { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedCount: result.upsertedCount };
  if (result.upsertedId !== null && result.upsertedId !== undefined) converted.upsertedId = result.upsertedId;
  return converted;
}

const collectionOperations: Record<string, Handler<Collection>> = {
  aggregate: (collection, args, entities) => {
    const [[pipeline], options] = take(args, 'pipeline');
    return collection.aggregate(pipeline as Document[], withSession(options, entities)).toArray();
  },
  bulkWrite: async (collection, args, entities) => {
    const [[requests], options] = take(args, 'requests');
    return bulkWriteResult(await collection.bulkWrite(requests as AnyBulkWriteOperation[], withSession(options, entities)));
  },
  countDocuments: (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return collection.countDocuments(filter as Document, withSession(options, entities));
  },
  count: (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return collection.count(filter as Document, withSession(options, entities));
  },
  estimatedDocumentCount: (collection, args, entities) => collection.estimatedDocumentCount(withSession(args, entities)),
  deleteMany: async (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return { deletedCount: (await collection.deleteMany(filter as Document, withSession(options, entities))).deletedCount };
  },
  deleteOne: async (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return { deletedCount: (await collection.deleteOne(filter as Document, withSession(options, entities))).deletedCount };
  },
  distinct: (collection, args, entities) => {
    const [[fieldName, filter], options] = take(args, 'fieldName', 'filter');
    return collection.distinct(fieldName as string, (filter ?? {}) as Document, withSession(options, entities));
  },
  find: (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return collection.find(filter as Document, withSession(options, entities)).toArray();
  },
  findOne: (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return collection.findOne(filter as Document, withSession(options, entities));
  },
  findOneAndDelete: (collection, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return collection.findOneAndDelete(filter as Document, withSession(options, entities));
  },
  findOneAndReplace: (collection, args, entities) => {
    const [[filter, replacement], options] = take(args, 'filter', 'replacement');
    return collection.findOneAndReplace(filter as Document, replacement as Document, findAndModifyOptions(withSession(options, entities)));
  },
  findOneAndUpdate: (collection, args, entities) => {
    const [[filter, update], options] = take(args, 'filter', 'update');
    return collection.findOneAndUpdate(filter as Document, update as Document, findAndModifyOptions(withSession(options, entities)));
  },
  insertMany: async (collection, args, entities) => {
    const [[documents], options] = take(args, 'documents');
    const result = await collection.insertMany(documents as Document[], withSession(options, entities));
    return { insertedIds: { ...result.insertedIds } };
  },
  insertOne: async (collection, args, entities) => {
    const [[document], options] = take(args, 'document');
    return { insertedId: (await collection.insertOne(document as Document, withSession(options, entities))).insertedId };
  },
  replaceOne: async (collection, args, entities) => {
    const [[filter, replacement], options] = take(args, 'filter', 'replacement');
    return updateResult(await collection.replaceOne(filter as Document, replacement as Document, withSession(options, entities)));
  },
  updateMany: async (collection, args, entities) => {
    const [[filter, update], options] = take(args, 'filter', 'update');
    return updateResult(await collection.updateMany(filter as Document, update as Document, withSession(options, entities)));
  },
  updateOne: async (collection, args, entities) => {
    const [[filter, update], options] = take(args, 'filter', 'update');
    return updateResult(await collection.updateOne(filter as Document, update as Document, withSession(options, entities)));
  },
  createIndex: (collection, args, entities) => {
    const [[keys], options] = take(args, 'keys');
    return collection.createIndex(keys as Document, withSession(options, entities));
  },
  dropIndex: (collection, args, entities) => {
    const [[name], options] = take(args, 'name');
    return collection.dropIndex(name as string, withSession(options, entities));
  },
  listIndexes: (collection, args, entities) => collection.listIndexes(withSession(args, entities)).toArray(),
  drop: (collection, args, entities) => collection.drop(withSession(args, entities)),
};

const databaseOperations: Record<string, Handler<Db>> = {
  aggregate: (db, args, entities) => {
    const [[pipeline], options] = take(args, 'pipeline');
    return db.aggregate(pipeline as Document[], withSession(options, entities)).toArray();
  },
  createCollection: async (db, args, entities) => {
    const [[name], options] = take(args, 'collection');
    await db.createCollection(name as string, withSession(options, entities));
    return undefined;
  },
  dropCollection: (db, args, entities) => {
    const [[name], options] = take(args, 'collection');
    return db.dropCollection(name as string, withSession(options, entities));
  },
  modifyCollection: (db, args, entities) => {
    const [[name], options] = take(args, 'collection');
    const { session, ...fields } = withSession(options, entities);
    return db.command({ collMod: name, ...fields }, { session });
  },
  listCollections: (db, args, entities) => {
    const [[filter], options] = take(args, 'filter');
    return db.listCollections(filter as Document, withSession(options, entities)).toArray();
  },
  runCommand: (db, args, entities) => {
    const [[command], options] = take(args, 'command', 'commandName');
    return db.command(command as Document, withSession(options, entities));
  },
};

const clientOperations: Record<string, Handler<MongoClient>> = {
  clientBulkWrite: (client, args, entities) => {
    const [[models], options] = take(args, 'models');
    // The format names each model by its one key ({ insertOne: {...} }); the driver by a name field.
    const driverModels = (models as Document[]).map((model) => {
      const [name, fields] = Object.entries(model)[0] as [string, Document];
      return { name, ...fields } as ClientBulkWriteModel;
    });
    return client.bulkWrite(driverModels, withSession(options, entities));
  },
  listDatabases: (client, args, entities) => client.db('admin').admin().listDatabases(withSession(args, entities)),
};

/** Runs an entity operation; throws the driver's error as it is. */
export async function runEntityOperation(operation: Operation, entities: Entities): Promise<unknown> {
  const target = entities.get(operation.object);
  const args = operation.arguments ?? {};
  const handler =
    target instanceof Collection
      ? collectionOperations[operation.name]
      : target instanceof Db
        ? databaseOperations[operation.name]
        : (target as { client?: unknown })?.client instanceof MongoClient
          ? clientOperations[operation.name]
          : undefined;
  if (!handler) throw new UnsupportedOperation(`the runner does not implement ${operation.name} on ${operation.object}`);
  const receiver = target instanceof Collection || target instanceof Db ? target : (target as { client: MongoClient }).client;
  return (handler as Handler<typeof receiver>)(receiver, args, entities);
}

export class UnsupportedOperation extends Error {
  override readonly name = 'UnsupportedOperation';
}
