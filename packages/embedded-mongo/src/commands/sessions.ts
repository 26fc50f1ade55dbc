// The logical sessions the store has seen: every command a driver sends carries its session id (lsid), and
// $listLocalSessions lists them, as a standalone mongod lists its in-memory session cache. endSessions (and
// 30 minutes without use, logicalSessionTimeoutMinutes) forgets them. There is no authentication, so every
// session belongs to the same user, whose uid is the SHA-256 of the empty user name as on an unauthenticated mongod.
import { createHash } from 'node:crypto';
import { Binary, type Document } from 'bson';
import { valueKey } from '../engine/values.js';

const TIMEOUT_MS = 30 * 60_000;
const NO_USER = new Binary(createHash('sha256').update('').digest(), Binary.SUBTYPE_DEFAULT);

export class Sessions {
  private readonly seen = new Map<string, { id: unknown; lastUse: Date }>();

  touch(lsid: unknown): void {
    const id = (lsid as Document | null)?.id;
    if (id === undefined) return;
    const key = valueKey(id);
    const entry = this.seen.get(key);
    if (entry) entry.lastUse = new Date();
    else this.seen.set(key, { id, lastUse: new Date() });
  }

  end(lsids: unknown[]): void {
    for (const lsid of lsids) {
      const id = (lsid as Document | null)?.id;
      if (id !== undefined) this.seen.delete(valueKey(id));
    }
  }

  /** The $listLocalSessions stage's documents. */
  list(): Document[] {
    const now = Date.now();
    const sessions: Document[] = [];
    for (const [key, { id, lastUse }] of this.seen) {
      if (now - lastUse.getTime() > TIMEOUT_MS) this.seen.delete(key);
      else sessions.push({ _id: { id, uid: NO_USER }, lastUse });
    }
    return sessions;
  }
}
