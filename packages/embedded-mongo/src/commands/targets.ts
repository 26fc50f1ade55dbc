// The collection a command reads or writes. A read-only view (create with viewOn + pipeline) reads as its
// pipeline over the collection it is defined on (views on views included); writing to one is the server's
// error 166.
import type { Document } from 'bson';
import type { Collection } from '../engine/collection.js';
import { promote } from '../engine/typed.js';
import { existingCollection, writableDatabase, type CommandContext } from './context.js';
import { CommandError } from './errors.js';

export interface ReadTarget {
  namespace: string;
  /** The collection whose documents are read (under every view), if it exists. */
  collection: Collection | undefined;
  /** The views' pipelines, innermost first, promoted; empty for a plain collection. */
  viewPipeline: Document[];
  /** The default collation of the collection (or of the view) named. */
  defaultCollation: Document | undefined;
  isView: boolean;
}

const MAX_VIEW_DEPTH = 20;

export function isView(collection: Collection | undefined): boolean {
  return typeof collection?.options.viewOn === 'string';
}

export function readTarget(context: CommandContext, name: string): ReadTarget {
  const named = existingCollection(context, name);
  const namespace = `${context.databaseName}.${name}`;
  const defaultCollation = named?.options.collation as Document | undefined;
  const pipelines: Document[][] = [];
  let current = named;
  for (let depth = 0; isView(current); depth++) {
    if (depth >= MAX_VIEW_DEPTH) throw new CommandError('ViewDepthLimitExceeded', `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`, {}, 165);
    pipelines.unshift(promote((current!.options.pipeline as Document[] | undefined) ?? []));
    current = existingCollection(context, current!.options.viewOn as string);
  }
  return { namespace, collection: current, viewPipeline: pipelines.flat(), defaultCollation, isView: pipelines.length > 0 };
}

function viewError(context: CommandContext, name: string): CommandError {
  return new CommandError('CommandNotSupportedOnView', `Namespace ${context.databaseName}.${name} is a view, not a collection`);
}

/** The collection a write goes to, created as the server does on a first write. */
export function writeTarget(context: CommandContext, name: string): Collection {
  const collection = writableDatabase(context).collectionForWrite(name);
  if (isView(collection)) throw viewError(context, name);
  return collection;
}

/** The collection a write that creates nothing (delete) goes to, if it exists. */
export function existingWriteTarget(context: CommandContext, name: string): Collection | undefined {
  const collection = existingCollection(context, name);
  if (isView(collection)) throw viewError(context, name);
  return collection;
}
