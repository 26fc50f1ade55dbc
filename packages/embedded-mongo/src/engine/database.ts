// One database: its collections and its journal file (<dataDir>/<name>.journal).
import path from 'node:path';
import { deserialize, type Binary, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import { Journal, type JournalOptions, type Location, type LoadReport, type SnapshotRecord } from '../storage/journal.js';
import { RecordOp, type JournalRecord } from '../storage/records.js';
import { Collection } from './collection.js';
import { decodeTyped } from './typed.js';
import type { IndexSpec } from './indexes.js';

/** Compact when the journal is this much larger than the live data (and at least options.compactMinBytes). */
const COMPACT_RATIO = 2;

export class Database {
  private readonly collections = new Map<string, Collection>();
  private journal!: Journal;
  private readonly sink = { append: (record: JournalRecord) => this.journal.append(record), read: (at: Location) => this.journal.read(at) };

  private constructor(
    readonly name: string,
    private readonly options: JournalOptions,
  ) {}

  static open(dataDir: string, name: string, options: JournalOptions): { database: Database; report: LoadReport } {
    const database = new Database(name, options);
    database.journal = new Journal(path.join(dataDir, `${name}.journal`), options);
    const report = database.journal.replay((record, at) => database.restore(record, at));
    database.compactIfGrown();
    return { database, report };
  }

  get sizeOnDisk(): number {
    return this.journal.sizeBytes;
  }

  get empty(): boolean {
    return this.collections.size === 0;
  }

  collectionNames(): string[] {
    return [...this.collections.keys()];
  }

  collection(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  /** The collection, created implicitly as the server does on the first write or index. */
  collectionForWrite(name: string): Collection {
    return this.collections.get(name) ?? this.createCollection(name, {});
  }

  createCollection(name: string, options: Document): Collection {
    validateCollectionName(this.name, name);
    const collection = new Collection(this.name, name, Collection.newUuid(), options, this.sink);
    this.journal.append({ op: RecordOp.CreateCollection, collection: name, payload: snapshotPayload(collection) });
    this.collections.set(name, collection);
    return collection;
  }

  dropCollection(name: string): boolean {
    if (!this.collections.delete(name)) return false;
    this.journal.append({ op: RecordOp.DropCollection, collection: name, payload: Buffer.alloc(0) });
    return true;
  }

  flush(): void {
    if (this.journal.flush()) this.compactIfGrown();
  }

  syncIfDirty(): void {
    this.journal.syncIfDirty();
  }

  close(): void {
    this.journal.close();
  }

  destroy(): void {
    this.collections.clear();
    this.journal.destroy();
  }

  private compactIfGrown(): void {
    let live = 0;
    for (const collection of this.collections.values()) live += collection.dataBytes;
    const size = this.journal.sizeBytes;
    if (size < this.options.compactMinBytes || size <= COMPACT_RATIO * live) return;
    this.journal.rewrite(this.snapshot(), (record, at) => {
      if (record.idKey !== undefined) this.collections.get(record.collection)?.relocate(record.idKey, at);
    });
  }

  private *snapshot(): Generator<SnapshotRecord> {
    for (const collection of this.collections.values()) yield* collection.snapshot();
  }

  private restore(record: JournalRecord, at: Location): void {
    switch (record.op) {
      case RecordOp.CreateCollection: {
        // Typed, so a validator or a view's pipeline keeps the number types it was given.
        const { uuid, options } = decodeTyped(Buffer.from(record.payload)) as { uuid: Binary; options: Document };
        this.collections.set(record.collection, new Collection(this.name, record.collection, uuid, options, this.sink));
        return;
      }
      case RecordOp.DropCollection:
        this.collections.delete(record.collection);
        return;
      case RecordOp.Put:
        this.restored(record).restorePut(record.payload, at);
        return;
      case RecordOp.Delete:
        this.restored(record).restoreDelete(record.payload);
        return;
      case RecordOp.CreateIndex:
        this.restored(record).addIndex(deserialize(record.payload) as IndexSpec, false);
        return;
      case RecordOp.DropIndex:
        this.restored(record).dropIndex(record.payload.toString('utf8'), false);
        return;
      case RecordOp.SetOptions:
        this.restored(record).setOptions(decodeTyped(record.payload).options as Document, false);
        return;
      default:
        throw new Error(`unknown journal record op ${String(record.op)} in database ${this.name}`);
    }
  }

  private restored(record: JournalRecord): Collection {
    const collection = this.collections.get(record.collection);
    if (!collection) throw new Error(`journal of ${this.name} names collection ${record.collection} before creating it`);
    return collection;
  }
}

function snapshotPayload(collection: Collection): Buffer {
  const first = collection.snapshot().next().value as JournalRecord;
  return first.payload;
}

export function validateCollectionName(database: string, name: string): void {
  if (name.length === 0 || name.includes('\0') || name.startsWith('system.') || name.includes('$')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${database}.${name}`);
  }
}

export function validateDatabaseName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 63 || /[/\\. "$*<>:|?\0]/.test(name)) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${String(name)}'`);
  }
  return name;
}
