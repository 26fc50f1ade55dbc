// Numbers keep their BSON type (int32, int64, double, decimal128) through the store, as on a real server:
// stored as sent, untouched by updates of other fields, combined by $inc/$mul with the server's type rules,
// and returned as stored by finds, projections, aggregations, distinct and findAndModify.
import { getModelForClass, modelOptions, prop, Severity } from '@typegoose/typegoose';
import { Decimal128, Double, Int32, Long, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { useDriver } from '../support/driver.js';

const fx = useDriver();
const TYPED = { promoteValues: false } as const;

/** The BSON type of each field of `doc` as the server stored it. */
function types(doc: Document | null): Record<string, string> {
  return Object.fromEntries(Object.entries(doc ?? {}).map(([key, value]) => [key, (value as { _bsontype?: string })?._bsontype ?? typeof value]));
}

describe('numbers through the driver', () => {
  it('stores int32, int64, double and decimal128 exactly as sent', async () => {
    const numbers = fx.db.collection('stored');
    await numbers.insertOne({ _id: 1, i: new Int32(5), l: Long.fromNumber(5), d: new Double(3), f: 2.5, dec: Decimal128.fromString('1.10'), big: Long.fromString('9007199254740993') });
    const stored = await numbers.findOne({ _id: 1 }, TYPED);
    expect(types(stored)).toMatchObject({ i: 'Int32', l: 'Long', d: 'Double', f: 'Double', dec: 'Decimal128', big: 'Long' });
    expect(String(stored?.big)).toBe('9007199254740993');
    expect(String(stored?.dec)).toBe('1.10');
    // Promoted (the driver's default), an int64 and a whole double read as plain numbers.
    expect(await numbers.findOne({ _id: 1 }, { projection: { l: 1, d: 1 } })).toEqual({ _id: 1, l: 5, d: 3 });
  });

  it('matches numbers by value across types, and $type by the stored type', async () => {
    const numbers = fx.db.collection('matched');
    await numbers.insertMany([{ _id: 'int', n: new Int32(5) }, { _id: 'long', n: Long.fromNumber(5) }, { _id: 'double', n: new Double(5) }]);
    const ids = async (filter: Document) => (await numbers.find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    expect(await ids({ n: 5 })).toEqual(['double', 'int', 'long']);
    expect(await ids({ n: { $type: 'long' } })).toEqual(['long']);
    expect(await ids({ n: { $type: 'double' } })).toEqual(['double']);
    expect(await ids({ n: { $type: 'int' } })).toEqual(['int']);
    expect(await ids({ n: { $type: 'number' } })).toEqual(['double', 'int', 'long']);
  });

  it('leaves the types of fields an update does not touch, and widens them as $inc and $mul do on the server', async () => {
    const numbers = fx.db.collection('updated');
    await numbers.insertOne({ _id: 1, l: Long.fromNumber(5), d: new Double(3), i: new Int32(2), max: new Int32(2147483647), tag: 'a' });
    await numbers.updateOne({ _id: 1 }, { $set: { tag: 'b' } });
    expect(types(await numbers.findOne({ _id: 1 }, TYPED))).toMatchObject({ l: 'Long', d: 'Double', i: 'Int32', max: 'Int32' });
    await numbers.updateOne({ _id: 1 }, { $inc: { l: 1, d: 1, max: 1 }, $mul: { i: new Double(1.5) }, $set: { set: Long.fromNumber(7) } });
    const after = await numbers.findOne({ _id: 1 }, TYPED);
    expect(types(after)).toMatchObject({ l: 'Long', d: 'Double', i: 'Double', max: 'Long', set: 'Long' });
    expect([Number(after?.l), Number(after?.d), Number(after?.i), Number(after?.max), Number(after?.set)]).toEqual([6, 4, 3, 2147483648, 7]);
    await numbers.updateOne({ _id: 1 }, { $inc: { fresh: Long.fromNumber(1) }, $mul: { zero: new Double(2) } });
    expect(types(await numbers.findOne({ _id: 1 }, TYPED))).toMatchObject({ fresh: 'Long', zero: 'Double' });
  });

  it('returns stored types from projections, sorts, aggregations, distinct and findOneAndUpdate', async () => {
    const numbers = fx.db.collection('returned');
    await numbers.insertMany([{ _id: 1, l: Long.fromNumber(10), d: new Double(1) }, { _id: 2, l: Long.fromNumber(20), d: new Double(2) }]);
    const projected = await numbers.find({}, { ...TYPED, projection: { l: 1 }, sort: { l: -1 } }).toArray();
    expect(projected.map(types)).toEqual([{ _id: 'Int32', l: 'Long' }, { _id: 'Int32', l: 'Long' }]);
    const aggregated = await numbers.aggregate([{ $match: { l: { $gte: 10 } } }, { $sort: { _id: 1 } }, { $project: { d: 1 } }], TYPED).toArray();
    expect(aggregated.map(types)).toEqual([{ _id: 'Int32', d: 'Double' }, { _id: 'Int32', d: 'Double' }]);
    const distinct = await numbers.distinct('l', {}, TYPED);
    expect(distinct.map((value) => (value as { _bsontype?: string })._bsontype)).toEqual(['Long', 'Long']);
    const updated = await numbers.findOneAndUpdate({ _id: 1 }, { $set: { tag: 'x' } }, { ...TYPED, returnDocument: 'after' });
    expect(types(updated)).toMatchObject({ l: 'Long', d: 'Double', tag: 'string' });
  });
});

@modelOptions({ schemaOptions: { collection: 'ledgers' }, options: { allowMixed: Severity.ALLOW } })
class Ledger {
  @prop() public count?: number;
  @prop() public ratio?: number;
  @prop({ type: () => mongoose.Schema.Types.BigInt }) public big?: bigint;
  @prop({ type: () => mongoose.Schema.Types.Decimal128 }) public amount?: mongoose.Types.Decimal128;
}

describe('numbers through a typegoose model', () => {
  it('reads back what it wrote, with the BSON types mongoose chose', async () => {
    const Ledgers = getModelForClass(Ledger, { existingConnection: fx.connection });
    const created = await Ledgers.create({ count: 3, ratio: 0.5, big: 12345678901234567n, amount: mongoose.Types.Decimal128.fromString('1.10') });
    await Ledgers.updateOne({ _id: created._id }, { $inc: { count: 2, ratio: 0.25 } });
    const read = await Ledgers.findById(created._id);
    expect(read?.count).toBe(5);
    expect(read?.ratio).toBe(0.75);
    expect(read?.big).toBe(12345678901234567n);
    expect(read?.amount?.toString()).toBe('1.10');
    const stored = await fx.db.collection('ledgers').findOne({ _id: created._id }, TYPED);
    expect(types(stored)).toMatchObject({ count: 'Int32', ratio: 'Double', big: 'Long', amount: 'Decimal128' });
    expect(await Ledgers.countDocuments({ big: { $type: 'long' } })).toBe(1);
  });
});

describe('decimal128 through the driver', () => {
  it('compares with other numbers by value and comes back from projections as decimal128', async () => {
    const prices = fx.db.collection('prices');
    await prices.insertMany([{ _id: 1, price: Decimal128.fromString('1.50') }, { _id: 2, price: Decimal128.fromString('3') }]);
    expect((await prices.find({ price: { $gt: 2 } }).toArray()).map((doc) => doc._id)).toEqual([2]);
    expect((await prices.find({ price: 3 }).toArray()).map((doc) => doc._id)).toEqual([2]);
    const projected = await prices.findOne({ _id: 1 }, { ...TYPED, projection: { price: 1 } });
    expect(types(projected)).toMatchObject({ price: 'Decimal128' });
    expect(String(projected?.price)).toBe('1.50');
  });
});
