// Secondary indexes: key extraction (compound, multikey, sparse, partial) and the key → documents maps used
// both to enforce uniqueness and to answer equality queries without a scan.
import type { Document } from 'bson';
import { CommandError } from '../commands/errors.js';
import { Query } from './mingo.js';
import { promote } from './typed.js';
import { shellValue, valueAtPath, valueKey, valuesAtPath } from './values.js';

export interface IndexSpec extends Document {
  v: number;
  key: Record<string, number | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  collation?: Document;
}

const SEPARATOR = '\u0000';

export class Index {
  readonly paths: string[];
  /** index key → _id keys of the documents holding it. */
  private readonly entries = new Map<string, Set<string>>();
  /** For compound indexes: key of the first field alone → _id keys, so a filter on that field can use the index. */
  private readonly firstField = new Map<string, Set<string>>();
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.paths = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? new Query(promote(spec.partialFilterExpression)) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /**
   * Whether equality lookups may use this index: not when it leaves documents out (sparse, partial), holds
   * no plain keys (text, hashed, geo), or orders strings by a collation (its keys are the plain values).
   */
  get servesLookups(): boolean {
    return !this.spec.sparse && !this.spec.partialFilterExpression && !this.spec.collation && !Object.values(this.spec.key).some((direction) => typeof direction === 'string');
  }

  get unique(): boolean {
    return this.spec.unique === true || this.name === '_id_';
  }

  /** The index keys of a document; empty when sparse/partial rules leave it out of the index. */
  keysOf(doc: Document): string[] {
    if (this.partial && !this.partial.test(promote(doc))) return [];
    if (this.spec.sparse && this.paths.every((p) => valueAtPath(doc, p) === undefined)) return [];
    let keys = [''];
    for (const [position, indexPath] of this.paths.entries()) {
      const parts = [...new Set(valuesAtPath(doc, indexPath).map(valueKey))];
      keys = keys.flatMap((prefix) => parts.map((part) => (position === 0 ? part : prefix + SEPARATOR + part)));
    }
    return keys;
  }

  /** Throws the server's E11000 error if another document already holds one of `keys`. */
  checkUnique(keys: string[], idKey: string, doc: Document, namespace: string): void {
    if (!this.unique) return;
    for (const key of keys) {
      const holders = this.entries.get(key);
      if (holders && (holders.size > 1 || !holders.has(idKey))) throw this.duplicateError(doc, namespace);
    }
  }

  add(keys: string[], idKey: string): void {
    for (const key of keys) {
      addTo(this.entries, key, idKey);
      if (this.paths.length > 1) addTo(this.firstField, firstPart(key), idKey);
    }
  }

  remove(keys: string[], idKey: string): void {
    for (const key of keys) {
      removeFrom(this.entries, key, idKey);
      if (this.paths.length > 1) removeFrom(this.firstField, firstPart(key), idKey);
    }
  }

  /** _id keys of documents whose first indexed field equals `value`. */
  lookupFirst(value: unknown): Set<string> | undefined {
    return (this.paths.length > 1 ? this.firstField : this.entries).get(valueKey(value));
  }

  /** _id keys of documents whose indexed fields equal `values` (one value per path, in order). */
  lookup(values: unknown[]): Set<string> | undefined {
    return this.entries.get(values.map(valueKey).join(SEPARATOR));
  }

  clear(): void {
    this.entries.clear();
    this.firstField.clear();
  }

  duplicateError(doc: Document, namespace: string): CommandError {
    const keyValue: Document = {};
    for (const indexPath of this.paths) keyValue[indexPath] = valueAtPath(doc, indexPath) ?? null;
    const shown = Object.entries(keyValue).map(([k, v]) => `${k}: ${shellValue(v)}`).join(', ');
    return new CommandError('DuplicateKey', `E11000 duplicate key error collection: ${namespace} index: ${this.name} dup key: { ${shown} }`, {
      keyPattern: { ...this.spec.key },
      keyValue,
    });
  }
}

function firstPart(key: string): string {
  const end = key.indexOf(SEPARATOR);
  return end === -1 ? key : key.slice(0, end);
}

function addTo(map: Map<string, Set<string>>, key: string, idKey: string): void {
  let holders = map.get(key);
  if (!holders) map.set(key, (holders = new Set()));
  holders.add(idKey);
}

function removeFrom(map: Map<string, Set<string>>, key: string, idKey: string): void {
  const holders = map.get(key);
  holders?.delete(idKey);
  if (holders?.size === 0) map.delete(key);
}

/** The default name the server gives an index: field_direction pairs joined by underscores (email_1_age_-1). */
export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key).map(([field, direction]) => `${field}_${String(direction)}`).join('_');
}

export function sameKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return valueKey(a) === valueKey(b);
}
