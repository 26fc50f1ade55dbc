// One collection: documents kept as BSON buffers (compact, and a stored document can never be changed by a
// caller holding a decoded copy), keyed by the identity of their _id, plus secondary indexes. Every write is
// checked (uniqueness) before it is journalled, and journalled before memory changes, and runs synchronously,
// so it is atomic with respect to every other connection (one event loop serves them all).
import { randomUUID } from 'node:crypto';
import { Binary, deserialize, ObjectId, type Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import { RecordOp, type JournalRecord } from '../storage/records.js';
import { Index, type IndexSpec } from './indexes.js';
import { encode, valueKey } from './values.js';

export interface JournalSink {
  append(record: JournalRecord): void;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  private readonly documents = new Map<string, Buffer>();
  private readonly secondary = new Map<string, Index>();
  private storedBytes = 0;

  constructor(
    readonly databaseName: string,
    readonly name: string,
    readonly uuid: Binary,
    readonly options: Document,
    private readonly journal: JournalSink,
  ) {}

  static newUuid(): Binary {
    return new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), Binary.SUBTYPE_UUID);
  }

  get namespace(): string {
    return `${this.databaseName}.${this.name}`;
  }

  get count(): number {
    return this.documents.size;
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

  *buffers(): IterableIterator<Buffer> {
    yield* this.documents.values();
  }

  byIdKey(idKey: string): Buffer | undefined {
    return this.documents.get(idKey);
  }

  /** Inserts a new document; the server adds an ObjectId _id (first field) when the client sent none. */
  insert(doc: Document): Document {
    const stored = doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc;
    const idKey = valueKey(stored._id);
    if (this.documents.has(idKey)) throw this.idDuplicate(stored);
    const keys = this.keysChecked(stored, idKey);
    this.commit(idKey, encode(stored), keys, undefined);
    return stored;
  }

  /** Replaces the stored document with the same _id (already checked to exist). */
  replace(next: Document): void {
    const idKey = valueKey(next._id);
    const previous = this.documents.get(idKey);
    if (!previous) throw new CommandError('InternalError', `document to replace vanished in ${this.namespace}`);
    const keys = this.keysChecked(next, idKey);
    this.commit(idKey, encode(next), keys, deserialize(previous));
  }

  remove(idKey: string): Document | undefined {
    const buffer = this.documents.get(idKey);
    if (!buffer) return undefined;
    const doc = deserialize(buffer);
    this.journal.append({ op: RecordOp.Delete, collection: this.name, payload: encode({ _id: doc._id }) });
    for (const index of this.secondary.values()) index.remove(index.keysOf(doc), idKey);
    this.documents.delete(idKey);
    this.storedBytes -= buffer.length;
    return doc;
  }

  addIndex(spec: IndexSpec, journalled: boolean): void {
    const index = new Index(spec);
    for (const [idKey, buffer] of this.documents) {
      const doc = deserialize(buffer);
      const keys = index.keysOf(doc);
      try {
        index.checkUnique(keys, idKey, doc, this.namespace);
      } catch (error) {
        index.clear();
        throw error;
      }
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
  restorePut(buffer: Buffer): void {
    const doc = deserialize(buffer);
    const idKey = valueKey(doc._id);
    const previous = this.documents.get(idKey);
    const previousDoc = previous ? deserialize(previous) : undefined;
    const keys = new Map([...this.secondary.values()].map((index) => [index, index.keysOf(doc)] as const));
    this.apply(idKey, Buffer.from(buffer), keys, previousDoc);
  }

  restoreDelete(payload: Buffer): void {
    const idKey = valueKey(deserialize(payload)._id);
    const buffer = this.documents.get(idKey);
    if (!buffer) return;
    const doc = deserialize(buffer);
    for (const index of this.secondary.values()) index.remove(index.keysOf(doc), idKey);
    this.documents.delete(idKey);
    this.storedBytes -= buffer.length;
  }

  /** The records that rebuild this collection, for compaction. */
  *snapshot(): Generator<JournalRecord> {
    yield { op: RecordOp.CreateCollection, collection: this.name, payload: encode({ uuid: this.uuid, options: this.options }) };
    for (const index of this.secondary.values()) yield { op: RecordOp.CreateIndex, collection: this.name, payload: encode(index.spec) };
    for (const buffer of this.documents.values()) yield { op: RecordOp.Put, collection: this.name, payload: buffer };
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

  private commit(idKey: string, buffer: Buffer, keys: Map<Index, string[]>, previous: Document | undefined): void {
    this.journal.append({ op: RecordOp.Put, collection: this.name, payload: buffer });
    this.apply(idKey, buffer, keys, previous);
  }

  private apply(idKey: string, buffer: Buffer, keys: Map<Index, string[]>, previous: Document | undefined): void {
    const old = this.documents.get(idKey);
    if (old) this.storedBytes -= old.length;
    for (const [index, indexKeys] of keys) {
      if (previous) index.remove(index.keysOf(previous), idKey);
      index.add(indexKeys, idKey);
    }
    this.documents.set(idKey, buffer);
    this.storedBytes += buffer.length;
  }

  private idDuplicate(doc: Document): CommandError {
    return new Index(ID_INDEX).duplicateError(doc, this.namespace);
  }
}
