// Conformance through a typegoose model on its own mongoose connection: what the service's models rely on.
import { getModelForClass, index, modelOptions, prop } from '@typegoose/typegoose';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from './support/database.js';

@index({ owner: 1, slug: 1 }, { unique: true })
@modelOptions({ schemaOptions: { timestamps: true, collection: 'heroes' } })
class Hero {
  @prop({ required: true }) public owner!: string;
  @prop({ required: true }) public slug!: string;
  @prop({ default: 'pending' }) public status!: string;
  @prop({ type: () => [String], default: [] }) public images!: string[];
  @prop() public level?: number;
}

let database: TestDatabase;
let connection: mongoose.Connection;
let Heroes: ReturnType<typeof getModelForClass<typeof Hero>>;

beforeAll(async () => {
  database = await startTestDatabase();
  connection = await mongoose.createConnection(database.dbUri).asPromise();
  Heroes = getModelForClass(Hero, { existingConnection: connection });
  await Heroes.init();
});

afterAll(async () => {
  await connection?.close();
  await database?.close();
});

describe('a typegoose model', () => {
  it('creates its unique index on init and raises mongoose’s duplicate-key error', async () => {
    const indexes = await Heroes.listIndexes();
    expect(indexes.map((i) => i.name)).toContain('owner_1_slug_1');
    await Heroes.create({ owner: 'ann', slug: 'knight' });
    const error = await Heroes.create({ owner: 'ann', slug: 'knight' }).then(
      () => undefined,
      (e: unknown) => e as { code?: number; keyValue?: unknown },
    );
    expect(error?.code).toBe(11000);
    expect(error?.keyValue).toEqual({ owner: 'ann', slug: 'knight' });
  });

  it('reads by id, updates atomically and counts', async () => {
    const hero = await Heroes.create({ owner: 'bob', slug: 'mage', level: 1 });
    const found = await Heroes.findById(hero._id).lean();
    expect(found).toMatchObject({ owner: 'bob', slug: 'mage', status: 'pending', images: [], level: 1 });
    expect(found?.createdAt).toBeInstanceOf(Date);
    const updated = await Heroes.findOneAndUpdate({ _id: hero._id, status: 'pending' }, { $set: { status: 'generating' }, $inc: { level: 1 }, $push: { images: 'a.png' } }, { new: true }).lean();
    expect(updated).toMatchObject({ status: 'generating', level: 2, images: ['a.png'] });
    expect(await Heroes.findOneAndUpdate({ _id: hero._id, status: 'pending' }, { $set: { status: 'x' } })).toBeNull();
    expect(await Heroes.countDocuments({ owner: 'bob' })).toBe(1);
    expect(await Heroes.exists({ slug: 'mage' })).not.toBeNull();
  });

  it('upserts with timestamps and saves changes made to a document', async () => {
    await Heroes.updateOne({ owner: 'cy', slug: 'rogue' }, { $set: { level: 3 } }, { upsert: true });
    const rogue = await Heroes.findOne({ owner: 'cy', slug: 'rogue' });
    expect(rogue?.level).toBe(3);
    expect(rogue?.createdAt).toBeInstanceOf(Date);
    rogue!.status = 'completed';
    rogue!.images.push('b.png');
    await rogue!.save();
    expect(await Heroes.findById(rogue!._id).lean()).toMatchObject({ status: 'completed', images: ['b.png'] });
  });

  it('pages through more documents than fit in a first batch', async () => {
    await Heroes.insertMany(Array.from({ length: 150 }, (_, i) => ({ owner: 'dee', slug: `s${String(i).padStart(3, '0')}` })));
    const all = await Heroes.find({ owner: 'dee' }).sort({ slug: 1 }).lean();
    expect(all).toHaveLength(150);
    expect(all[149]?.slug).toBe('s149');
    let streamed = 0;
    for await (const hero of Heroes.find({ owner: 'dee' }).cursor({ batchSize: 20 })) if (hero.slug) streamed += 1;
    expect(streamed).toBe(150);
    expect((await Heroes.deleteMany({ owner: 'dee' })).deletedCount).toBe(150);
  });
});
