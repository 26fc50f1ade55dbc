// Executing one unified test ("Executing a Test"): initial data, entities, operations with their expected
// results and errors, fail points switched off afterwards, then the expected events and collection contents.
import type { Document } from 'bson';
import { MongoBulkWriteError, MongoServerError, type MongoClient } from 'mongodb';
import { Entities, type ObservedEvent } from './entities.js';
import type { CollectionData, Operation, UnifiedFile, UnifiedTest } from './files.js';
import { describe, match, MatchError, sameDocuments, type MatchContext } from './match.js';
import { bulkWriteResult, runEntityOperation, UnsupportedOperation } from './operations.js';

export type Verdict =
  | { status: 'passed' }
  /** The store answered with its refusal of a feature it does not implement: loud, not wrong. */
  | { status: 'refused'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'skipped'; reason: string };

/** What the store puts in the error of a feature it refuses (commands/errors.ts: notSupported). */
const REFUSAL_MARK = 'not supported by the embedded store';

/** Operations whose result is an iterable of root-level documents (extra fields allowed in each). */
const ITERABLE_RESULTS = new Set(['find', 'aggregate', 'listIndexes', 'listCollections', 'runCursorCommand']);

class Failure extends Error {}

export async function runTest(file: UnifiedFile, test: UnifiedTest, uri: string, internal: MongoClient): Promise<Verdict> {
  const entities = new Entities(uri);
  const failPoints: Array<{ client: MongoClient; name: string }> = [];
  const context: MatchContext = { entity: (name) => entities.get(name) };
  try {
    await setUp(internal, file.initialData ?? []);
    await entities.create(file.createEntities ?? []);
    for (const [index, operation] of test.operations.entries()) {
      try {
        await runOperation(operation, entities, failPoints, context, internal);
      } catch (error) {
        if (error instanceof UnsupportedOperation) return { status: 'skipped', reason: error.message };
        const where = `operation ${index} (${operation.name})`;
        const message = (error as Error).message ?? String(error);
        if (message.includes(REFUSAL_MARK)) return { status: 'refused', reason: `${where}: ${message}` };
        return { status: 'failed', reason: `${where}: ${message}` };
      }
    }
    for (const expected of test.expectEvents ?? []) {
      if ((expected.eventType ?? 'command') !== 'command') return { status: 'skipped', reason: `the runner does not observe ${expected.eventType} events` };
      const difference = eventDifference(expected.events, entities.client(expected.client).events, expected.ignoreExtraEvents === true, context);
      if (difference) return { status: 'failed', reason: `events of ${expected.client}: ${difference}` };
    }
    for (const data of test.outcome ?? []) {
      const actual = await internal.db(data.databaseName).collection(data.collectionName).find({}, { sort: { _id: 1 } }).toArray();
      const difference = sameDocuments(data.documents, actual);
      if (difference) return { status: 'failed', reason: `outcome of ${data.databaseName}.${data.collectionName}: ${difference}` };
    }
    return { status: 'passed' };
  } catch (error) {
    return { status: 'failed', reason: `runner: ${(error as Error).message}` };
  } finally {
    for (const { client, name } of failPoints) await client.db('admin').command({ configureFailPoint: name, mode: 'off' }).catch(() => undefined);
    await entities.close();
  }
}

async function setUp(internal: MongoClient, initialData: CollectionData[]): Promise<void> {
  for (const data of initialData) {
    const db = internal.db(data.databaseName);
    await db.collection(data.collectionName).drop({ writeConcern: { w: 'majority' } }).catch(ignoreMissing);
    if (data.createOptions || data.documents.length === 0) await db.createCollection(data.collectionName, { ...data.createOptions, writeConcern: { w: 'majority' } });
    if (data.documents.length > 0) await db.collection(data.collectionName).insertMany(data.documents, { writeConcern: { w: 'majority' } });
  }
}

function ignoreMissing(error: unknown): void {
  if (!(error instanceof MongoServerError && error.code === 26)) throw error;
}

async function runOperation(operation: Operation, entities: Entities, failPoints: Array<{ client: MongoClient; name: string }>, context: MatchContext, internal: MongoClient): Promise<void> {
  if (operation.object === 'testRunner') return runSpecial(operation, entities, failPoints, internal);
  let result: unknown;
  let error: unknown;
  try {
    result = await runEntityOperation(operation, entities);
  } catch (caught) {
    if (caught instanceof UnsupportedOperation) throw caught;
    error = caught;
  }
  if (operation.ignoreResultAndError) return;
  if (operation.expectError) {
    if (error === undefined) throw new Failure(`expected an error, got the result ${describe(result)}`);
    return checkError(operation.expectError, error, context);
  }
  if (error !== undefined) throw error;
  if (operation.expectResult !== undefined) {
    try {
      if (ITERABLE_RESULTS.has(operation.name) && Array.isArray(operation.expectResult) && Array.isArray(result)) {
        if (result.length !== operation.expectResult.length) throw new MatchError(`expected ${operation.expectResult.length} document(s), got ${result.length}: ${describe(result)}`);
        operation.expectResult.forEach((expected, index) => match(expected, result[index], context, true, `$[${index}]`));
      } else {
        match(operation.expectResult, result, context, true);
      }
    } catch (mismatch) {
      throw new Failure(`result: ${(mismatch as Error).message}`);
    }
  }
  if (operation.saveResultAsEntity) entities.set(operation.saveResultAsEntity, result);
}

async function runSpecial(operation: Operation, entities: Entities, failPoints: Array<{ client: MongoClient; name: string }>, internal: MongoClient): Promise<void> {
  const args = operation.arguments ?? {};
  switch (operation.name) {
    case 'failPoint': {
      const { client } = entities.client(args.client as string);
      const command = args.failPoint as Document;
      await client.db('admin').command(command);
      failPoints.push({ client, name: command.configureFailPoint as string });
      return;
    }
    case 'assertCollectionExists':
    case 'assertCollectionNotExists': {
      const names = (await internal.db(args.databaseName as string).listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name);
      const exists = names.includes(args.collectionName as string);
      if (exists !== (operation.name === 'assertCollectionExists')) throw new Failure(`collection ${args.collectionName} ${exists ? 'exists' : 'does not exist'}`);
      return;
    }
    default:
      throw new UnsupportedOperation(`the runner does not implement testRunner.${operation.name}`);
  }
}

function checkError(expected: Document, error: unknown, context: MatchContext): void {
  const server = error instanceof MongoServerError ? error : undefined;
  const message = (error as Error).message ?? String(error);
  const fail = (what: string) => new Failure(`${what}; the error was ${(error as Error).name}: ${message}${server ? ` (code ${server.code})` : ''}`);
  if (expected.isClientError === true && server) throw fail('expected a client error');
  if (expected.isClientError === false && !server) throw fail('expected a server error');
  if (typeof expected.errorContains === 'string' && !message.toLowerCase().includes(expected.errorContains.toLowerCase())) throw fail(`expected the message to contain "${expected.errorContains}"`);
  if (expected.errorCode !== undefined && server?.code !== Number(expected.errorCode)) throw fail(`expected code ${expected.errorCode}`);
  if (typeof expected.errorCodeName === 'string' && String(server?.codeName ?? '').toLowerCase() !== expected.errorCodeName.toLowerCase()) throw fail(`expected codeName ${expected.errorCodeName}`);
  for (const label of (expected.errorLabelsContain as string[] | undefined) ?? []) if (!server?.hasErrorLabel(label)) throw fail(`expected the label ${label}`);
  for (const label of (expected.errorLabelsOmit as string[] | undefined) ?? []) if (server?.hasErrorLabel(label)) throw fail(`expected no label ${label}`);
  try {
    if (expected.errorResponse !== undefined) match(expected.errorResponse, server?.errorResponse, context, true, '$errorResponse');
    if (expected.expectResult !== undefined) {
      const partial = error instanceof MongoBulkWriteError ? bulkWriteResult(error.result) : (error as { partialResult?: unknown }).partialResult;
      match(expected.expectResult, partial, context, true, '$errorResult');
    }
  } catch (mismatch) {
    throw fail((mismatch as Error).message);
  }
}

function eventDifference(expected: Document[], observed: ObservedEvent[], ignoreExtra: boolean, context: MatchContext): string | undefined {
  const kinds = new Set(expected.map((event) => Object.keys(event)[0]));
  const relevant = observed.filter((event) => kinds.size === 0 || kinds.has(event.kind));
  if (relevant.length < expected.length || (!ignoreExtra && relevant.length > expected.length)) {
    return `expected ${expected.length} event(s), observed ${relevant.length}: ${relevant.map((event) => `${event.kind}:${event.commandName}`).join(', ')}`;
  }
  for (const [index, event] of expected.entries()) {
    const [kind, assertions] = Object.entries(event)[0] as [string, Document];
    const actual = relevant[index]!;
    if (actual.kind !== kind) return `event ${index}: expected ${kind}, observed ${actual.kind}`;
    if (assertions.commandName !== undefined && assertions.commandName !== actual.commandName) return `event ${index}: expected ${assertions.commandName}, observed ${actual.commandName}`;
    if (assertions.databaseName !== undefined && assertions.databaseName !== actual.databaseName) return `event ${index}: expected database ${assertions.databaseName}, observed ${actual.databaseName}`;
    try {
      if (assertions.command !== undefined) match(assertions.command, actual.command, context, true, `event ${index} command`);
      if (assertions.reply !== undefined) match(assertions.reply, actual.reply, context, true, `event ${index} reply`);
    } catch (mismatch) {
      return (mismatch as Error).message;
    }
  }
  return undefined;
}
