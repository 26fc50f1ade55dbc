// Conformance through the official driver: indexes, namespaces, and what a standalone refuses.
import { describe, expect, it } from 'vitest';
import { serverError, useDriver } from './support/driver.js';

const fx = useDriver();

describe('indexes', () => {
  it('enforces a unique index with the server duplicate-key error (11000, keyPattern, keyValue)', async () => {
    const users = fx.db.collection('users');
    expect(await users.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await users.insertOne({ email: 'a@example.com' });
    const error = await serverError(users.insertOne({ email: 'a@example.com' }));
    expect(error.code).toBe(11000);
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'a@example.com' });
    expect(error.message).toMatch(/^E11000 duplicate key error collection: \S+\.users index: email_1 dup key: \{ email: "a@example.com" \}/);
    const moved = await users.insertOne({ email: 'b@example.com' });
    const update = await serverError(users.updateOne({ _id: moved.insertedId }, { $set: { email: 'a@example.com' } }));
    expect(update.code).toBe(11000);
    expect(await users.countDocuments()).toBe(2);
  });

  it('enforces compound unique indexes on the combination only', async () => {
    const slugs = fx.db.collection('slugs');
    await slugs.createIndex({ owner: 1, slug: 1 }, { unique: true });
    await slugs.insertMany([{ owner: 'u1', slug: 'x' }, { owner: 'u2', slug: 'x' }]);
    const error = await serverError(slugs.insertOne({ owner: 'u1', slug: 'x' }));
    expect(error.code).toBe(11000);
    expect(error.keyValue).toEqual({ owner: 'u1', slug: 'x' });
  });

  it('stops an ordered insertMany at the first duplicate, and continues past it when unordered', async () => {
    const tags = fx.db.collection('tags');
    await tags.createIndex({ t: 1 }, { unique: true });
    const ordered = await serverError(tags.insertMany([{ t: 1 }, { t: 1 }, { t: 2 }]));
    expect(ordered.code).toBe(11000);
    expect(await tags.countDocuments()).toBe(1);
    await serverError(tags.insertMany([{ t: 3 }, { t: 1 }, { t: 4 }], { ordered: false }));
    expect(await tags.countDocuments()).toBe(3);
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const dupes = fx.db.collection('dupes');
    await dupes.insertMany([{ v: 1 }, { v: 1 }]);
    expect((await serverError(dupes.createIndex({ v: 1 }, { unique: true }))).code).toBe(11000);
  });

  it('answers queries on indexed fields exactly as without the index', async () => {
    const sets = fx.db.collection('sets');
    await sets.createIndex({ status: 1 });
    await sets.createIndex({ owner: 1, created: -1 });
    await sets.insertMany([
      { n: 1, status: 'pending', owner: 'ann', created: 1 },
      { n: 2, status: 'completed', owner: 'ann', created: 2 },
      { n: 3, status: ['generating', 'pending'], owner: 'bob', created: 3 },
      { n: 4, owner: 'bob', created: 4 },
      { n: 5, status: 'failed', owner: 'ann', created: 5 },
    ]);
    const ns = async (filter: object) => (await sets.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n);
    expect(await ns({ status: 'pending' })).toEqual([1, 3]);
    expect(await ns({ status: { $in: ['generating', 'failed'] } })).toEqual([3, 5]);
    expect(await ns({ status: { $in: ['pending'] }, owner: 'bob' })).toEqual([3]);
    expect(await ns({ owner: 'ann', created: { $gt: 1 } })).toEqual([2, 5]);
    expect(await ns({ owner: 'ann', created: 2 })).toEqual([2]);
    expect(await ns({ owner: { $in: ['bob'] }, status: { $exists: false } })).toEqual([4]);
    await sets.updateOne({ n: 1 }, { $set: { status: 'completed', owner: 'bob' } });
    expect(await ns({ status: 'pending' })).toEqual([3]);
    expect(await ns({ owner: 'bob', created: { $lt: 4 } })).toEqual([1, 3]);
  });

  it('lists and drops indexes', async () => {
    const listed = fx.db.collection('listed');
    await listed.createIndex({ a: 1 });
    await listed.createIndex({ b: -1 }, { name: 'by_b' });
    expect(await listed.createIndex({ a: 1 })).toBe('a_1'); // repeating a definition is a no-op
    const names = (await listed.listIndexes().toArray()).map((index) => index.name);
    expect(names).toEqual(['_id_', 'a_1', 'by_b']);
    await listed.dropIndex('a_1');
    expect((await listed.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'by_b']);
    expect((await serverError(listed.dropIndex('nope'))).code).toBe(27);
    await listed.dropIndexes();
    expect((await listed.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
    expect((await serverError(fx.db.collection('never_created').listIndexes().toArray())).code).toBe(26);
  });
});

describe('collections and databases', () => {
  it('creates, lists and drops collections', async () => {
    await fx.db.createCollection('made');
    expect((await serverError(fx.db.command({ create: 'made' }))).code).toBe(48);
    const names = (await fx.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('made');
    expect(await fx.db.collection('made').drop()).toBe(true);
    expect((await fx.db.listCollections({ name: 'made' }).toArray())).toHaveLength(0);
  });

  it('lists and drops databases', async () => {
    const other = fx.client.db(`${fx.database.dbName}_other`);
    await other.collection('x').insertOne({ x: 1 });
    const { databases } = await fx.db.admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(other.databaseName);
    expect(await other.dropDatabase()).toBe(true);
    const after = await fx.db.admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(other.databaseName);
    expect(await other.collection('x').countDocuments()).toBe(0);
  });
});

describe('what a standalone server refuses', () => {
  it('refuses transactions the way a standalone mongod does', async () => {
    const session = fx.client.startSession();
    try {
      session.startTransaction();
      // The server answers code 20 "Transaction numbers are only allowed on a replica set member or mongos";
      // for writes the driver wraps that in its advice about retryWrites (keeping the server's error inside).
      const read = await serverError(fx.db.collection('txn').findOne({}, { session }));
      expect(read.code).toBe(20);
      expect(read.codeName).toBe('IllegalOperation');
      const write = await serverError(fx.db.collection('txn').insertOne({ a: 1 }, { session }));
      expect(write.message).toMatch(/does not support retryable writes/);
      expect((write as unknown as { originalError: { code: number } }).originalError.code).toBe(20);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await fx.db.collection('txn').countDocuments()).toBe(0);
  });

  it('refuses change streams with code 40573', async () => {
    const stream = fx.db.collection('watched').watch();
    const error = await serverError(stream.tryNext());
    expect(error.code).toBe(40573);
    await stream.close();
  });
});
