// One collection: the positions of its documents in the journal, keyed by the identity of their _id, plus
// secondary indexes; the documents themselves stay on disk (page cache), so memory holds keys, not data.
// Every write is checked (uniqueness) before it is journalled, journalled before memory changes, and runs
// synchronously, so it is atomic with respect to every other connection (one event loop serves them all).
import { randomUUID } from 'node:crypto';
import { Binary, deserialize, ObjectId, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import type { Location, SnapshotRecord } from '../storage/journal.js';
import { RecordOp, type JournalRecord } from '../storage/records.js';
import { Index, type IndexSpec } from './indexes.js';
import { pickFields } from './rawFields.js';
import { encode, valueKey } from './values.js';

export interface JournalAccess {
  append(record: JournalRecord): Location;
  read(location: Location): Buffer;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  private readonly locations = new Map<string, Location>();
  private readonly secondary = new Map<string, Index>();
  private storedBytes = 0;

  constructor(
    readonly databaseName: string,
    readonly name: string,
    readonly uuid: Binary,
    private currentOptions: Document,
    private readonly journal: JournalAccess,
  ) {}

  static newUuid(): Binary {
    return new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), Binary.SUBTYPE_UUID);
  }

  /** The options it was created with (validator, collation, viewOn + pipeline for a view), as collMod left them. */
  get options(): Document {
    return this.currentOptions;
  }

  setOptions(options: Document, journalled: boolean): void {
    if (journalled) this.journal.append({ op: RecordOp.SetOptions, collection: this.name, payload: encode({ options }) });
    this.currentOptions = options;
  }

  get namespace(): string {
    return `${this.databaseName}.${this.name}`;
  }

  get count(): number {
    return this.locations.size;
  }

  get dataBytes(): number {
    return this.storedBytes;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.secondary.values()].map((index) => index.spec)];
  }

  indexes(): Index[] {
    return [...this.secondary.values()];
  }

  getIndex(name: string): Index | undefined {
    return this.secondary.get(name);
  }

  /** Every document's BSON in natural (insertion) order. */
  *buffers(): IterableIterator<Buffer> {
    for (const location of [...this.locations.values()]) yield this.journal.read(location);
  }

  byIdKey(idKey: string): Buffer | undefined {
    const location = this.locations.get(idKey);
    return location ? this.journal.read(location) : undefined;
  }

  /** Inserts a new document with _id first, as the server stores it (an ObjectId when the client sent none). */
  insert(doc: Document): Document {
    const { _id, ...rest } = doc;
    const stored = { _id: _id === undefined ? new ObjectId() : _id, ...rest };
    const idKey = valueKey(stored._id);
    if (this.locations.has(idKey)) throw new Index(ID_INDEX).duplicateError(stored, this.namespace);
    const keys = this.keysChecked(stored, idKey);
    this.put(idKey, encode(stored), keys, undefined);
    return stored;
  }

  /** Replaces the stored document `previous` (BSON, as read) with `next`, whose BSON is `bytes`. */
  replace(next: Document, bytes: Buffer, previous: Buffer): void {
    const idKey = valueKey(next._id);
    if (!this.locations.has(idKey)) throw new CommandError('InternalError', `document to replace vanished in ${this.namespace}`);
    const keys = this.keysChecked(next, idKey);
    this.put(idKey, bytes, keys, keys.size > 0 ? this.indexedFields(previous) : undefined);
  }

  remove(idKey: string): boolean {
    const location = this.locations.get(idKey);
    if (!location) return false;
    const doc = deserialize(this.journal.read(location));
    this.journal.append({ op: RecordOp.Delete, collection: this.name, payload: encode({ _id: doc._id }) });
    this.forget(idKey, doc, location);
    return true;
  }

  /**
   * Replaces every document with `docs` ($out), or changes nothing: each unique index is checked over the
   * new contents first, so a duplicate fails the whole replacement, as the server's rename-into-place does.
   */
  replaceAll(docs: Document[]): void {
    const checks = this.indexes().filter((index) => index.unique).map((index) => new Index(index.spec));
    const ids = new Set<string>();
    const stored = docs.map((doc) => {
      const { _id, ...rest } = doc;
      return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
    });
    for (const doc of stored) {
      const idKey = valueKey(doc._id);
      if (ids.has(idKey)) throw new Index(ID_INDEX).duplicateError(doc, this.namespace);
      ids.add(idKey);
      for (const index of checks) {
        const keys = index.keysOf(doc);
        index.checkUnique(keys, idKey, doc, this.namespace);
        index.add(keys, idKey);
      }
    }
    for (const idKey of [...this.locations.keys()]) this.remove(idKey);
    for (const doc of stored) this.insert(doc);
  }

  /** Removes the stored document `stored` (its BSON, as read). */
  removeStored(stored: Buffer): boolean {
    return this.remove(valueKey(pickFields(stored, ['_id'])._id));
  }

  addIndex(spec: IndexSpec, journalled: boolean): void {
    const index = new Index(spec);
    for (const [idKey, location] of this.locations) {
      const doc = deserialize(this.journal.read(location));
      const keys = index.keysOf(doc);
      index.checkUnique(keys, idKey, doc, this.namespace);
      index.add(keys, idKey);
    }
    if (journalled) this.journal.append({ op: RecordOp.CreateIndex, collection: this.name, payload: encode(spec) });
    this.secondary.set(spec.name, index);
  }

  dropIndex(name: string, journalled: boolean): void {
    if (journalled) this.journal.append({ op: RecordOp.DropIndex, collection: this.name, payload: Buffer.from(name) });
    this.secondary.delete(name);
  }

  /** Applies a Put record while loading the journal: no checks, the journal only holds accepted writes. */
  restorePut(payload: Buffer, at: Location): void {
    const doc = this.indexedFields(payload);
    const idKey = valueKey(doc._id);
    const previousAt = this.locations.get(idKey);
    const previous = previousAt && this.secondary.size > 0 ? this.indexedFields(this.journal.read(previousAt)) : undefined;
    const keys = new Map([...this.secondary.values()].map((index) => [index, index.keysOf(doc)] as const));
    this.place(idKey, at, keys, previous);
  }

  /** _id and the indexed paths of a stored document, read without decoding all of it. */
  private indexedFields(payload: Buffer): Document {
    const indexes = [...this.secondary.values()];
    if (indexes.some((index) => index.spec.partialFilterExpression)) return deserialize(payload);
    return pickFields(payload, ['_id', ...indexes.flatMap((index) => index.paths)]);
  }

  restoreDelete(payload: Buffer): void {
    const idKey = valueKey(deserialize(payload)._id);
    const location = this.locations.get(idKey);
    if (!location) return;
    const doc = this.secondary.size > 0 ? this.indexedFields(this.journal.read(location)) : undefined;
    this.forget(idKey, doc, location);
  }

  /** The records that rebuild this collection, for compaction. */
  *snapshot(): Generator<SnapshotRecord> {
    yield { op: RecordOp.CreateCollection, collection: this.name, payload: encode({ uuid: this.uuid, options: this.currentOptions }) };
    for (const index of this.secondary.values()) yield { op: RecordOp.CreateIndex, collection: this.name, payload: encode(index.spec) };
    for (const [idKey, location] of this.locations) yield { op: RecordOp.Put, collection: this.name, payload: this.journal.read(location), idKey };
  }

  /** After compaction: the document now lives at `at` in the new journal. */
  relocate(idKey: string, at: Location): void {
    if (this.locations.has(idKey)) this.locations.set(idKey, at);
  }

  private keysChecked(doc: Document, idKey: string): Map<Index, string[]> {
    const keys = new Map<Index, string[]>();
    for (const index of this.secondary.values()) {
      const indexKeys = index.keysOf(doc);
      index.checkUnique(indexKeys, idKey, doc, this.namespace);
      keys.set(index, indexKeys);
    }
    return keys;
  }

  private put(idKey: string, buffer: Buffer, keys: Map<Index, string[]>, previous: Document | undefined): void {
    const at = this.journal.append({ op: RecordOp.Put, collection: this.name, payload: buffer });
    this.place(idKey, at, keys, previous);
  }

  private place(idKey: string, at: Location, keys: Map<Index, string[]>, previous: Document | undefined): void {
    const old = this.locations.get(idKey);
    if (old) this.storedBytes -= old.length;
    for (const [index, indexKeys] of keys) {
      if (previous) index.remove(index.keysOf(previous), idKey);
      index.add(indexKeys, idKey);
    }
    this.locations.set(idKey, at);
    this.storedBytes += at.length;
  }

  private forget(idKey: string, doc: Document | undefined, location: Location): void {
    if (doc) for (const index of this.secondary.values()) index.remove(index.keysOf(doc), idKey);
    this.locations.delete(idKey);
    this.storedBytes -= location.length;
  }
}
