// Limits on the GraphQL documents a client may send, so one request cannot exhaust the server: lexer tokens
// (checked while parsing, before any tree is built), selection depth, and an estimated cost in which a field
// returning a list multiplies the cost of what is selected beneath it. Applied to HTTP (Apollo) and to
// graphql-ws alike. Hand-written with graphql's own types: graphql-armor needs @envelop/core, which this
// server does not use.
import {
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  specifiedRules,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  validate,
  type ValidationContext,
  type ValidationRule,
  type FieldNode,
} from 'graphql';
import { MAX_LIST_LIMIT } from '../pipeline/characterAccess.js';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxTokens: number;
}

/** A list field without a literal page size is assumed to return this many items. */
const DEFAULT_LIST_SIZE = 10;
const PAGE_SIZE_ARGUMENTS = new Set(['limit', 'first', 'last']);

interface Measure {
  depth: number;
  cost: number;
}

function fieldDefinition(parent: GraphQLCompositeType, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  // Stryker disable next-line ConditionalExpression: __typename is a leaf, measured as depth 1 and cost 1 whether found here or not
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/**
 * Items a list field is assumed to return: its literal page-size argument, else (a variable) the largest page
 * any list accepts, else a default.
 */
function listSize(node: FieldNode): number {
  const argument = node.arguments?.find((arg) => PAGE_SIZE_ARGUMENTS.has(arg.name.value));
  if (!argument) return DEFAULT_LIST_SIZE;
  if (argument.value.kind === Kind.INT) return Math.max(1, Number(argument.value.value));
  return MAX_LIST_LIMIT;
}

class DocumentMeasurer {
  /** Fragments are measured once: their type condition fixes their cost, so fragment bombs stay linear. */
  private readonly fragmentMeasures = new Map<string, Measure>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  measure(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, visiting: ReadonlySet<string> = new Set()): Measure {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let inner: Measure;
      if (selection.kind === Kind.FIELD) inner = this.measureField(selection, parent, visiting);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        inner = type && isCompositeType(type) ? this.measure(selection.selectionSet, type, visiting) : { depth: 0, cost: 0 };
      } else inner = this.measureFragment(selection.name.value, visiting);
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    }
    return { depth, cost };
  }

  private measureField(node: FieldNode, parent: GraphQLCompositeType, visiting: ReadonlySet<string>): Measure {
    const definition = fieldDefinition(parent, node.name.value, this.schema);
    const type = definition ? getNamedType(definition.type) : undefined;
    // Unknown fields and missing selections are reported by graphql's own rules.
    if (!node.selectionSet || !definition || !type || !isCompositeType(type)) return { depth: 1, cost: 1 };
    const inner = this.measure(node.selectionSet, type, visiting);
    const items = isListType(getNullableType(definition.type)) ? listSize(node) : 1;
    return { depth: 1 + inner.depth, cost: 1 + items * inner.cost };
  }

  private measureFragment(name: string, visiting: ReadonlySet<string>): Measure {
    const known = this.fragmentMeasures.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // A cycle or an unknown fragment: NoFragmentCycles / KnownFragmentNames report it.
    if (!fragment || visiting.has(name)) return { depth: 0, cost: 0 };
    const type = this.schema.getType(fragment.typeCondition.name.value);
    const measure = type && isCompositeType(type) ? this.measure(fragment.selectionSet, type, new Set([...visiting, name])) : { depth: 0, cost: 0 };
    this.fragmentMeasures.set(name, measure);
    return measure;
  }
}

/** The validation rule enforcing `maxDepth` and `maxCost` on every operation of a document. */
export function queryLimitRule(limits: Pick<QueryLimits, 'maxDepth' | 'maxCost'>): ValidationRule {
  return (context: ValidationContext) => {
    const schema = context.getSchema();
    const document = context.getDocument();
    const fragments = new Map(
      document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
    );
    const measurer = new DocumentMeasurer(schema, fragments);
    return {
      OperationDefinition(operation) {
        const root = schema.getRootType(operation.operation);
        // Stryker disable next-line BooleanLiteral: the rule has no visitor below the operation, so whether the walk goes on changes nothing
        if (!root) return false;
        const { depth, cost } = measurer.measure(operation.selectionSet, root);
        if (depth > limits.maxDepth) {
          context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, { nodes: operation, extensions: { limit: 'depth', max: limits.maxDepth } }));
        }
        if (cost > limits.maxCost) {
          context.reportError(new GraphQLError(`estimated query cost ${cost} exceeds the limit of ${limits.maxCost}`, { nodes: operation, extensions: { limit: 'cost', max: limits.maxCost } }));
        }
        return false;
      },
    };
  };
}

/**
 * graphql-js parses recursively: a document nested a few thousand levels deep overflows the stack inside the
 * parser, before any validation rule (the depth limit included) can run, and fits well under the token
 * limit. So the raw text's bracket nesting is measured first, skipping strings and comments.
 */
export function nestingDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  // Stryker disable next-line EqualityOperator: at i = length the character is undefined and matches no branch
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '#') {
      while (
        // Stryker disable next-line EqualityOperator: at i = length the character is undefined, no line break, so the loop only ends one step later
        i < source.length &&
        source[i] !== '\n' &&
        source[i] !== '\r'
      )
        i++;
    } else if (char === '"') {
      const block = source.startsWith('"""', i);
      const end = block ? '"""' : '"';
      i += end.length;
      while (
        // Stryker disable next-line EqualityOperator: at i = length no quote starts, so the loop only ends one step later
        i < source.length &&
        !source.startsWith(end, i)
      )
        i += source[i] === '\\' ? 2 : 1;
      i += end.length - 1;
    } else if (char === '{' || char === '(' || char === '[') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === '}' || char === ')' || char === ']') {
      depth--;
    }
  }
  return deepest;
}

/** Bracket nesting allowed before parsing: room for maxDepth selection levels plus arguments and lists. */
export function maxNesting(limits: QueryLimits): number {
  return Math.max(64, limits.maxDepth * 4);
}

/** A refusal for a document nested too deep to parse safely, or null when it may be parsed. */
export function nestingError(source: string, limits: QueryLimits): GraphQLError | null {
  const depth = nestingDepth(source);
  const max = maxNesting(limits);
  return depth > max ? new GraphQLError(`document nested ${depth} levels deep; at most ${max} brackets may nest`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'nesting', max } }) : null;
}

/** Apollo Server options that apply the limits to HTTP requests. */
export function apolloQueryLimits(limits: QueryLimits) {
  return { parseOptions: { maxTokens: limits.maxTokens }, validationRules: [queryLimitRule(limits)] };
}

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * Parses and validates a graphql-ws subscribe message under the same limits as HTTP. A malformed document
 * answers with errors on that operation; graphql-ws's default would let the parse error close the socket.
 */
export function subscriptionArgs(schema: GraphQLSchema, payload: SubscribePayload, limits: QueryLimits): ExecutionArgs | readonly GraphQLError[] {
  const tooDeep = nestingError(payload.query, limits);
  if (tooDeep) return [tooDeep];
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: limits.maxTokens });
  } catch (error) {
    // Stryker disable next-line StringLiteral: graphql's parse throws only GraphQLErrors; the fallback is for a future version that does not
    return [error instanceof GraphQLError ? error : new GraphQLError('could not parse the document')];
  }
  const errors = validate(schema, document, [...specifiedRules, queryLimitRule(limits)]);
  if (errors.length > 0) return errors;
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
}
