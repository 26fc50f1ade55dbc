// Aggregations that write ($out, $merge) and aggregations on no collection ({ aggregate: 1 } with
// $documents or $listLocalSessions), as the server runs them.
import { getModelForClass, modelOptions, prop } from '@typegoose/typegoose';
import { describe, expect, it } from 'vitest';
import { serverError, useDriver } from '../support/driver.js';

const fx = useDriver();

async function sales(name: string) {
  const collection = fx.db.collection<{ _id: number; item: string; qty: number }>(name);
  await collection.insertMany([
    { _id: 1, item: 'a', qty: 2 },
    { _id: 2, item: 'b', qty: 5 },
    { _id: 3, item: 'a', qty: 3 },
  ]);
  return collection;
}

describe('$out', () => {
  it('replaces the target’s documents with the results and keeps its indexes', async () => {
    const source = await sales('out_source');
    const target = fx.db.collection('out_target');
    await target.insertOne({ _id: 'old' });
    await target.createIndex({ item: 1 }, { unique: true });
    const reply = await source.aggregate([{ $group: { _id: '$item', total: { $sum: '$qty' } } }, { $project: { item: '$_id', total: 1 } }, { $out: 'out_target' }]).toArray();
    expect(reply).toEqual([]);
    expect(await target.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'a', item: 'a', total: 5 },
      { _id: 'b', item: 'b', total: 5 },
    ]);
    expect((await target.listIndexes().toArray()).map((index) => index.name).sort()).toEqual(['_id_', 'item_1']);
  });

  it('changes nothing when a result breaks a unique index of the target', async () => {
    const source = await sales('out_dup_source');
    const target = fx.db.collection('out_dup_target');
    await target.insertOne({ _id: 'kept', item: 'z' });
    await target.createIndex({ item: 1 }, { unique: true });
    const error = await serverError(source.aggregate([{ $project: { item: 1 } }, { $out: 'out_dup_target' }]).toArray());
    expect(error.code).toBe(11000);
    expect(await target.find().toArray()).toEqual([{ _id: 'kept', item: 'z' }]);
  });

  it('must be the last stage', async () => {
    const source = await sales('out_last');
    const error = await serverError(source.aggregate([{ $out: 'x' }, { $match: {} }]).toArray());
    expect(error.code).toBe(40601);
  });
});

describe('$merge', () => {
  it('merges matched documents and inserts the others by default', async () => {
    const source = await sales('merge_source');
    const target = fx.db.collection('merge_target');
    await target.insertMany([{ _id: 1, item: 'old', note: 'kept' }, { _id: 9, item: 'untouched' }]);
    await source.aggregate([{ $match: { _id: { $lte: 2 } } }, { $merge: { into: 'merge_target' } }]).toArray();
    expect(await target.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, item: 'a', qty: 2, note: 'kept' },
      { _id: 2, item: 'b', qty: 5 },
      { _id: 9, item: 'untouched' },
    ]);
  });

  it('replaces, keeps, fails, runs a pipeline or discards as asked', async () => {
    const source = await sales('merge_modes');
    const target = fx.db.collection('merge_modes_target');
    await target.insertMany([{ _id: 1, item: 'old', note: 'x' }]);
    await source.aggregate([{ $match: { _id: 1 } }, { $merge: { into: 'merge_modes_target', whenMatched: 'replace' } }]).toArray();
    expect(await target.findOne({ _id: 1 })).toEqual({ _id: 1, item: 'a', qty: 2 });
    await source.aggregate([{ $match: { _id: 1 } }, { $project: { qty: 100 } }, { $merge: { into: 'merge_modes_target', whenMatched: 'keepExisting' } }]).toArray();
    expect(await target.findOne({ _id: 1 })).toEqual({ _id: 1, item: 'a', qty: 2 });
    await source.aggregate([{ $match: { _id: 1 } }, { $merge: { into: 'merge_modes_target', whenMatched: [{ $set: { qty: { $add: ['$qty', '$$new.qty'] } } }] } }]).toArray();
    expect(await target.findOne({ _id: 1 })).toEqual({ _id: 1, item: 'a', qty: 4 });
    const failed = await serverError(source.aggregate([{ $match: { _id: 1 } }, { $merge: { into: 'merge_modes_target', whenMatched: 'fail' } }]).toArray());
    expect(failed.code).toBe(11000);
    await source.aggregate([{ $match: { _id: 3 } }, { $merge: { into: 'merge_modes_target', whenNotMatched: 'discard' } }]).toArray();
    expect(await target.countDocuments()).toBe(1);
    const missing = await serverError(source.aggregate([{ $match: { _id: 3 } }, { $merge: { into: 'merge_modes_target', whenNotMatched: 'fail' } }]).toArray());
    expect(missing.code).toBe(13113);
  });

  it('matches on other fields only with a unique index on them', async () => {
    const source = await sales('merge_on');
    const target = fx.db.collection('merge_on_target');
    await target.insertOne({ _id: 'x', item: 'b', qty: 0 });
    const noIndex = await serverError(source.aggregate([{ $match: { _id: 2 } }, { $project: { _id: 0, item: 1, qty: 1 } }, { $merge: { into: 'merge_on_target', on: 'item' } }]).toArray());
    expect(noIndex.code).toBe(51183);
    await target.createIndex({ item: 1 }, { unique: true });
    await source.aggregate([{ $match: { _id: 2 } }, { $project: { _id: 0, item: 1, qty: 1 } }, { $merge: { into: 'merge_on_target', on: 'item' } }]).toArray();
    expect(await target.find().toArray()).toEqual([{ _id: 'x', item: 'b', qty: 5 }]);
  });
});

describe('aggregate on no collection', () => {
  it('runs a pipeline that starts with $documents', async () => {
    const results = await fx.db.aggregate([{ $documents: [{ n: 1 }, { n: 2 }, { n: 3 }] }, { $match: { n: { $gte: 2 } } }, { $group: { _id: null, total: { $sum: '$n' } } }]).toArray();
    expect(results).toEqual([{ _id: null, total: 5 }]);
  });

  it('lists the local sessions, which include this client’s', async () => {
    const session = fx.client.startSession();
    try {
      await fx.db.command({ ping: 1 }, { session });
      const sessions = await fx.client.db('admin').aggregate([{ $listLocalSessions: {} }], { session }).toArray();
      expect(sessions.length).toBeGreaterThanOrEqual(1);
      expect(sessions[0]).toHaveProperty('_id.id');
      expect(sessions[0]).toHaveProperty('lastUse');
    } finally {
      await session.endSession();
    }
  });

  it('refuses a pipeline that needs a collection', async () => {
    const error = await serverError(fx.db.aggregate([{ $match: {} }]).toArray());
    expect(error.code).toBe(73);
  });
});

@modelOptions({ schemaOptions: { collection: 'orders' } })
class Order {
  @prop({ required: true }) public customer!: string;
  @prop({ required: true }) public amount!: number;
}

describe('aggregations that write, through a typegoose model', () => {
  it('writes totals with $merge and reads them back', async () => {
    const Orders = getModelForClass(Order, { existingConnection: fx.connection });
    await Orders.create([{ customer: 'ann', amount: 3 }, { customer: 'ann', amount: 4 }, { customer: 'bo', amount: 1 }]);
    await Orders.aggregate([{ $group: { _id: '$customer', total: { $sum: '$amount' } } }, { $merge: { into: 'order_totals' } }]);
    expect(await fx.connection.collection('order_totals').find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'ann', total: 7 },
      { _id: 'bo', total: 1 },
    ]);
    await Orders.aggregate([{ $match: { customer: 'bo' } }, { $out: 'bo_orders' }]);
    expect(await fx.connection.collection('bo_orders').countDocuments()).toBe(1);
  });
});
