// What every command handler receives, and small argument readers shared by the handlers.
import type { Document } from 'bson';
import type { Catalog } from '../engine/catalog.js';
import type { EncodedReply } from '../protocol/cursorReply.js';
import type { Collection } from '../engine/collection.js';
import type { CursorRegistry } from '../engine/cursors.js';
import type { Database } from '../engine/database.js';
import { CommandError } from './errors.js';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
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

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type '${Array.isArray(value) ? 'array' : typeof value}', expected type 'object'`, {}, 14);
  return value as Document;
}

export function optionalNumber(command: Document, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a number`, {}, 14);
  return number;
}

export function documentList(command: Document, field: string): Document[] {
  const value = command[field];
  if (!Array.isArray(value)) throw new CommandError('FailedToParse', `BSON field '${field}' is missing but a required field`, {}, 40414);
  return value as Document[];
}
