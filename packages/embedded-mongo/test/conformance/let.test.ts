// A command's `let` (MongoDB 5.0+): variables for $expr in filters, for aggregation pipelines and for
// pipeline updates, each value evaluated once as an expression before the command runs.
import { getModelForClass, modelOptions, prop } from '@typegoose/typegoose';
import { describe, expect, it } from 'vitest';
import { serverError, useDriver } from '../support/driver.js';

const fx = useDriver();

async function items(name: string) {
  const collection = fx.db.collection<{ _id: number; name: string; qty: number; note?: string }>(name);
  await collection.insertMany([
    { _id: 1, name: 'apple', qty: 5 },
    { _id: 2, name: 'pear', qty: 10 },
    { _id: 3, name: 'plum', qty: 15 },
  ]);
  return collection;
}

describe('let through the driver', () => {
  it('gives $expr its variables in find, count and aggregate', async () => {
    const collection = await items('reads');
    const found = await collection.find({ $expr: { $gte: ['$qty', '$$least'] } }, { let: { least: 10 }, sort: { _id: 1 } }).toArray();
    expect(found.map((doc) => doc._id)).toEqual([2, 3]);
    const aggregated = await collection.aggregate([{ $match: { $expr: { $eq: ['$name', '$$wanted'] } } }, { $project: { _id: 0, label: '$$label', literal: '$$literal' } }], { let: { wanted: 'pear', label: { $concat: ['a', 'b'] }, literal: { $literal: '$notAField' } } }).toArray();
    expect(aggregated).toEqual([{ label: 'ab', literal: '$notAField' }]);
  });

  it('gives pipeline updates, deletes and findAndModify their variables', async () => {
    const collection = await items('writes');
    await collection.updateOne({ $expr: { $eq: ['$_id', '$$id'] } }, [{ $set: { note: '$$note' } }], { let: { id: 1, note: 'checked' } });
    expect(await collection.findOne({ _id: 1 })).toMatchObject({ note: 'checked' });
    const modified = await collection.findOneAndUpdate({ $expr: { $eq: ['$name', '$$name'] } }, [{ $set: { qty: { $add: ['$qty', '$$more'] } } }], { let: { name: 'pear', more: 1 }, returnDocument: 'after' });
    expect(modified).toMatchObject({ _id: 2, qty: 11 });
    expect((await collection.deleteMany({ $expr: { $gt: ['$qty', '$$limit'] } }, { let: { limit: 10 } })).deletedCount).toBe(2);
    expect(await collection.countDocuments()).toBe(1);
  });

  it('fails a reference to a variable that was not defined', async () => {
    const collection = await items('undefined');
    const error = await serverError(collection.find({ $expr: { $eq: ['$qty', '$$missing'] } }).toArray());
    expect(error.code).toBe(17276);
  });
});

@modelOptions({ schemaOptions: { collection: 'stock' } })
class Stock {
  @prop({ required: true }) public name!: string;
  @prop({ required: true }) public qty!: number;
}

describe('let through a typegoose model', () => {
  it('passes let to aggregate and to find', async () => {
    const Items = getModelForClass(Stock, { existingConnection: fx.connection });
    await Items.create([{ name: 'fig', qty: 1 }, { name: 'kiwi', qty: 20 }]);
    const aggregated = await Items.aggregate<{ name: string }>([{ $match: { $expr: { $gt: ['$qty', '$$floor'] } } }, { $project: { _id: 0, name: 1 } }]).option({ let: { floor: 5 } });
    expect(aggregated).toEqual([{ name: 'kiwi' }]);
    const found = await Items.find({ $expr: { $lt: ['$qty', '$$ceiling'] } }).setOptions({ let: { ceiling: 5 } }).lean();
    expect(found.map((item) => item.name)).toEqual(['fig']);
  });
});
