// aggregate through mingo. A leading $match selects candidates the same way find does (so it can use an
// index); $lookup reads other collections of the same database through mingo's collectionResolver.
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { matching } from '../engine/query.js';
import { collectionName, existingCollection, type CommandContext, type CommandHandler } from './context.js';
import { changeStreamsUnsupported, CommandError } from './errors.js';

const WRITING_STAGES = new Set(['$out', '$merge']);

function stageName(stage: Document): string {
  return Object.keys(stage)[0] ?? '';
}

function run(pipeline: Document[], source: Document[], context: CommandContext): Document[] {
  const resolver = (name: string): Document[] => matching(existingCollection(context, name), {});
  try {
    return new Aggregator(pipeline, { collectionResolver: resolver }).run(source) as Document[];
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    const unknownStage = /(\$\w+)/.exec(message);
    if (/unknown|not supported|unrecognized/i.test(message) && unknownStage) {
      throw new CommandError('Location40324', `Unrecognized pipeline stage name: '${unknownStage[1]}'`, {}, 40324);
    }
    throw new CommandError('BadValue', message);
  }
}

const aggregate: CommandHandler = (command, context) => {
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "BSON field 'aggregate.pipeline' is the wrong type, expected type 'array'", {}, 14);
  const stages = pipeline as Document[];
  const first = stages[0];
  if (first && stageName(first) === '$changeStream') throw changeStreamsUnsupported();
  for (const stage of stages) {
    if (WRITING_STAGES.has(stageName(stage))) throw new CommandError('Location40324', `${stageName(stage)} is not supported by the embedded store`, {}, 40324);
  }
  if (command.explain === true) throw new CommandError('IllegalOperation', 'explain is not supported by the embedded store');
  if (typeof command.aggregate !== 'string') throw new CommandError('InvalidNamespace', 'collection-less aggregate is not supported by the embedded store', {}, 73);
  const name = collectionName(command, 'aggregate');
  const leadingMatch = first && stageName(first) === '$match' ? (first.$match as Document) : undefined;
  const source = matching(existingCollection(context, name), leadingMatch);
  const results = run(leadingMatch ? stages.slice(1) : stages, source, context);
  const batchSize = (command.cursor as Document | undefined)?.batchSize as number | undefined;
  return context.cursors.first(`${context.databaseName}.${name}`, results, batchSize);
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
