// Read-only views (create with viewOn + pipeline) and collMod with document validation: reads of a view run
// its pipeline over its collection, writes to it are refused (166); a validator refuses documents that do
// not match (121, with errInfo naming the document), unless the write bypasses validation.
import { getModelForClass, modelOptions, prop } from '@typegoose/typegoose';
import { describe, expect, it } from 'vitest';
import { serverError, useDriver } from '../support/driver.js';

const fx = useDriver();

describe('views', () => {
  it('reads the view’s pipeline over its collection in find, count, distinct and aggregate', async () => {
    const people = fx.db.collection('people');
    await people.insertMany([{ _id: 1, name: 'ann', age: 31 }, { _id: 2, name: 'bo', age: 17 }, { _id: 3, name: 'cy', age: 45 }]);
    await fx.db.createCollection('adults', { viewOn: 'people', pipeline: [{ $match: { age: { $gte: 18 } } }, { $project: { age: 0 } }] });
    const adults = fx.db.collection('adults');
    expect(await adults.find({}, { sort: { _id: -1 } }).toArray()).toEqual([{ _id: 3, name: 'cy' }, { _id: 1, name: 'ann' }]);
    expect(await adults.find({ name: 'ann' }).toArray()).toEqual([{ _id: 1, name: 'ann' }]);
    expect(await adults.countDocuments()).toBe(2);
    expect(await adults.estimatedDocumentCount()).toBe(2);
    expect((await adults.distinct('name')).sort()).toEqual(['ann', 'cy']);
    expect(await adults.aggregate([{ $sort: { name: 1 } }, { $limit: 1 }]).toArray()).toEqual([{ _id: 1, name: 'ann' }]);
    await people.insertOne({ _id: 4, name: 'di', age: 50 });
    expect(await adults.countDocuments()).toBe(3);
  });

  it('is listed as a view and refuses writes with 166', async () => {
    await fx.db.createCollection('base', {});
    await fx.db.createCollection('readonly', { viewOn: 'base', pipeline: [] });
    const [info] = await fx.db.listCollections({ name: 'readonly' }).toArray();
    expect(info).toMatchObject({ name: 'readonly', type: 'view', options: { viewOn: 'base', pipeline: [] } });
    const view = fx.db.collection('readonly');
    expect((await serverError(view.insertOne({ x: 1 }))).code).toBe(166);
    expect((await serverError(view.updateOne({}, { $set: { x: 1 } }))).code).toBe(166);
    expect((await serverError(view.deleteMany({}))).code).toBe(166);
    expect((await serverError(view.createIndex({ x: 1 }))).code).toBe(166);
    await view.drop();
    expect(await fx.db.listCollections({ name: 'readonly' }).toArray()).toEqual([]);
  });
});

describe('collMod and document validation', () => {
  it('refuses documents that fail the validator, with errInfo, and lets a bypassing write through', async () => {
    const tasks = fx.db.collection('tasks');
    await tasks.insertOne({ _id: 1, title: 'write tests' });
    await fx.db.command({ collMod: 'tasks', validator: { title: { $type: 'string' } } });
    const inserted = await serverError(tasks.insertOne({ _id: 2, title: 42 }));
    expect(inserted.code).toBe(121);
    expect(inserted.errInfo).toMatchObject({ failingDocumentId: 2 });
    expect(typeof inserted.errInfo?.details).toBe('object');
    const updated = await serverError(tasks.findOneAndUpdate({ _id: 1 }, { $set: { title: 7 } }));
    expect(updated.code).toBe(121);
    expect(updated.errorResponse.errInfo).toMatchObject({ failingDocumentId: 1 });
    await tasks.insertOne({ _id: 3, title: 42 }, { bypassDocumentValidation: true });
    expect(await tasks.countDocuments()).toBe(2);
    const [info] = await fx.db.listCollections({ name: 'tasks' }).toArray();
    expect((info as { options?: object }).options).toMatchObject({ validator: { title: { $type: 'string' } } });
  });

  it('lets documents that already failed be updated at validationLevel moderate, and only warns with validationAction warn', async () => {
    const notes = fx.db.collection('notes');
    await notes.insertMany([{ _id: 1, text: 5 }, { _id: 2, text: 'ok' }]);
    await fx.db.command({ collMod: 'notes', validator: { text: { $type: 'string' } }, validationLevel: 'moderate' });
    await notes.updateOne({ _id: 1 }, { $set: { text: 6 } });
    expect((await serverError(notes.updateOne({ _id: 2 }, { $set: { text: 7 } }))).code).toBe(121);
    await fx.db.command({ collMod: 'notes', validationAction: 'warn' });
    await notes.updateOne({ _id: 2 }, { $set: { text: 7 } });
    expect(await notes.findOne({ _id: 2 })).toEqual({ _id: 2, text: 7 });
  });

  it('changes a view’s pipeline', async () => {
    const nums = fx.db.collection('nums');
    await nums.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    await fx.db.createCollection('small', { viewOn: 'nums', pipeline: [{ $match: { _id: { $lte: 1 } } }] });
    await fx.db.command({ collMod: 'small', viewOn: 'nums', pipeline: [{ $match: { _id: { $lte: 2 } } }] });
    expect(await fx.db.collection('small').countDocuments()).toBe(2);
  });
});

@modelOptions({ schemaOptions: { collection: 'profiles' } })
class Profile {
  @prop({ required: true }) public handle!: string;
  @prop() public age?: number;
}

describe('views and validation through a typegoose model', () => {
  it('fails a save the validator refuses and reads a view as a model', async () => {
    const Profiles = getModelForClass(Profile, { existingConnection: fx.connection });
    await Profiles.createCollection();
    await fx.db.command({ collMod: 'profiles', validator: { age: { $gte: 0 } } });
    await Profiles.create({ handle: 'ann', age: 30 });
    const error = await Profiles.create({ handle: 'bad', age: -1 }).then(
      () => undefined,
      (caught: unknown) => caught as { code?: number },
    );
    expect(error?.code).toBe(121);
    await fx.db.createCollection('grown_profiles', { viewOn: 'profiles', pipeline: [{ $match: { age: { $gte: 18 } } }] });
    const Grown = fx.connection.model('Grown', Profiles.schema, 'grown_profiles');
    expect((await Grown.find().lean()).map((profile) => profile.handle)).toEqual(['ann']);
  });
});
