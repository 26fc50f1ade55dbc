// Every database of the store, loaded from <dataDir>/*.journal at start. The commit group calls flush() before
// it sends the replies of the commands that ran, so their journal records reach the OS first.
import fs from 'node:fs';
import path from 'node:path';
import type { JournalOptions, LoadReport } from '../storage/journal.js';
import { Database, validateDatabaseName } from './database.js';

export class Catalog {
  private readonly databases = new Map<string, Database>();
  private readonly syncTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dataDir: string,
    private readonly options: JournalOptions,
  ) {
    if (options.syncIntervalMs > 0) {
      this.syncTimer = setInterval(() => this.syncAll(), options.syncIntervalMs);
      this.syncTimer.unref();
    }
  }

  static open(dataDir: string, options: JournalOptions): { catalog: Catalog; reports: Map<string, LoadReport> } {
    fs.mkdirSync(dataDir, { recursive: true });
    const catalog = new Catalog(dataDir, options);
    const reports = new Map<string, LoadReport>();
    for (const file of fs.readdirSync(dataDir)) {
      if (!file.endsWith('.journal')) continue;
      const name = file.slice(0, -'.journal'.length);
      const { database, report } = Database.open(dataDir, name, options);
      catalog.databases.set(name, database);
      reports.set(name, report);
    }
    return { catalog, reports };
  }

  names(): string[] {
    return [...this.databases.keys()];
  }

  get(name: string): Database | undefined {
    return this.databases.get(name);
  }

  /** The database, created on first use as the server does. */
  getOrCreate(name: string): Database {
    let database = this.databases.get(name);
    if (!database) {
      database = Database.open(this.dataDir, validateDatabaseName(name), this.options).database;
      this.databases.set(name, database);
    }
    return database;
  }

  drop(name: string): boolean {
    const database = this.databases.get(name);
    if (!database) return false;
    this.databases.delete(name);
    database.destroy();
    return true;
  }

  flush(): void {
    for (const database of this.databases.values()) database.flush();
  }

  close(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
    for (const database of this.databases.values()) database.close();
    this.databases.clear();
  }

  private syncAll(): void {
    for (const database of this.databases.values()) database.syncIfDirty();
  }
}
