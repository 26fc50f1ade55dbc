// The store's mingo: every operator of mingo's default set, except the comparisons, which honour the
// command's collation (options.collation, see collation.ts) in queries and in expressions, and $type, which
// tells int32, int64 and double apart by reading the typed document the promoted one was made from.
import type { Document } from 'bson';
import { createRequire } from 'node:module';
import type { Options } from 'mingo/types';
import { parseCollation } from './collation.js';
import { compareBson, typeRank } from './order.js';
import { bsonTypeMatches } from './types.js';

// Loaded with require: imported from ESM, each of mingo's CommonJS operator modules is first scanned for its
// exports (every re-exported file again), which cost the store's start 60 ms and 10 MB of memory.
const require = createRequire(import.meta.url);
const { Aggregator: BaseAggregator } = require('mingo/aggregator') as typeof import('mingo/aggregator');
const { Context, evalExpr } = require('mingo/core') as typeof import('mingo/core');
const accumulatorOperators = require('mingo/operators/accumulator') as typeof import('mingo/operators/accumulator');
const expressionOperators = require('mingo/operators/expression') as typeof import('mingo/operators/expression');
const pipelineOperators = require('mingo/operators/pipeline') as typeof import('mingo/operators/pipeline');
const projectionOperators = require('mingo/operators/projection') as typeof import('mingo/operators/projection');
const queryOperators = require('mingo/operators/query') as typeof import('mingo/operators/query');
const windowOperators = require('mingo/operators/window') as typeof import('mingo/operators/window');
const { Query: BaseQuery } = require('mingo/query') as typeof import('mingo/query');
const { resolve } = require('mingo/util') as typeof import('mingo/util');

type Collator = Intl.Collator;
type Predicate = (lhs: unknown, rhs: unknown, collator: Collator) => boolean;
type QueryOperator = (selector: string, value: unknown, options: Options) => (obj: unknown) => boolean;
type ExpressionOperator = (obj: unknown, expr: unknown, options: Options) => unknown;

/** Typed documents by the promoted copy a query tests, for $type (see typedRoot). */
const typedRoots = new WeakMap<object, Document>();

/** Lets $type see the BSON types of `typed` while a query tests its promoted copy `promoted`. */
export function typedRoot(promoted: Document, typed: Document): Document {
  typedRoots.set(promoted, typed);
  return promoted;
}

function collatorOf(options: Options | undefined): Collator | undefined {
  const spec = (options as { collation?: Document } | undefined)?.collation;
  return spec ? parseCollation(spec)?.collator : undefined;
}

function isNil(value: unknown): boolean {
  return value === null || value === undefined;
}

function equal(a: unknown, b: unknown, collator: Collator): boolean {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b) === 0;
  return typeRank(a) === typeRank(b) && compareBson(a, b, collator) === 0;
}

const eq: Predicate = (lhs, rhs, collator) => equal(lhs, rhs, collator) || (isNil(lhs) && isNil(rhs)) || (Array.isArray(lhs) && lhs.some((element) => equal(element, rhs, collator)));

function inList(lhs: unknown, list: unknown, collator: Collator): boolean {
  if (!Array.isArray(list)) return false;
  return list.some((candidate) => {
    if (candidate instanceof RegExp) return (Array.isArray(lhs) ? lhs : [lhs]).some((value) => typeof value === 'string' && candidate.test(value));
    return eq(lhs, candidate, collator);
  });
}

function ordered(test: (order: number) => boolean): Predicate {
  return (lhs, rhs, collator) => (Array.isArray(lhs) ? lhs : [lhs]).some((value) => typeRank(value) === typeRank(rhs) && test(compareBson(value, rhs, collator)));
}

function collatedQuery(base: QueryOperator, predicate: Predicate): QueryOperator {
  return (selector, value, options) => {
    const collator = collatorOf(options);
    if (!collator) return base(selector, value, options);
    return (obj) => predicate(resolve(obj as Document, selector, { unwrapArray: true }), value, collator);
  };
}

function collatedExpression(base: ExpressionOperator, result: (a: unknown, b: unknown, collator: Collator) => unknown): ExpressionOperator {
  return (obj, expr, options) => {
    const collator = collatorOf(options);
    if (!collator) return base(obj, expr, options);
    const [a, b] = evalExpr(obj as Document, expr, options) as unknown[];
    return result(a, b, collator);
  };
}

const query = queryOperators as unknown as Record<string, QueryOperator>;
const expression = expressionOperators as unknown as Record<string, ExpressionOperator>;
const compareCollated = (a: unknown, b: unknown, collator: Collator) => compareBson(a, b, collator);

const $type: QueryOperator = (selector, value, options) => {
  const approximate = query.$type!(selector, value, options);
  return (obj) => {
    const typed = typedRoots.get(obj as object);
    if (!typed) return approximate(obj);
    return bsonTypeMatches(resolve(typed, selector, { unwrapArray: true }), value);
  };
};

const STORE_CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: {
    ...expressionOperators,
    $eq: collatedExpression(expression.$eq!, (a, b, collator) => equal(a, b, collator)),
    $ne: collatedExpression(expression.$ne!, (a, b, collator) => !equal(a, b, collator)),
    $gt: collatedExpression(expression.$gt!, (a, b, collator) => compareCollated(a, b, collator) > 0),
    $gte: collatedExpression(expression.$gte!, (a, b, collator) => compareCollated(a, b, collator) >= 0),
    $lt: collatedExpression(expression.$lt!, (a, b, collator) => compareCollated(a, b, collator) < 0),
    $lte: collatedExpression(expression.$lte!, (a, b, collator) => compareCollated(a, b, collator) <= 0),
    $cmp: collatedExpression(expression.$cmp!, (a, b, collator) => Math.sign(compareCollated(a, b, collator))),
    $in: collatedExpression(expression.$in!, (a, b, collator) => Array.isArray(b) && b.some((candidate) => equal(a, candidate, collator))),
  } as never,
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: {
    ...queryOperators,
    $eq: collatedQuery(query.$eq!, eq),
    $ne: collatedQuery(query.$ne!, (lhs, rhs, collator) => !eq(lhs, rhs, collator)),
    $in: collatedQuery(query.$in!, inList),
    $nin: collatedQuery(query.$nin!, (lhs, rhs, collator) => !inList(lhs, rhs, collator)),
    $gt: collatedQuery(query.$gt!, ordered((order) => order > 0)),
    $gte: collatedQuery(query.$gte!, ordered((order) => order >= 0)),
    $lt: collatedQuery(query.$lt!, ordered((order) => order < 0)),
    $lte: collatedQuery(query.$lte!, ordered((order) => order <= 0)),
    $type,
  } as never,
  window: windowOperators,
});

export interface EvaluationOptions {
  collation?: Document;
  variables?: Document;
  collectionResolver?: (name: string) => Document[];
}

function options(extra: EvaluationOptions | undefined): Partial<Options> {
  return { ...extra, context: STORE_CONTEXT } as Partial<Options>;
}

export class Query extends BaseQuery {
  constructor(condition: Document, extra?: EvaluationOptions) {
    super(condition, options(extra));
  }
}

export class Aggregator extends BaseAggregator {
  constructor(pipeline: Document[], extra?: EvaluationOptions) {
    super(pipeline, options(extra));
  }
}


/** Evaluates an expression (a let variable's value) in a document, by default an empty one. */
export function evaluate(expression: unknown, root: Document = {}, extra?: EvaluationOptions): unknown {
  return evalExpr(root, expression, { ...options(extra), failOnError: true } as Options);
}
