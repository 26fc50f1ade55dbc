// aggregate through mingo: on a collection, on a view (its pipeline first), or on no collection at all
// ({ aggregate: 1 } starting with $documents or $listLocalSessions). A final $out or $merge writes the results.
import type { Document } from 'bson';
import { aggregateCollection, aggregateDocuments, checkStages, stageName } from '../engine/pipeline.js';
import { promote } from '../engine/typed.js';
import { collectionName, cursorBatchSize, type CommandHandler } from './context.js';
import { changeStreamsUnsupported, CommandError, notSupported } from './errors.js';
import { checkFields } from './fields.js';
import { checkHint, readOptions } from './reads.js';
import { readTarget } from './targets.js';
import { runWriteStage, WRITE_STAGES } from './writeStages.js';

/** Stages that make a pipeline need no collection (the documents come from the stage itself). */
const COLLECTIONLESS = new Set(['$documents', '$listLocalSessions']);
const SERVER_STAGES = new Set(['$currentOp', '$listCachedAndActiveUsers', '$listLocalSessions', '$listSessions', '$listSampledQueries', '$querySettings', '$indexStats', '$collStats', '$planCacheStats', '$listSearchIndexes', '$search', '$searchMeta', '$vectorSearch']);

const aggregate: CommandHandler = (command, context) => {
  checkFields('aggregate', command);
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "BSON field 'aggregate.pipeline' is the wrong type, expected type 'array'", {}, 14);
  const stages = checkStages(promote(pipeline as unknown[]));
  if (command.explain === true) throw notSupported('explain');
  if (command.cursor === undefined) throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  const first = stages[0];
  if (first && stageName(first) === '$changeStream') throw changeStreamsUnsupported();
  stages.forEach((stage, index) => {
    const name = stageName(stage);
    if (WRITE_STAGES.has(name) && index !== stages.length - 1) throw new CommandError('Location40601', `${name} can only be the final stage in the pipeline`, {}, 40601);
    if (COLLECTIONLESS.has(name) && index !== 0) throw new CommandError('Location40602', `${name} is only valid as the first stage in a pipeline`, {}, 40602);
    if (SERVER_STAGES.has(name) && name !== '$listLocalSessions') throw notSupported(`the ${name} stage`);
  });
  const last = stages[stages.length - 1];
  const writeStage = last && WRITE_STAGES.has(stageName(last)) ? last : undefined;
  const reading = writeStage ? stages.slice(0, -1) : stages;
  let results: Document[];
  let namespace: string;
  if (command.aggregate === 1 || (typeof command.aggregate === 'object' && Number(command.aggregate) === 1)) {
    const firstName = first ? stageName(first) : '';
    if (!COLLECTIONLESS.has(firstName)) throw new CommandError('InvalidNamespace', `{aggregate: 1} is not valid for '${firstName || 'an empty pipeline'}'; a collection is required.`);
    const options = readOptions(command, context, undefined);
    const sessionsFirst = firstName === '$listLocalSessions';
    results = aggregateDocuments(sessionsFirst ? [{ $documents: context.sessions.list() }, ...reading.slice(1)] : reading, options);
    namespace = `${context.databaseName}.$cmd.aggregate`;
  } else {
    const target = readTarget(context, collectionName(command, 'aggregate'));
    checkHint(target.collection, command.hint);
    results = aggregateCollection(target.collection, [...target.viewPipeline, ...reading], readOptions(command, context, target.defaultCollation));
    namespace = target.namespace;
  }
  if (writeStage) {
    runWriteStage(writeStage, results, context, command.bypassDocumentValidation === true);
    return context.cursors.first(namespace, [], 0);
  }
  return context.cursors.first(namespace, results, cursorBatchSize(command));
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
