// A command's `let`: user variables for $expr, pipelines and pipeline updates ($$name). The server evaluates
// each value once, as an expression, before the command runs: { x: { $literal: '$bar' } } is the string
// '$bar', { r: { $rand: {} } } one random number shared by every document.
import type { Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import { evaluate } from './mingo.js';
import { queryError } from './query.js';
import { promote } from './typed.js';

const RESERVED = new Set(['ROOT', 'CURRENT', 'REMOVE', 'NOW', 'CLUSTER_TIME', 'DESCEND', 'PRUNE', 'KEEP', 'SEARCH_META', 'USER_ROLES', 'SEARCH_SCORE']);

export function evaluateLet(raw: unknown): Document | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CommandError('TypeMismatch', "BSON field 'let' is the wrong type, expected type 'object'");
  const variables: Document = {};
  for (const [name, expression] of Object.entries(promote(raw as Document))) {
    if (RESERVED.has(name) || !/^[a-z\u0080-\uffff][\w\u0080-\uffff]*$/.test(name)) {
      throw new CommandError('FailedToParse', `'${name}' starts with an invalid character for a user variable name`);
    }
    try {
      variables[name] = evaluate(expression);
    } catch (error) {
      throw queryError(error);
    }
  }
  return variables;
}
