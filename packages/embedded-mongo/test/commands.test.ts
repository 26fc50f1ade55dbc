// Conformance through the official driver: handshake, CRUD and cursors. Expectations follow the MongoDB
// manual's command reference, so the same file passes against a real server (TEST_MONGODB_URI).
import net from 'node:net';
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { serverError, useDriver } from './support/driver.js';

const fx = useDriver();

describe('handshake and server information', () => {
  it('answers hello as a writable standalone with a wire version the driver accepts', async () => {
    const hello = await fx.db.admin().command({ hello: 1 });
    expect(hello.ok).toBe(1);
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBeUndefined();
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(8);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
  });

  it('answers ping, buildInfo and getParameter', async () => {
    expect((await fx.db.admin().command({ ping: 1 })).ok).toBe(1);
    const info = await fx.db.admin().command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(Array.isArray(info.versionArray)).toBe(true);
    const fcv = await fx.db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(fcv.featureCompatibilityVersion.version).toMatch(/^\d+\.\d+$/);
  });

  it('drops a connection that sends an unreadable message and keeps serving the others', async () => {
    const { hostname, port } = new URL(fx.database.uri.replace(/^mongodb(\+srv)?:/, 'http:'));
    const socket = net.connect(Number(port || 27017), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const garbage = Buffer.alloc(30, 0xff);
    garbage.writeInt32LE(30, 0);
    garbage.writeInt32LE(2013, 12); // OP_MSG with sections that are not sections
    socket.write(garbage);
    await new Promise((resolve) => socket.once('close', resolve));
    expect((await fx.db.admin().command({ ping: 1 })).ok).toBe(1);
  });

  it('refuses an unknown command with code 59 CommandNotFound', async () => {
    const error = await serverError(fx.db.command({ frobnicate: 1 }));
    expect(error.code).toBe(59);
    expect(error.codeName).toBe('CommandNotFound');
    expect(error.errmsg).toContain('frobnicate');
  });
});

describe('insert and find', () => {
  it('returns inserted documents with their types intact', async () => {
    const people = fx.db.collection('people');
    const when = new Date('2026-01-02T03:04:05Z');
    const { insertedId } = await people.insertOne({ name: 'Ada', born: when, tags: ['math', 'code'], nested: { a: 1 } });
    const found = await people.findOne({ _id: insertedId });
    expect(found).toEqual({ _id: insertedId, name: 'Ada', born: when, tags: ['math', 'code'], nested: { a: 1 } });
    expect(found?._id).toBeInstanceOf(ObjectId);
  });

  it('matches, sorts, skips, limits and projects like the server', async () => {
    const scores = fx.db.collection('scores');
    await scores.insertMany([5, 3, 9, 1, 7].map((score, i) => ({ player: `p${i}`, score, team: i % 2 === 0 ? 'red' : 'blue' })));
    const top = await scores.find({ score: { $gte: 3 } }, { projection: { _id: 0, player: 1, score: 1 } }).sort({ score: -1 }).skip(1).limit(2).toArray();
    expect(top).toEqual([{ player: 'p4', score: 7 }, { player: 'p0', score: 5 }]);
    expect(await scores.countDocuments({ team: 'red' })).toBe(3);
    expect(await scores.estimatedDocumentCount()).toBe(5);
    expect((await scores.distinct('team')).sort()).toEqual(['blue', 'red']);
    expect(await scores.find({ team: { $in: ['blue'] }, score: { $lt: 4 } }).toArray()).toHaveLength(2);
  });

  it('applies equality to array elements and nested paths, and the other query operators', async () => {
    const posts = fx.db.collection('posts');
    await posts.insertMany([
      { title: 'a', tags: ['x', 'y'], meta: { lang: 'en', votes: 3 } },
      { title: 'b', tags: ['y'], meta: { lang: 'fr', votes: 0 } },
      { title: 'c', meta: { lang: 'en' }, note: null },
      { title: 'd', comments: [{ by: 'ann' }, { by: 'bob' }] },
    ]);
    const titles = async (filter: object) => (await posts.find(filter).sort({ title: 1 }).toArray()).map((d) => d.title);
    expect(await titles({ tags: 'x' })).toEqual(['a']);
    expect(await titles({ 'meta.lang': 'en' })).toEqual(['a', 'c']);
    expect(await titles({ 'comments.by': 'bob' })).toEqual(['d']);
    expect(await titles({ tags: ['y'] })).toEqual(['b']);
    expect(await titles({ note: null })).toEqual(['a', 'b', 'c', 'd']);
    expect(await titles({ note: { $exists: true } })).toEqual(['c']);
    expect(await titles({ $or: [{ 'meta.votes': { $gt: 2 } }, { title: /^d/ }] })).toEqual(['a', 'd']);
    expect(await titles({ 'meta.lang': { $ne: 'en' } })).toEqual(['b', 'd']);
  });

  it('pages a cursor past the first batch with getMore', async () => {
    const many = fx.db.collection('many');
    await many.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const seen = await many.find({}, { batchSize: 40 }).sort({ i: 1 }).toArray();
    expect(seen.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const defaults = await many.find({ i: { $gte: 10 } }).toArray();
    expect(defaults).toHaveLength(240);
  });

  it('accepts an insert of many megabytes in one message', async () => {
    const bulky = fx.db.collection('bulky');
    const payload = 'b'.repeat(4000);
    const result = await bulky.insertMany(Array.from({ length: 3000 }, (_, i) => ({ i, payload })));
    expect(result.insertedCount).toBe(3000);
    expect(await bulky.countDocuments({ payload })).toBe(3000);
  });

  it('kills a cursor so that getMore on it fails with CursorNotFound (43)', async () => {
    const many = fx.db.collection('many');
    const first = await fx.db.command({ find: 'many', filter: {}, batchSize: 2 });
    const id = first.cursor.id;
    const killed = await fx.db.command({ killCursors: 'many', cursors: [id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    const error = await serverError(fx.db.command({ getMore: id, collection: 'many' }));
    expect(error.code).toBe(43);
    expect(await many.countDocuments()).toBe(250);
  });
});

describe('update and delete', () => {
  it('updates one or many, upserts, and applies arrayFilters', async () => {
    const items = fx.db.collection('items');
    await items.insertMany([{ k: 'a', n: 1, parts: [{ v: 1 }, { v: 5 }] }, { k: 'b', n: 1 }, { k: 'c', n: 2 }]);
    const one = await items.updateOne({ n: 1 }, { $inc: { n: 10 } });
    expect([one.matchedCount, one.modifiedCount]).toEqual([1, 1]);
    const many = await items.updateMany({ n: { $lt: 5 } }, { $set: { small: true } });
    expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
    const same = await items.updateOne({ k: 'c' }, { $set: { n: 2 } });
    expect([same.matchedCount, same.modifiedCount]).toEqual([1, 0]);
    const up = await items.updateOne({ k: 'd' }, { $set: { n: 4 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(up.upsertedCount).toBe(1);
    expect(await items.findOne({ _id: up.upsertedId! }, { projection: { _id: 0 } })).toEqual({ k: 'd', n: 4, created: true });
    await items.updateOne({ k: 'd' }, { $set: { n: 5 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(await items.findOne({ k: 'd' }, { projection: { _id: 0 } })).toEqual({ k: 'd', n: 5, created: true });
    await items.updateOne({ k: 'a' }, { $set: { 'parts.$[big].v': 0 } }, { arrayFilters: [{ 'big.v': { $gt: 2 } }] });
    expect((await items.findOne({ k: 'a' }))?.parts).toEqual([{ v: 1 }, { v: 0 }]);
    await items.updateOne({ k: 'a', 'parts.v': 1 }, { $set: { 'parts.$.v': 7 } });
    expect((await items.findOne({ k: 'a' }))?.parts).toEqual([{ v: 7 }, { v: 0 }]);
    await items.updateOne({ k: 'a' }, [{ $set: { total: { $sum: '$parts.v' } } }]);
    expect((await items.findOne({ k: 'a' }))?.total).toBe(7);
  });

  it('replaces a document but keeps its _id, and refuses to change _id (66)', async () => {
    const items = fx.db.collection('replaced');
    const { insertedId } = await items.insertOne({ a: 1, b: 2 });
    await items.replaceOne({ _id: insertedId }, { c: 3 });
    expect(await items.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
    const error = await serverError(items.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } }));
    expect(error.code).toBe(66);
  });

  it('deletes one or many', async () => {
    const gone = fx.db.collection('gone');
    await gone.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await gone.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await gone.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect(await gone.countDocuments()).toBe(1);
  });
});

describe('findAndModify', () => {
  it('returns the document before or after, honouring sort, projection, upsert and remove', async () => {
    const jobs = fx.db.collection('jobs');
    await jobs.insertMany([{ name: 'x', priority: 1, state: 'new' }, { name: 'y', priority: 3, state: 'new' }]);
    const before = await jobs.findOneAndUpdate({ state: 'new' }, { $set: { state: 'taken' } }, { sort: { priority: -1 }, returnDocument: 'before' });
    expect(before).toMatchObject({ name: 'y', state: 'new' });
    const after = await jobs.findOneAndUpdate({ state: 'new' }, { $set: { state: 'taken' } }, { returnDocument: 'after', projection: { _id: 0, name: 1, state: 1 } });
    expect(after).toEqual({ name: 'x', state: 'taken' });
    expect(await jobs.findOneAndUpdate({ state: 'new' }, { $set: { state: 'taken' } })).toBeNull();
    const upserted = await jobs.findOneAndUpdate({ name: 'z' }, { $set: { state: 'new' } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(upserted.value).toMatchObject({ name: 'z', state: 'new' });
    const removed = await jobs.findOneAndDelete({ name: 'x' });
    expect(removed).toMatchObject({ name: 'x' });
    expect(await jobs.countDocuments()).toBe(2);
  });
});

describe('aggregate', () => {
  it('runs $match $sort $limit $skip $project $group $count $unwind $lookup', async () => {
    const orders = fx.db.collection('orders');
    const customers = fx.db.collection('customers');
    await customers.insertMany([{ _id: 'c1' as never, name: 'Ann' }, { _id: 'c2' as never, name: 'Bob' }]);
    await orders.insertMany([
      { customer: 'c1', total: 10, items: ['pen', 'ink'] },
      { customer: 'c1', total: 30, items: ['book'] },
      { customer: 'c2', total: 5, items: ['pen'] },
    ]);
    const totals = await orders.aggregate([{ $group: { _id: '$customer', sum: { $sum: '$total' } } }, { $sort: { sum: -1 } }]).toArray();
    expect(totals).toEqual([{ _id: 'c1', sum: 40 }, { _id: 'c2', sum: 5 }]);
    const counted = await orders.aggregate([{ $match: { total: { $gt: 6 } } }, { $count: 'big' }]).toArray();
    expect(counted).toEqual([{ big: 2 }]);
    const pens = await orders.aggregate([{ $unwind: '$items' }, { $match: { items: 'pen' } }, { $project: { _id: 0, customer: 1 } }, { $sort: { customer: 1 } }]).toArray();
    expect(pens).toEqual([{ customer: 'c1' }, { customer: 'c2' }]);
    const paged = await orders.aggregate([{ $sort: { total: 1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, total: 1 } }]).toArray();
    expect(paged).toEqual([{ total: 10 }]);
    const joined = await orders.aggregate([
      { $match: { total: 5 } },
      { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'who' } },
      { $project: { _id: 0, name: { $first: '$who.name' } } },
    ]).toArray();
    expect(joined).toEqual([{ name: 'Bob' }]);
  });
});
