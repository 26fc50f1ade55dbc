// Document validation (create / collMod with `validator`): a query each written document must match, unless
// the write bypasses it (bypassDocumentValidation), validationLevel is "off", or — at "moderate" — the
// document being updated did not match before. validationAction "warn" lets the write through.
import type { Document } from 'bson';
import { CommandError, notSupported } from '../commands/errors.js';
import type { Collection } from './collection.js';
import { Query } from './mingo.js';
import { promote } from './typed.js';
import { valueKey } from './values.js';

const compiled = new Map<string, Query>();

function containsJsonSchema(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsJsonSchema);
  if (value === null || typeof value !== 'object' || (value as { _bsontype?: string })._bsontype) return false;
  return Object.entries(value as Document).some(([key, inner]) => key === '$jsonSchema' || containsJsonSchema(inner));
}

/** Checks a validator and the validation options when a collection is created or modified. */
export function checkValidatorOptions(options: Document): void {
  if (options.validator !== undefined) {
    if (options.validator === null || typeof options.validator !== 'object' || Array.isArray(options.validator)) throw new CommandError('TypeMismatch', "BSON field 'validator' is the wrong type, expected type 'object'");
    if (containsJsonSchema(options.validator)) throw notSupported('a $jsonSchema validator');
    try {
      new Query(promote(options.validator as Document));
    } catch (error) {
      throw new CommandError('InvalidOptions', `Invalid validator: ${(error as Error).message}`);
    }
  }
  if (options.validationLevel !== undefined && !['off', 'strict', 'moderate'].includes(options.validationLevel as string)) {
    throw new CommandError('BadValue', `Enumeration value '${String(options.validationLevel)}' for field 'validationLevel' is not a valid value.`);
  }
  if (options.validationAction !== undefined && !['error', 'warn'].includes(options.validationAction as string)) {
    throw new CommandError('BadValue', `Enumeration value '${String(options.validationAction)}' for field 'validationAction' is not a valid value.`);
  }
}

function validator(collection: Collection): Query | undefined {
  const spec = collection.options.validator as Document | undefined;
  if (!spec || Object.keys(spec).length === 0 || collection.options.validationLevel === 'off') return undefined;
  const key = valueKey(spec);
  let query = compiled.get(key);
  if (!query) {
    query = new Query(promote(spec));
    if (compiled.size > 100) compiled.clear();
    compiled.set(key, query);
  }
  return query;
}

/**
 * Throws DocumentValidationFailure (121) when `next` (typed) fails the collection's validator. `previous`
 * is the document an update replaces (promoted), undefined for an insert.
 */
export function validateDocument(collection: Collection, next: Document, previous: Document | undefined, bypass: boolean): void {
  if (bypass) return;
  const query = validator(collection);
  if (!query || query.test(promote(next))) return;
  if (previous && collection.options.validationLevel === 'moderate' && !query.test(previous)) return;
  if (collection.options.validationAction === 'warn') return;
  const spec = collection.options.validator as Document;
  const operators = Object.keys(spec);
  // The server explains which clause failed in detail; this names the validator as a whole.
  throw new CommandError('DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: next._id, details: { operatorName: operators.length === 1 && operators[0]!.startsWith('$') ? operators[0] : '$and', specifiedAs: spec, reason: 'the document does not match the validator' } },
  });
}
