// What MongoDB 7.0 lets a stored document hold (src/mongo/db/update/storage_validation.cpp and the insert
// path): dotted and $-prefixed field names are allowed almost everywhere since 5.0, except in _id (no
// $-prefixed field at any depth, and never an array, a regex or undefined) and at the top level of a
// replacement (a DBRef's $ref/$id/$db excepted).
import type { Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import { isDocument } from './update/walk.js';

function bsonType(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? (value as { _bsontype?: string })._bsontype : undefined;
}

/** The first $-prefixed field name at any depth of `doc` that is not part of a DBRef. */
function dollarField(doc: Document): string | undefined {
  const keys = Object.keys(doc);
  const isDbRef = keys[0] === '$ref' && keys[1] === '$id';
  for (const [index, key] of keys.entries()) {
    if (key.startsWith('$') && !(isDbRef && (index < 2 || (index === 2 && key === '$db')))) return key;
    const value = doc[key];
    const nested = isDocument(value) ? dollarField(value) : Array.isArray(value) ? value.map((element) => (isDocument(element) ? dollarField(element) : undefined)).find(Boolean) : undefined;
    if (nested) return nested;
  }
  return undefined;
}

export function checkId(id: unknown, replacement: boolean): void {
  if (Array.isArray(id)) throw new CommandError('InvalidIdField', "The '_id' value cannot be of type array");
  if (id instanceof RegExp || bsonType(id) === 'BSONRegExp') throw new CommandError('InvalidIdField', "The '_id' value cannot be of type regex");
  if (isDocument(id)) {
    const field = dollarField(id);
    if (field === undefined) return;
    throw new CommandError('DollarPrefixedFieldName', replacement ? `The dollar ($) prefixed field '${field}' in '_id.${field}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.` : `_id fields may not contain '$'-prefixed fields: ${field} is not valid for storage.`);
  }
}

/** A document about to be inserted. */
export function checkInsert(doc: Document): void {
  if ('_id' in doc && doc._id !== undefined) checkId(doc._id, false);
}

/** A replacement document (update / findAndModify with a document that is not an operator update). */
export function checkReplacement(doc: Document): void {
  const keys = Object.keys(doc);
  const isDbRef = keys[0] === '$ref' && keys[1] === '$id';
  for (const [index, key] of keys.entries()) {
    if (key.startsWith('$') && !(isDbRef && (index < 2 || (index === 2 && key === '$db')))) {
      throw new CommandError('DollarPrefixedFieldName', `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    }
  }
  if ('_id' in doc) checkId(doc._id, true);
}

/** A document an update produced (operators or pipeline): its _id must still be storable. */
export function checkUpdated(doc: Document): void {
  if ('_id' in doc) checkId(doc._id, true);
}
