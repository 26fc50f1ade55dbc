// Append-only journal of one database. Records of a command are buffered while the command runs and
// written with one write(2) before its reply leaves (Journal.flush, called by the dispatcher), so an
// acknowledged write is in the OS page cache and survives kill -9 of the process. fsync policy: with
// syncIntervalMs = 0 every flush also fdatasyncs (survives power loss, slower); otherwise a timer fdatasyncs
// dirty journals every syncIntervalMs (default 100 ms: a power loss can lose at most that window).
import fs from 'node:fs';
import path from 'node:path';
import { decodeRecords, encodeRecord, type JournalRecord } from './records.js';

export interface JournalOptions {
  syncIntervalMs: number;
  /** Compaction starts once the journal is this large and more than twice the live data. */
  compactMinBytes: number;
}

export interface LoadReport {
  records: number;
  /** Bytes cut from the end because the last record was torn. */
  tornBytes: number;
}

export class Journal {
  private fd: number;
  private pending: Buffer[] = [];
  private unsynced = false;
  private bytes: number;

  private constructor(
    readonly file: string,
    private readonly options: JournalOptions,
  ) {
    this.fd = fs.openSync(file, 'a');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Reads every intact record (cutting a torn tail off the file), then opens the journal for appending. */
  static open(file: string, options: JournalOptions, apply: (record: JournalRecord) => void): { journal: Journal; report: LoadReport } {
    let records = 0;
    let tornBytes = 0;
    if (fs.existsSync(file)) {
      const content = fs.readFileSync(file);
      const result = { validBytes: 0 };
      for (const record of decodeRecords(content, result)) {
        apply(record);
        records += 1;
      }
      tornBytes = content.length - result.validBytes;
      if (tornBytes > 0) fs.truncateSync(file, result.validBytes);
    }
    return { journal: new Journal(file, options), report: { records, tornBytes } };
  }

  get sizeBytes(): number {
    return this.bytes + this.pending.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  append(record: JournalRecord): void {
    this.pending.push(encodeRecord(record));
  }

  /** Writes buffered records; returns true when something was written. */
  flush(): boolean {
    if (this.pending.length === 0) return false;
    const chunk = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    writeFully(this.fd, chunk);
    this.bytes += chunk.length;
    if (this.options.syncIntervalMs === 0) fs.fdatasyncSync(this.fd);
    else this.unsynced = true;
    return true;
  }

  /** Called by the store's sync timer. */
  syncIfDirty(): void {
    if (!this.unsynced) return;
    this.unsynced = false;
    fs.fdatasyncSync(this.fd);
  }

  /**
   * Replaces the journal with `records` (the live state): written to a temporary file, fsynced, renamed over
   * the old one, so a crash during compaction leaves either the old or the new journal, both complete.
   */
  rewrite(records: Iterable<JournalRecord>): void {
    this.flush();
    const temporary = `${this.file}.compact`;
    const fd = fs.openSync(temporary, 'w');
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let total = 0;
    for (const record of records) {
      const encoded = encodeRecord(record);
      batch.push(encoded);
      batchBytes += encoded.length;
      if (batchBytes >= 4 << 20) {
        writeFully(fd, Buffer.concat(batch));
        total += batchBytes;
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) writeFully(fd, Buffer.concat(batch));
    total += batchBytes;
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.closeSync(this.fd);
    fs.renameSync(temporary, this.file);
    syncDirectory(path.dirname(this.file));
    this.fd = fs.openSync(this.file, 'a');
    this.bytes = total;
    this.unsynced = false;
  }

  close(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  /** Deletes the journal (dropDatabase). */
  destroy(): void {
    this.pending = [];
    fs.closeSync(this.fd);
    fs.rmSync(this.file, { force: true });
    syncDirectory(path.dirname(this.file));
  }
}

function writeFully(fd: number, chunk: Buffer): void {
  for (let written = 0; written < chunk.length; ) written += fs.writeSync(fd, chunk, written);
}

function syncDirectory(directory: string): void {
  const fd = fs.openSync(directory, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
