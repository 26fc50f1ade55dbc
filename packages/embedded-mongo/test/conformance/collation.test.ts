// Collations (https://www.mongodb.com/docs/manual/reference/collation/): locale and strength change which
// strings are equal and how they sort, in every read and write that takes a collation, and a collection's
// default collation applies when a command names none. ICU orders lower case before upper case at strength 3.
import { getModelForClass, modelOptions, prop } from '@typegoose/typegoose';
import { describe, expect, it } from 'vitest';
import { serverError, useDriver } from '../support/driver.js';

const fx = useDriver();
const CASE_INSENSITIVE = { locale: 'en', strength: 2 };
const WORDS = [
  { _id: 1, word: 'ping' },
  { _id: 2, word: 'PING' },
  { _id: 3, word: 'pong' },
  { _id: 4, word: 'Ping' },
  { _id: 5, word: 'péng' },
];

async function words(name: string) {
  const collection = fx.db.collection<{ _id: number; word: string; seen?: boolean }>(name);
  await collection.insertMany(WORDS.map((word) => ({ ...word })));
  return collection;
}

describe('collation through the driver', () => {
  it('matches case-insensitively at strength 2 in find, count, aggregate and distinct', async () => {
    const collection = await words('reads');
    const ids = async (filter: object, collation?: object) => (await collection.find(filter, { collation, sort: { _id: 1 } }).toArray()).map((doc) => doc._id);
    expect(await ids({ word: 'PING' })).toEqual([2]);
    expect(await ids({ word: 'PING' }, CASE_INSENSITIVE)).toEqual([1, 2, 4]);
    expect(await ids({ word: { $in: ['PONG'] } }, CASE_INSENSITIVE)).toEqual([3]);
    expect(await ids({ word: { $gt: 'PING' } }, CASE_INSENSITIVE)).toEqual([3]);
    expect(await ids({ word: 'peng' }, { locale: 'en', strength: 1 })).toEqual([5]);
    expect(await ids({ word: 'peng' }, CASE_INSENSITIVE)).toEqual([]);
    expect(await collection.countDocuments({ word: 'ping' }, { collation: CASE_INSENSITIVE })).toBe(3);
    expect((await collection.aggregate([{ $match: { word: 'ping' } }, { $count: 'n' }], { collation: CASE_INSENSITIVE }).toArray())[0]?.n).toBe(3);
    expect((await collection.distinct('word', { word: { $in: ['ping', 'pong'] } }, { collation: CASE_INSENSITIVE })).length).toBe(2);
  });

  it('matches every case through an index on the field, for equality and for $in', async () => {
    // The index holds the plain strings; a collated query must not be answered from its exact keys.
    const collection = await words('indexed');
    await collection.createIndex({ word: 1 });
    const ids = async (filter: object) => (await collection.find(filter, { collation: CASE_INSENSITIVE, sort: { _id: 1 } }).toArray()).map((doc) => doc._id);
    expect(await ids({ word: 'PING' })).toEqual([1, 2, 4]);
    expect(await ids({ word: { $in: ['PING', 'pong'] } })).toEqual([1, 2, 3, 4]);
    expect(await collection.countDocuments({ word: { $in: ['ping'] } }, { collation: CASE_INSENSITIVE })).toBe(3);
  });

  it('sorts by the locale’s order', async () => {
    const collection = await words('sorted');
    const order = async (collation?: object) => (await collection.find({ _id: { $lte: 4 } }, { collation, sort: { word: 1, _id: 1 } }).toArray()).map((doc) => doc.word);
    expect(await order()).toEqual(['PING', 'Ping', 'ping', 'pong']);
    expect(await order({ locale: 'en' })).toEqual(['ping', 'Ping', 'PING', 'pong']);
  });

  it('updates, deletes and findAndModifies what the collation matches', async () => {
    const collection = await words('writes');
    expect((await collection.updateMany({ word: 'PING' }, { $set: { seen: true } }, { collation: CASE_INSENSITIVE })).modifiedCount).toBe(3);
    const found = await collection.findOneAndUpdate({ word: 'PONG' }, { $set: { seen: true } }, { collation: CASE_INSENSITIVE, returnDocument: 'after' });
    expect(found).toMatchObject({ _id: 3, seen: true });
    expect((await collection.deleteMany({ word: 'ping' }, { collation: CASE_INSENSITIVE })).deletedCount).toBe(3);
    expect(await collection.countDocuments()).toBe(2);
  });

  it('uses the collection’s default collation unless the command names another', async () => {
    const collection = fx.db.collection('defaulted');
    await fx.db.createCollection('defaulted', { collation: CASE_INSENSITIVE });
    await collection.insertMany(WORDS.map((word) => ({ ...word })));
    expect(await collection.countDocuments({ word: 'ping' })).toBe(3);
    expect(await collection.countDocuments({ word: 'ping' }, { collation: { locale: 'simple' } })).toBe(1);
    const [info] = await fx.db.listCollections({ name: 'defaulted' }).toArray();
    expect((info as { options?: { collation?: object } }).options?.collation).toMatchObject(CASE_INSENSITIVE);
  });

  it('refuses an unknown locale with the server’s error', async () => {
    const collection = await words('invalid');
    const error = await serverError(collection.find({}, { collation: { locale: 'xx_not_a_locale' } }).toArray());
    expect(error.code).toBe(2);
    expect(error.message).toContain("Field 'locale' is invalid");
  });
});

@modelOptions({ schemaOptions: { collection: 'tags' } })
class Tag {
  @prop({ required: true }) public label!: string;
}

describe('collation through a typegoose model', () => {
  it('finds, counts and sorts with a collation', async () => {
    const Tags = getModelForClass(Tag, { existingConnection: fx.connection });
    await Tags.create([{ label: 'Blue' }, { label: 'blue' }, { label: 'azure' }]);
    expect(await Tags.find({ label: 'BLUE' }).collation(CASE_INSENSITIVE).countDocuments()).toBe(2);
    expect((await Tags.find().collation({ locale: 'en' }).sort({ label: 1 }).lean()).map((tag) => tag.label)).toEqual(['azure', 'blue', 'Blue']);
    const updated = await Tags.updateMany({ label: 'blue' }, { $set: { label: 'navy' } }, { collation: CASE_INSENSITIVE });
    expect(updated.modifiedCount).toBe(2);
  });
});
