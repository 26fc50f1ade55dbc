// The failCommand fail point (configureFailPoint on the admin database, as mongod has it with
// enableTestCommands): chosen commands fail with a code, lose their connection, or wait, a number of times
// or after skipping some, for one application or all. Against a real server without test commands the
// file skips itself.
import { getModelForClass, modelOptions, prop } from '@typegoose/typegoose';
import { MongoClient, MongoNetworkError, MongoServerError, type Document } from 'mongodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverError, useDriver } from '../support/driver.js';

const fx = useDriver();
let available = true;
const clients: MongoClient[] = [];

function failPoint(mode: Document | string, data: Document): Promise<Document> {
  return fx.client.db('admin').command({ configureFailPoint: 'failCommand', mode, data });
}

async function client(appName: string): Promise<MongoClient> {
  const opened = await MongoClient.connect(fx.database.uri, { appName, retryReads: false, retryWrites: false, heartbeatFrequencyMS: 500, monitorCommands: true });
  clients.push(opened);
  return opened;
}

beforeAll(async () => {
  available = await fx.client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' }).then(
    () => true,
    () => false,
  );
});

afterEach(async () => {
  if (available) await fx.client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
  for (const opened of clients.splice(0)) await opened.close();
});

describe('failCommand', () => {
  it('fails the listed command with the given code the given number of times', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const own = await client('fail-times');
    const items = own.db(fx.database.dbName).collection('times');
    await failPoint({ times: 2 }, { failCommands: ['insert'], errorCode: 50, appName: 'fail-times' });
    expect((await serverError(items.insertOne({ _id: 1 }))).code).toBe(50);
    expect((await serverError(items.insertOne({ _id: 1 }))).code).toBe(50);
    await items.insertOne({ _id: 1 });
    expect(await items.countDocuments()).toBe(1);
  });

  it('lets the first commands through with skip, then fails every one', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const own = await client('fail-skip');
    const items = own.db(fx.database.dbName).collection('skipped');
    await failPoint({ skip: 1 }, { failCommands: ['find'], errorCode: 2, appName: 'fail-skip' });
    expect(await items.findOne({})).toBeNull();
    expect((await serverError(items.findOne({}))).code).toBe(2);
    expect((await serverError(items.findOne({}))).code).toBe(2);
  });

  it('applies only to the named application and the listed commands', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const targeted = await client('fail-target');
    const bystander = await client('fail-bystander');
    await failPoint('alwaysOn', { failCommands: ['insert'], errorCode: 50, appName: 'fail-target' });
    expect((await serverError(targeted.db(fx.database.dbName).collection('apps').insertOne({ _id: 1 }))).code).toBe(50);
    await bystander.db(fx.database.dbName).collection('apps').insertOne({ _id: 2 });
    expect(await targeted.db(fx.database.dbName).collection('apps').countDocuments()).toBe(1);
  });

  it('closes the connection without a reply, and the client carries on afterwards', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const own = await client('fail-close');
    const items = own.db(fx.database.dbName).collection('closed');
    await failPoint({ times: 1 }, { failCommands: ['insert'], closeConnection: true, appName: 'fail-close' });
    const error = await items.insertOne({ _id: 1 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MongoNetworkError);
    await items.insertOne({ _id: 2 });
    expect(await items.find().toArray()).toEqual([{ _id: 2 }]);
  });

  it('holds a blocked command until its time is up, so it runs after what others did meanwhile', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const blocked = await client('fail-block');
    const other = await client('fail-block-other');
    await other.db(fx.database.dbName).collection('blocked').insertOne({ _id: 1, state: 'before' });
    await failPoint({ times: 1 }, { failCommands: ['find'], blockConnection: true, blockTimeMS: 300, appName: 'fail-block' });
    const sent = new Promise<void>((resolve) => blocked.on('commandStarted', (event) => event.commandName === 'find' && resolve()));
    const read = blocked.db(fx.database.dbName).collection('blocked').findOne({ _id: 1 });
    // Once the read is on its way, a write goes through another connection; a read held by the fail point
    // runs after it and sees it (one that ran at once would see 'before').
    await sent;
    await other.db(fx.database.dbName).collection('blocked').updateOne({ _id: 1 }, { $set: { state: 'after' } });
    expect(await read).toEqual({ _id: 1, state: 'after' });
  });

  it('is turned off by mode off', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const own = await client('fail-off');
    await failPoint('alwaysOn', { failCommands: ['ping'], errorCode: 2, appName: 'fail-off' });
    expect((await serverError(own.db('admin').command({ ping: 1 }))).code).toBe(2);
    await failPoint('off', {});
    expect((await own.db('admin').command({ ping: 1 })).ok).toBe(1);
  });

  it('is only configured through the admin database', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const error = await serverError(fx.db.command({ configureFailPoint: 'failCommand', mode: 'off' }));
    expect(error.code).toBe(13);
  });
});

@modelOptions({ schemaOptions: { collection: 'jobs' } })
class Job {
  @prop({ required: true }) public name!: string;
}

describe('failCommand through a typegoose model', () => {
  it('fails a save with the injected error and saves once it has passed', async (context) => {
    if (!available) return context.skip('the server has no test commands');
    const Jobs = getModelForClass(Job, { existingConnection: fx.connection });
    await Jobs.init();
    await failPoint({ times: 1 }, { failCommands: ['insert'], errorCode: 50 });
    const error = await Jobs.create({ name: 'first' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(50);
    await Jobs.create({ name: 'second' });
    expect((await Jobs.find().lean()).map((job) => job.name)).toEqual(['second']);
  });
});
