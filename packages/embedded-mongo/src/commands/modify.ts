// update and findAndModify. Each statement runs synchronously from match to journal append, so two
// connections racing to claim the same document (findAndModify with a status filter) see one winner.
import { deserialize, type Document } from 'bson';
import { Query } from 'mingo';
import type { Collection } from '../engine/collection.js';
import { matchingBuffers, readDocuments } from '../engine/query.js';
import { applyUpdate, isOperatorUpdate, upsertSeed, validateUpdate, withId, type UpdateSpec } from '../engine/updates.js';
import { collectionName, documentList, existingCollection, optionalDocument, writableDatabase, type CommandContext, type CommandHandler } from './context.js';
import { CommandError } from './errors.js';
import { replyWithDocument } from '../protocol/cursorReply.js';
import { encode, valueKey } from '../engine/values.js';

interface Statement {
  filter: Document;
  update: UpdateSpec;
  multi: boolean;
  upsert: boolean;
  arrayFilters?: Document[];
  sort?: Document;
}

interface Outcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** BSON of the last matched document before the update (findAndModify returns it unless new: true). */
  before?: Buffer;
  after?: Document;
  /** BSON of `after` when it was just encoded for the journal. */
  afterBytes?: Buffer;
}

function runStatement(context: CommandContext, name: string, statement: Statement): Outcome {
  if (statement.multi && !Array.isArray(statement.update) && !isOperatorUpdate(statement.update)) {
    throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  const existing = existingCollection(context, name);
  const targets = statement.sort
    ? readDocuments(existing, statement.filter, { sort: statement.sort, limit: 1 }).map(encode)
    : matchingBuffers(existing, statement.filter, statement.multi ? Infinity : 1);
  if (targets.length === 0) return statement.upsert ? upsert(writableDatabase(context).collectionForWrite(name), statement) : { matched: 0, modified: 0 };
  const collection = existing as Collection;
  let modified = 0;
  let before: Buffer | undefined;
  let after: Document | undefined;
  let afterBytes: Buffer | undefined;
  for (const target of targets) {
    const outcome = applyUpdate(target, statement.update, statement.arrayFilters, false, statement.filter);
    if (outcome.modified) {
      collection.replace(outcome.doc, outcome.bytes, target);
      modified += 1;
    }
    before = target;
    after = outcome.doc;
    afterBytes = outcome.bytes;
  }
  return { matched: targets.length, modified, before, after, afterBytes };
}

function upsert(collection: Collection, statement: Statement): Outcome {
  const seed = upsertSeed(statement.filter, statement.update);
  const { doc } = applyUpdate(encode(seed), statement.update, statement.arrayFilters, true);
  const inserted = collection.insert(withId(doc));
  return { matched: 0, modified: 0, upsertedId: inserted._id, after: inserted };
}

function readStatement(raw: Document): Statement {
  return {
    filter: (raw.q as Document | undefined) ?? {},
    update: validateUpdate(raw.u),
    multi: raw.multi === true,
    upsert: raw.upsert === true,
    arrayFilters: raw.arrayFilters as Document[] | undefined,
  };
}

const update: CommandHandler = (command, context) => {
  const name = collectionName(command, 'update');
  const ordered = command.ordered !== false;
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, raw] of documentList(command, 'updates').entries()) {
    try {
      const outcome = runStatement(context, name, readStatement(raw));
      if (outcome.upsertedId !== undefined) {
        upserted.push({ index, _id: outcome.upsertedId });
        n += 1;
      }
      n += outcome.matched;
      nModified += outcome.modified;
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      writeErrors.push(error.toWriteError(index));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return { ...reply, ok: 1 };
};

const findAndModify: CommandHandler = (command, context) => {
  const name = collectionName(command, 'findAndModify');
  const filter = optionalDocument(command, 'query') ?? {};
  const sort = optionalDocument(command, 'sort');
  const fields = optionalDocument(command, 'fields');
  const project = (doc: Document | undefined): Document | null => {
    if (!doc) return null;
    if (!fields || Object.keys(fields).length === 0) return doc;
    return new Query({}, {}).find<Document>([doc], fields).all()[0] ?? null;
  };

  if (command.remove === true) {
    if (command.update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
    const collection = existingCollection(context, name);
    const [target] = readDocuments(collection, filter, { sort, limit: 1 });
    if (target && collection) collection.remove(valueKey(target._id));
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target), ok: 1 };
  }
  if (command.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  const outcome = runStatement(context, name, {
    filter,
    update: validateUpdate(command.update),
    multi: false,
    upsert: command.upsert === true,
    arrayFilters: command.arrayFilters as Document[] | undefined,
    sort: sort && Object.keys(sort).length > 0 ? sort : undefined,
  });
  const lastErrorObject: Document = { n: outcome.matched + (outcome.upsertedId !== undefined ? 1 : 0), updatedExisting: outcome.matched > 0 };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  const projected = fields !== undefined && Object.keys(fields).length > 0;
  // Unprojected, the reply carries the document's BSON as it is (before: as stored; after: as journalled).
  const valueBytes = command.new === true ? outcome.afterBytes : outcome.before;
  if (!projected && valueBytes) return replyWithDocument({ lastErrorObject, ok: 1 }, 'value', valueBytes);
  const value = command.new === true ? outcome.after : outcome.before && deserialize(outcome.before);
  return { lastErrorObject, value: project(value), ok: 1 };
};

export const modifyCommands: Record<string, CommandHandler> = { update, findAndModify };
