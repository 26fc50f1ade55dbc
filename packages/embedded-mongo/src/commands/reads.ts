// What the read commands share: the options every read takes (collation, let, hint), and reads of a view,
// which run as an aggregation of the view's pipeline followed by the command's own stages.
import type { Document } from 'bson';
import { effectiveCollation } from '../engine/collation.js';
import type { Collection } from '../engine/collection.js';
import { sameKey } from '../engine/indexes.js';
import { aggregateCollection, type PipelineOptions } from '../engine/pipeline.js';
import { matching } from '../engine/query.js';
import { promote } from '../engine/typed.js';
import { evaluateLet } from '../engine/variables.js';
import { existingCollection, type CommandContext } from './context.js';
import { CommandError } from './errors.js';
import type { ReadTarget } from './targets.js';

/** The query options of a command: its collation (or the collection's default) and its let variables. */
export function readOptions(command: Document, context: CommandContext, defaultCollation: Document | undefined, collation: unknown = command.collation): PipelineOptions {
  return {
    collation: effectiveCollation(collation, defaultCollation),
    variables: evaluateLet(command.let),
    resolve: (name) => matching(existingCollection(context, name), {}),
  };
}

/** A hint must name an existing index, by name or by key pattern, as the server's planner requires. */
export function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !collection) return;
  if (typeof hint === 'string') {
    if (hint === '_id_' || collection.getIndex(hint)) return;
  } else if (typeof hint === 'object' && !Array.isArray(hint)) {
    const key = promote(hint as Document);
    if (Object.keys(key).length === 0 || sameKey(key, { _id: 1 }) || collection.indexes().some((index) => sameKey(index.spec.key, key))) return;
    if ('$natural' in key) return;
  }
  throw new CommandError('BadValue', 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

/** Reads a view: its pipeline, then `stages` (the command turned into aggregation stages). */
export function readView(target: ReadTarget, stages: Array<Document | undefined>, options: PipelineOptions): Document[] {
  return aggregateCollection(target.collection, [...target.viewPipeline, ...stages.filter((stage): stage is Document => stage !== undefined)], options);
}

export function nonEmpty(doc: Document | undefined): Document | undefined {
  return doc && Object.keys(doc).length > 0 ? doc : undefined;
}
