// update and findAndModify. Each statement runs synchronously from match to journal append, so two
// connections racing to claim the same document (findAndModify with a status filter) see one winner.
import { deserialize, type Document } from 'bson';
import { effectiveCollation } from '../engine/collation.js';
import type { Collection } from '../engine/collection.js';
import { checkInsert } from '../engine/fieldNames.js';
import { compileFilter, decodeForMingo, matchingBuffers, project, read, type QueryOptions } from '../engine/query.js';
import { applyUpdate, prepareUpdate, upsertSeed, withId, type PreparedUpdate } from '../engine/updates.js';
import { validateDocument } from '../engine/validation.js';
import { evaluateLet } from '../engine/variables.js';
import { encode } from '../engine/values.js';
import { replyWithDocument } from '../protocol/cursorReply.js';
import { collectionName, documentList, optionalDocument, promotedDocument, type CommandContext, type CommandHandler } from './context.js';
import { CommandError } from './errors.js';
import { checkFields } from './fields.js';
import { checkHint, nonEmpty, readOptions } from './reads.js';
import { existingWriteTarget, writeTarget } from './targets.js';

interface Statement {
  /** The filter as sent (typed): an upsert's document starts from its equalities. */
  typedFilter: Document;
  filter: Document;
  update: PreparedUpdate;
  multi: boolean;
  upsert: boolean;
  sort?: Document;
  options: QueryOptions;
  bypassValidation: boolean;
}

interface Outcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** BSON of the last matched document before the update (findAndModify returns it unless new: true). */
  before?: Buffer;
  /** BSON of the document after the update (or of the upserted one). */
  after?: Buffer;
}

function runStatement(context: CommandContext, name: string, statement: Statement): Outcome {
  if (statement.multi && statement.update.kind === 'replacement') throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
  const existing = existingWriteTarget(context, name);
  const targets = statement.sort
    ? (read(existing, statement.filter, { ...statement.options, sort: statement.sort, limit: 1 }) as Buffer[])
    : matchingBuffers(existing, statement.filter, statement.multi ? Infinity : 1, statement.options);
  if (targets.length === 0) return statement.upsert ? upsert(writeTarget(context, name), statement) : { matched: 0, modified: 0 };
  const collection = existing as Collection;
  const query = compileFilter(statement.filter, statement.options);
  let modified = 0;
  let before: Buffer | undefined;
  let after: Buffer | undefined;
  for (const target of targets) {
    const outcome = applyUpdate(target, statement.update, false, query);
    if (outcome.modified) {
      validateDocument(collection, outcome.doc, decodeForMingo(target), statement.bypassValidation);
      collection.replace(outcome.doc, outcome.bytes, target);
      modified += 1;
    }
    before = target;
    after = outcome.bytes;
  }
  return { matched: targets.length, modified, before, after };
}

function upsert(collection: Collection, statement: Statement): Outcome {
  const seed = upsertSeed(statement.typedFilter, statement.update);
  checkInsert(seed);
  const { doc } = applyUpdate(encode(seed), statement.update, true);
  const stored = withId(doc);
  validateDocument(collection, stored, undefined, statement.bypassValidation);
  const inserted = collection.insert(stored);
  return { matched: 0, modified: 0, upsertedId: inserted._id, after: encode(inserted) };
}

function statementOf(context: CommandContext, name: string, raw: Document, command: Document, variables: Document | undefined): Statement {
  const collection = existingWriteTarget(context, name);
  checkHint(collection, raw.hint);
  return {
    typedFilter: optionalDocument(raw, 'q') ?? {},
    filter: promotedDocument(raw, 'q') ?? {},
    update: prepareUpdate(raw.u, raw.arrayFilters, variables),
    multi: raw.multi === true,
    upsert: raw.upsert === true,
    options: { collation: effectiveCollation(raw.collation, collection?.options.collation as Document | undefined), variables },
    bypassValidation: command.bypassDocumentValidation === true,
  };
}

const update: CommandHandler = (command, context) => {
  checkFields('update', command);
  const name = collectionName(command, 'update');
  const statements = documentList(command, 'updates');
  // Like the server, a view fails the command as a whole, not statement by statement.
  existingWriteTarget(context, name);
  const variables = evaluateLet(command.let);
  const ordered = command.ordered !== false;
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, raw] of statements.entries()) {
    try {
      const outcome = runStatement(context, name, statementOf(context, name, raw, command, variables));
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
  checkFields('findAndModify', command);
  const name = collectionName(command, 'findAndModify');
  const collection = existingWriteTarget(context, name);
  checkHint(collection, command.hint);
  const filter = promotedDocument(command, 'query') ?? {};
  const sort = nonEmpty(promotedDocument(command, 'sort'));
  const fields = nonEmpty(promotedDocument(command, 'fields'));
  const options = readOptions(command, context, collection?.options.collation as Document | undefined);
  const queryOptions: QueryOptions = { collation: options.collation, variables: options.variables };
  const value = (bytes: Buffer | undefined): Document | null => (bytes ? (fields ? project(bytes, fields, queryOptions) : deserialize(bytes, { promoteValues: false })) : null);

  if (command.remove === true) {
    if (command.update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (command.upsert === true) throw new CommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
    if (command.new === true) throw new CommandError('FailedToParse', 'Cannot specify both new=true and remove=true; \'remove\' always returns the deleted document');
    const [target] = read(collection, filter, { ...queryOptions, sort, limit: 1 }) as Buffer[];
    if (target && collection) collection.removeStored(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: value(target), ok: 1 };
  }
  if (command.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  const outcome = runStatement(context, name, {
    typedFilter: optionalDocument(command, 'query') ?? {},
    filter,
    update: prepareUpdate(command.update, command.arrayFilters, options.variables),
    multi: false,
    upsert: command.upsert === true,
    sort,
    options: queryOptions,
    bypassValidation: command.bypassDocumentValidation === true,
  });
  const lastErrorObject: Document = { n: outcome.matched + (outcome.upsertedId !== undefined ? 1 : 0), updatedExisting: outcome.matched > 0 };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  const bytes = command.new === true ? outcome.after : outcome.before;
  // Unprojected, the reply carries the document's BSON as it is (before: as stored; after: as journalled).
  if (!fields && bytes) return replyWithDocument({ lastErrorObject, ok: 1 }, 'value', bytes);
  return { lastErrorObject, value: value(bytes), ok: 1 };
};

export const modifyCommands: Record<string, CommandHandler> = { update, findAndModify };
