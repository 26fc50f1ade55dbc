// Append-only journal of one database, which is also where documents live: the store keeps only each
// document's position in memory and reads it back with pread. Records are buffered while commands run and
// written with one write(2) before their replies leave (flush, called by the connections' commit group for
// all commands of one event-loop turn), so an acknowledged write is in the OS page cache and survives kill -9
// of the process. fsync policy: with
// syncIntervalMs = 0 every flush also fdatasyncs (survives power loss, slower); otherwise a timer fdatasyncs
// dirty journals every syncIntervalMs (default 100 ms: a power loss can lose at most that window).
import fs from 'node:fs';
import path from 'node:path';
import { decodeRecord, encodeRecord, payloadStart, RecordOp, type JournalRecord } from './records.js';

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

/** Where a document's BSON sits in the journal file. */
export interface Location {
  offset: number;
  length: number;
}

/** A record of a compaction snapshot; Put records name their document so it can be relocated. */
export interface SnapshotRecord extends JournalRecord {
  idKey?: string;
}

const READ_CHUNK = 8 << 20;
/**
 * A crash can tear only the last write, which holds at most FLUSH_AT_BYTES plus one record (a document is at
 * most 16 MB). More bad bytes than that means damage inside the file, where cutting would silently drop
 * acknowledged writes.
 */
const MAX_TORN_BYTES = 64 << 20;
/** Buffered records are written early from this size on (writing sooner than the reply is always allowed). */
const FLUSH_AT_BYTES = 16 << 20;

export class Journal {
  private fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private unsynced = false;
  private syncing = false;
  private closed = false;
  /** Bytes written to the file; pending records follow at this offset. */
  private bytes: number;

  /** Opens (or creates) the journal; call replay() before appending. */
  constructor(
    readonly file: string,
    private readonly options: JournalOptions,
  ) {
    this.fd = fs.openSync(file, 'a+');
    this.bytes = 0;
  }

  /**
   * Feeds every intact record to `apply` and cuts a torn tail off the file. `apply` may read() documents
   * of records it has already seen.
   */
  replay(apply: (record: JournalRecord, at: Location) => void): LoadReport {
    this.bytes = fs.fstatSync(this.fd).size;
    const report = replay(this.file, this.fd, this.bytes, apply);
    this.bytes -= report.tornBytes;
    return report;
  }

  get sizeBytes(): number {
    return this.bytes + this.pendingBytes;
  }

  /** Buffers a record; returns where its payload will be in the file. */
  append(record: JournalRecord): Location {
    if (this.pendingBytes >= FLUSH_AT_BYTES) this.flush();
    const encoded = encodeRecord(record);
    const location = { offset: this.bytes + this.pendingBytes + payloadStart(record), length: record.payload.length };
    this.pending.push(encoded);
    this.pendingBytes += encoded.length;
    return location;
  }

  read(location: Location): Buffer {
    if (location.offset >= this.bytes) return this.readPending(location);
    const buffer = Buffer.allocUnsafe(location.length);
    for (let done = 0; done < location.length; ) {
      const got = fs.readSync(this.fd, buffer, done, location.length - done, location.offset + done);
      if (got === 0) throw new Error(`journal ${this.file} ends before offset ${location.offset + location.length}`);
      done += got;
    }
    return buffer;
  }

  /** Writes buffered records; returns true when something was written. */
  flush(): boolean {
    if (this.pending.length === 0) return false;
    const chunk = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    writeFully(this.fd, chunk);
    this.pending = [];
    this.pendingBytes = 0;
    this.bytes += chunk.length;
    if (this.options.syncIntervalMs === 0) fs.fdatasyncSync(this.fd);
    else this.unsynced = true;
    return true;
  }

  /**
   * Called by the store's sync timer. The fdatasync runs on libuv's thread pool: done synchronously it held
   * the store's event loop for milliseconds ten times a second, stalling every connection. If close() or a
   * compaction replaces the descriptor meanwhile, they fsync the file themselves, so a failed call is only
   * retried while the descriptor is still this journal's.
   */
  syncIfDirty(): void {
    if (!this.unsynced || this.syncing) return;
    this.unsynced = false;
    this.syncing = true;
    const fd = this.fd;
    fs.fdatasync(fd, (error) => {
      this.syncing = false;
      if (error && fd === this.fd && !this.closed) this.unsynced = true;
    });
  }

  /**
   * Replaces the journal with `records` (the live state): written to a temporary file, fsynced, renamed over
   * the old one, so a crash during compaction leaves either the old or the new journal, both complete.
   * `moved` learns each document's new location once the new file is in place.
   */
  rewrite(records: Iterable<SnapshotRecord>, moved: (record: SnapshotRecord, at: Location) => void): void {
    this.flush();
    const temporary = `${this.file}.compact`;
    const fd = fs.openSync(temporary, 'w');
    const relocations: Array<[SnapshotRecord, Location]> = [];
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let total = 0;
    for (const record of records) {
      const encoded = encodeRecord(record);
      if (record.op === RecordOp.Put) relocations.push([{ ...record, payload: Buffer.alloc(0) }, { offset: total + batchBytes + payloadStart(record), length: record.payload.length }]);
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
    this.fd = fs.openSync(this.file, 'a+');
    this.bytes = total;
    this.unsynced = false;
    for (const [record, at] of relocations) moved(record, at);
  }

  close(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.closed = true;
  }

  /** Deletes the journal (dropDatabase). */
  destroy(): void {
    this.pending = [];
    this.pendingBytes = 0;
    fs.closeSync(this.fd);
    this.closed = true;
    fs.rmSync(this.file, { force: true });
    syncDirectory(path.dirname(this.file));
  }

  private readPending(location: Location): Buffer {
    let start = this.bytes;
    for (const chunk of this.pending) {
      if (location.offset < start + chunk.length) {
        const from = location.offset - start;
        return Buffer.from(chunk.subarray(from, from + location.length));
      }
      start += chunk.length;
    }
    throw new Error(`journal ${this.file}: no record at offset ${location.offset}`);
  }
}

/** Streams the file through `apply` in chunks (a large journal is never in memory whole). */
function replay(file: string, fd: number, size: number, apply: (record: JournalRecord, at: Location) => void): LoadReport {
  let buffer = Buffer.allocUnsafe(READ_CHUNK);
  let records = 0;
  let offset = 0; // file offset of buffer[0]
  let filled = 0;
  let at = 0; // position in buffer of the next record
  for (;;) {
    const step = decodeRecord(buffer.subarray(at, filled));
    if (step.kind === 'record') {
      apply(step.record, { offset: offset + at + payloadStart(step.record), length: step.record.payload.length });
      records += 1;
      at += step.size;
      continue;
    }
    const fileEnd = offset + filled;
    if (step.kind === 'corrupt' || fileEnd >= size) {
      const valid = offset + at;
      if (size - valid > MAX_TORN_BYTES) throw new Error(`journal ${file} damaged at byte ${valid} with ${size - valid} bytes after it; refusing to cut them off (restore from a backup, or truncate the file there to accept the loss)`);
      if (valid < size) fs.ftruncateSync(fd, valid);
      return { records, tornBytes: size - valid };
    }
    // Keep the unfinished record, refill behind it.
    const keep = buffer.subarray(at, filled);
    if (step.size > buffer.length) buffer = Buffer.concat([keep, Buffer.allocUnsafe(step.size)]);
    else keep.copy(buffer, 0);
    offset += at;
    filled = keep.length;
    at = 0;
    const got = fs.readSync(fd, buffer, filled, buffer.length - filled, offset + filled);
    if (got === 0) return { records, tornBytes: 0 }; // the file shrank under us; nothing more to read
    filled += got;
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
