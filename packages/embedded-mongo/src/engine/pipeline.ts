// Running an aggregation pipeline over a collection through mingo. A leading $match selects candidates the
// way find does (so it can use an index); when every stage keeps documents whole or reshapes them in place,
// each result's numbers get their stored types back (typed.ts). Under a collation, stages that compare
// values mingo cannot collate ($group keys, $lookup joins, ...) are refused rather than compared bytewise.
import type { Document } from 'bson';
import { CommandError, notSupported } from '../commands/errors.js';
import type { Collection } from './collection.js';
import { Aggregator } from './mingo.js';
import { decodeForMingo, matchingBuffers, queryError, type QueryOptions } from './query.js';
import { pickFields } from './rawFields.js';
import { decodeTyped, retype } from './typed.js';
import { valueKey } from './values.js';

export interface PipelineOptions extends QueryOptions {
  /** The documents of another collection of the database ($lookup, $unionWith, $graphLookup). */
  resolve(name: string): Document[];
}

/** Stages after which a document is still the stored one, perhaps reshaped: its numbers can be retyped. */
const PRESERVING = new Set(['$match', '$sort', '$limit', '$skip', '$project', '$addFields', '$set', '$unset', '$sample', '$lookup', '$redact']);
/** Stages whose comparisons a collation would change and mingo would not collate. */
const UNCOLLATED = new Set(['$group', '$bucket', '$bucketAuto', '$sortByCount', '$lookup', '$graphLookup', '$setWindowFields', '$facet', '$densify', '$fill', '$unionWith']);

/**
 * A $group on a constant key with accumulators that compare nothing ($sum, $avg, $count, $first, $last,
 * $push): what countDocuments sends. A collation changes nothing there.
 */
function constantGroup(stage: Document): boolean {
  const group = stage.$group as Document | undefined;
  if (!group || (typeof group._id === 'string' && group._id.startsWith('$')) || (group._id !== null && typeof group._id === 'object')) return false;
  return Object.entries(group).every(([field, accumulator]) => field === '_id' || (isDocument(accumulator) && ['$sum', '$avg', '$count', '$first', '$last', '$push'].includes(Object.keys(accumulator)[0] ?? '')));
}

export function stageName(stage: Document): string {
  return Object.keys(stage)[0] ?? '';
}

function isDocument(value: unknown): value is Document {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function checkStages(stages: unknown[]): Document[] {
  for (const stage of stages) {
    if (!isDocument(stage) || Object.keys(stage).length !== 1) throw new CommandError('Location40323', 'A pipeline stage specification object must contain exactly one field.', {}, 40323);
  }
  return stages as Document[];
}

function runStages(stages: Document[], source: Document[], options: PipelineOptions): Document[] {
  if (stages.length === 0) return source;
  if (options.collation) {
    const refused = stages.find((stage) => UNCOLLATED.has(stageName(stage)) && !constantGroup(stage));
    if (refused) throw notSupported(`a collation with the ${stageName(refused)} stage`);
  }
  try {
    return new Aggregator(stages, { collation: options.collation?.intlSpec, variables: options.variables, collectionResolver: options.resolve }).run(source) as Document[];
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const unknownStage = /(\$\w+)/.exec(message);
    if (/unknown|not supported|unrecognized|not registered/i.test(message) && unknownStage && /pipeline|stage|operator/i.test(message)) {
      throw new CommandError('Location40324', `Unrecognized pipeline stage name: '${unknownStage[1]}'`, {}, 40324);
    }
    throw queryError(error);
  }
}

/** Runs `stages` (promoted) over the documents of `collection`. */
export function aggregateCollection(collection: Collection | undefined, stages: Document[], options: PipelineOptions): Document[] {
  const first = stages[0];
  const leadingMatch = first && stageName(first) === '$match' ? (first.$match as Document) : undefined;
  const rest = leadingMatch ? stages.slice(1) : stages;
  const buffers = matchingBuffers(collection, leadingMatch, leadingMatch ? documentsNeeded(rest) : Infinity, options);
  // Stages that only count (countDocuments: $skip, $limit, a $group of constants) need no field decoded.
  const results = runStages(rest, buffers.map(readsNoField(rest) ? () => ({}) : decodeForMingo), options);
  if (results.length === 0 || !rest.every((stage) => PRESERVING.has(stageName(stage)))) return results;
  const typedById = new Map<string, Buffer>(buffers.map((buffer) => [valueKey(pickFields(buffer, ['_id'])._id), buffer]));
  return results.map((result) => {
    const source = typedById.get(valueKey(result._id));
    return source ? retype(result, decodeTyped(source)) : result;
  });
}

/**
 * How many matching documents the stages after a leading $match can use: `$limit` (after any `$skip`, as
 * countDocuments and find-like aggregations send them) stops the match early instead of decoding every one.
 */
function documentsNeeded(stages: Document[]): number {
  let skipped = 0;
  for (const stage of stages) {
    const name = stageName(stage);
    const amount = Object.values(stage)[0];
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) return Infinity;
    if (name === '$skip') skipped += amount;
    else if (name === '$limit') return amount === 0 ? Infinity : skipped + amount;
    else return Infinity;
  }
  return Infinity;
}

/** Whether the stages only count documents: $skip, $limit and $group/$count with no field path or variable in them. */
function readsNoField(stages: Document[]): boolean {
  const mentionsField = (value: unknown): boolean =>
    typeof value === 'string' ? value.startsWith('$') : Array.isArray(value) ? value.some(mentionsField) : value !== null && typeof value === 'object' && !(value as { _bsontype?: string })._bsontype && Object.values(value).some(mentionsField);
  return stages.length > 0 && stages.every((stage) => {
    const name = stageName(stage);
    if (name === '$skip' || name === '$limit' || name === '$count') return true;
    return name === '$group' && !mentionsField(stage.$group);
  });
}

/** Runs a pipeline that needs no collection (it starts with $documents). */
export function aggregateDocuments(stages: Document[], options: PipelineOptions): Document[] {
  return runStages(stages, [], options);
}
