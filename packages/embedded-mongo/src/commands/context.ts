// What every command handler receives, and small argument readers shared by the handlers. Documents of a
// command arrive typed (protocol/wire.ts decodes with promoteValues: false): numbers keep their BSON type
// until a reader here turns them into the JS numbers the handlers and mingo work with.
import type { Document } from 'bson';
import type { Catalog } from '../engine/catalog.js';
import type { Collection } from '../engine/collection.js';
import type { CursorRegistry } from '../engine/cursors.js';
import type { Database } from '../engine/database.js';
import { promote } from '../engine/typed.js';
import type { FailPoints } from '../protocol/failPoints.js';
import type { EncodedReply } from '../protocol/cursorReply.js';
import type { Sessions } from './sessions.js';
import { CommandError } from './errors.js';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  sessions: Sessions;
  failPoints: FailPoints;
  connectionId: number;
  /** Database named by the command's $db field. */
  databaseName: string;
}

export type CommandHandler = (command: Document, context: CommandContext) => Document | EncodedReply;

/** The collection named by the command's first field (`{ find: 'users' }`). */
export function collectionName(command: Document, name: string): string {
  const value = command[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

export function existingCollection(context: CommandContext, name: string): Collection | undefined {
  return context.catalog.get(context.databaseName)?.collection(name);
}

export function writableDatabase(context: CommandContext): Database {
  return context.catalog.getOrCreate(context.databaseName);
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** A document argument as the command sent it (typed). */
export function optionalDocument(command: Document, field: string): Document | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || (value as { _bsontype?: string })._bsontype) {
    throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type '${typeName(value)}', expected type 'object'`, {}, 14);
  }
  return value as Document;
}

/** A document argument for matching, sorting or projecting: numbers as JS numbers. */
export function promotedDocument(command: Document, field: string): Document | undefined {
  const value = optionalDocument(command, field);
  return value === undefined ? undefined : promote(value);
}

export function optionalNumber(command: Document, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  const number = Number(typeof value === 'object' ? (value as { valueOf(): unknown }).valueOf() : value);
  if (typeof value === 'string' || typeof value === 'boolean' || !Number.isFinite(number)) throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type '${typeName(value)}', expected a number`, {}, 14);
  return number;
}

/** A count argument that may not be negative (skip, batchSize; limit where the command forbids a negative one). */
export function nonNegative(command: Document, field: string, commandName: string): number | undefined {
  const value = optionalNumber(command, field);
  if (value !== undefined && value < 0) throw new CommandError('Location51024', `BSON field '${commandName}.${field}' value must be >= 0, actual value '${value}'`, {}, 51024);
  return value;
}

export function documentList(command: Document, field: string): Document[] {
  const value = command[field];
  if (!Array.isArray(value)) throw new CommandError('Location40414', `BSON field '${field}' is missing but a required field`, {}, 40414);
  return value as Document[];
}

/** The batch size of a cursor-returning command's `cursor: { batchSize }`. */
export function cursorBatchSize(command: Document): number | undefined {
  const cursor = optionalDocument(command, 'cursor');
  return cursor ? optionalNumber(cursor, 'batchSize') : undefined;
}
