// The options a collection is created with and collMod changes: views (viewOn + pipeline), document
// validation (validator, validationLevel, validationAction) and a default collation. Options the store would
// accept but not honour (capped, time series, clustered, change stream images...) are refused instead.
import type { Document } from 'bson';
import { parseCollation } from '../engine/collation.js';
import { checkStages } from '../engine/pipeline.js';
import { checkValidatorOptions } from '../engine/validation.js';
import { collectionName, existingCollection, type CommandContext, type CommandHandler } from './context.js';
import { CommandError, notSupported } from './errors.js';
import { isView } from './targets.js';

/** Command fields that are not options of the collection. */
const COMMAND_FIELDS = new Set(['$db', 'lsid', '$clusterTime', '$readPreference', 'writeConcern', 'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', '$audit', '$client']);
const HONOURED = new Set(['viewOn', 'pipeline', 'validator', 'validationLevel', 'validationAction', 'collation', 'idIndex', 'storageEngine', 'indexOptionDefaults', 'autoIndexId']);

function checkView(options: Document, context: CommandContext): void {
  if (options.viewOn === undefined) {
    if (options.pipeline !== undefined) throw new CommandError('BadValue', "'pipeline' requires 'viewOn' to also be specified");
    return;
  }
  if (typeof options.viewOn !== 'string' || options.viewOn.length === 0) throw new CommandError('BadValue', "'viewOn' must be a non-empty string");
  if (options.pipeline !== undefined && !Array.isArray(options.pipeline)) throw new CommandError('TypeMismatch', "'pipeline' must be an array");
  const stages = checkStages((options.pipeline as unknown[] | undefined) ?? []);
  for (const stage of stages) {
    const name = Object.keys(stage)[0];
    if (name === '$out' || name === '$merge') throw new CommandError('OptionNotSupportedOnView', `${name} cannot be used in a view definition`);
  }
  for (const key of ['validator', 'validationLevel', 'validationAction'] as const) {
    if (options[key] !== undefined) throw new CommandError('InvalidOptions', `'${key}' is not supported on a view`);
  }
  void context;
}

/** The options `create` stores for a new collection or view, checked. */
export function createOptions(command: Document, context: CommandContext): Document {
  const options: Document = {};
  for (const [key, value] of Object.entries(command)) {
    if (key === 'create' || COMMAND_FIELDS.has(key)) continue;
    if (!HONOURED.has(key)) {
      if (key === 'capped' && value === false) continue;
      throw notSupported(`the collection option '${key}'`);
    }
    options[key] = value;
  }
  checkView(options, context);
  checkValidatorOptions(options);
  if (options.collation !== undefined) {
    const collation = parseCollation(options.collation);
    if (collation) options.collation = collation.spec;
    else delete options.collation;
  }
  return options;
}

const collMod: CommandHandler = (command, context) => {
  const name = collectionName(command, 'collMod');
  const collection = existingCollection(context, name);
  if (!collection) throw new CommandError('NamespaceNotFound', `ns does not exist: ${context.databaseName}.${name}`);
  const changes: Document = {};
  for (const [key, value] of Object.entries(command)) {
    if (key === 'collMod' || COMMAND_FIELDS.has(key)) continue;
    if (!['validator', 'validationLevel', 'validationAction', 'viewOn', 'pipeline'].includes(key)) throw notSupported(`collMod of '${key}'`);
    changes[key] = value;
  }
  const view = isView(collection);
  if (view && ['validator', 'validationLevel', 'validationAction'].some((key) => key in changes)) throw new CommandError('InvalidOptions', `option not supported on a view: ${Object.keys(changes).join(', ')}`);
  if (!view && ('viewOn' in changes || 'pipeline' in changes)) throw new CommandError('InvalidOptions', `option only supported on a view: ${'viewOn' in changes ? 'viewOn' : 'pipeline'}`);
  const next = { ...collection.options, ...changes };
  if (view) checkView(next, context);
  checkValidatorOptions(next);
  collection.setOptions(next, true);
  return { ok: 1 };
};

export const collectionOptionCommands: Record<string, CommandHandler> = { collMod };
