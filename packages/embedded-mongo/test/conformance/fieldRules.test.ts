// What MongoDB 7.0 accepts and refuses in documents and commands: dotted and $-prefixed field names
// (allowed since 5.0 except in _id and at a replacement's top level), unknown command fields (40415), and
// options that arrived in later versions (an update statement's sort, 8.0).
import { getModelForClass, modelOptions, prop, Severity } from '@typegoose/typegoose';
import { describe, expect, it } from 'vitest';
import { serverError, serverVersion, useDriver } from '../support/driver.js';

const fx = useDriver();

describe('dotted and $-prefixed field names', () => {
  it('stores them in inserts and replacements, and sets them with $setField', async () => {
    const fields = fx.db.collection('names');
    await fields.insertOne({ _id: 1, 'a.b': 1, $c: 2, nested: { 'd.e': 3, $f: 4 } });
    expect(await fields.findOne({ _id: 1 })).toEqual({ _id: 1, 'a.b': 1, $c: 2, nested: { 'd.e': 3, $f: 4 } });
    await fields.replaceOne({ _id: 1 }, { 'x.y': 5, nested: { $g: 6 } });
    expect(await fields.findOne({ _id: 1 })).toEqual({ _id: 1, 'x.y': 5, nested: { $g: 6 } });
    await fields.updateOne({ _id: 1 }, [{ $replaceWith: { $setField: { field: { $literal: '$top' }, value: 7, input: '$$ROOT' } } }]);
    expect(await fields.findOne({ _id: 1 })).toMatchObject({ $top: 7 });
  });

  it('refuses a $-prefixed field in _id and at the top of a replacement (52)', async () => {
    const fields = fx.db.collection('bad_names');
    expect((await serverError(fields.insertOne({ _id: { $a: 1 } }))).code).toBe(52);
    await fields.insertOne({ _id: 1 });
    // The driver refuses a top-level $ key in a replacement before sending it, so send the command itself.
    const dollar = await fx.db.command({ update: 'bad_names', updates: [{ q: { _id: 1 }, u: { plain: 2, $bad: 1 } }] });
    expect(dollar.writeErrors?.[0]?.code).toBe(52);
  });

  it('keeps _id when a pipeline update’s $replaceRoot leaves it out', async () => {
    const fields = fx.db.collection('replaced_root');
    await fields.insertOne({ _id: 1, inner: { x: 1 } });
    await fields.updateOne({ _id: 1 }, [{ $replaceRoot: { newRoot: '$inner' } }]);
    expect(await fields.findOne({ _id: 1 })).toEqual({ _id: 1, x: 1 });
  });
});

describe('command fields', () => {
  it('refuses a field find does not know (40415)', async () => {
    await fx.db.collection('known').insertOne({ _id: 1 });
    const error = await serverError(fx.db.command({ find: 'known', filter: {}, notAnOption: true }));
    expect(error.code).toBe(40415);
    expect(error.message).toContain("'find.notAnOption'");
  });

  it('refuses sort in an update statement before 8.0, and applies it from 8.0', async () => {
    const sorted = fx.db.collection('sorted');
    await sorted.insertMany([{ _id: 1, n: 1 }, { _id: 2, n: 2 }]);
    const command = { update: 'sorted', updates: [{ q: {}, u: { $set: { picked: true } }, sort: { n: -1 } }] };
    if ((await serverVersion(fx.db))[0] >= 8) {
      await fx.db.command(command);
      expect(await sorted.findOne({ picked: true })).toMatchObject({ _id: 2 });
    } else {
      const error = await serverError(fx.db.command(command));
      expect(error.code).toBe(40415);
      expect(await sorted.countDocuments({ picked: true })).toBe(0);
    }
  });

  it('refuses a hint that names no index', async () => {
    await fx.db.collection('hinted').insertOne({ _id: 1 });
    const error = await serverError(fx.db.collection('hinted').find({}, { hint: 'no_such_index' }).toArray());
    expect(error.code).toBe(2);
  });
});

@modelOptions({ schemaOptions: { collection: 'loose', strict: false }, options: { allowMixed: Severity.ALLOW } })
class Loose {
  @prop() public name?: string;
}

describe('field names through a typegoose model', () => {
  it('saves and reads a document with dotted keys in a sub-document', async () => {
    const Model = getModelForClass(Loose, { existingConnection: fx.connection });
    const saved = await Model.collection.insertOne({ name: 'n', meta: { 'v1.2': 'ok' } });
    const read = await Model.findById(saved.insertedId).lean();
    expect(read).toMatchObject({ name: 'n', meta: { 'v1.2': 'ok' } });
    expect((await Model.collection.insertOne({ _id: { $bad: 1 } } as never).catch((error: unknown) => error as { code?: number })).code).toBe(52);
  });
});
