// A line of waiting requests shared fairly between owners, as start-time fair queuing does (and Linux's CFS
// with its virtual runtime): every owner counts the requests it has been granted, and the next grant goes to
// the waiting owner with the lowest count, ties in the order owners joined. An owner that (re)joins starts no
// lower than `credit` below the owners being served, so a newcomer goes first for up to `credit` requests
// (one reference set by default: its set finishes about as fast as on an idle backend) and then alternates
// with the others, however many requests they have queued. Within one owner, first come first served.

interface OwnerLine<T> {
  waiting: T[];
  /** Requests granted to this owner, on the line's virtual clock. */
  served: number;
}

export class FairLine<T> {
  private readonly owners = new Map<string, OwnerLine<T>>();
  /** Sent once already and refused by the backend: served before anyone, in the order they came back. */
  private readonly resent: T[] = [];
  /** The count of the owner served last, never going back: where a (re)joining owner is placed from. */
  private virtualTime = 0;
  private waitingOwners = 0;
  private size = 0;

  constructor(private readonly credit: number) {}

  get length(): number {
    return this.size;
  }

  push(owner: string, item: T): void {
    let line = this.owners.get(owner);
    if (!line) {
      line = { waiting: [], served: Number.NEGATIVE_INFINITY };
      this.owners.set(owner, line);
    }
    if (line.waiting.length === 0) {
      line.served = Math.max(line.served, this.virtualTime - this.credit);
      this.waitingOwners += 1;
    }
    line.waiting.push(item);
    this.size += 1;
  }

  /** A request that was granted before and must go again goes to the head of the whole line, not charged twice. */
  pushResent(item: T): void {
    this.resent.push(item);
    this.size += 1;
  }

  /** Takes a withdrawn request out of the line; false when it was not in it. */
  remove(owner: string, item: T): boolean {
    const resentAt = this.resent.indexOf(item);
    if (resentAt >= 0) {
      this.resent.splice(resentAt, 1);
      this.size -= 1;
      return true;
    }
    const line = this.owners.get(owner);
    const index = line ? line.waiting.indexOf(item) : -1;
    if (!line || index < 0) return false;
    line.waiting.splice(index, 1);
    this.size -= 1;
    if (line.waiting.length === 0) this.idle(owner, line);
    return true;
  }

  /** The next request to grant, charged to its owner; undefined when the line is empty. */
  shift(): T | undefined {
    const resent = this.resent.shift();
    if (resent !== undefined) {
      this.size -= 1;
      return resent;
    }
    let chosen: [string, OwnerLine<T>] | undefined;
    for (const entry of this.owners) {
      if (entry[1].waiting.length > 0 && (!chosen || entry[1].served < chosen[1].served)) chosen = entry;
    }
    if (!chosen) return undefined;
    const [owner, line] = chosen;
    this.virtualTime = Math.max(this.virtualTime, line.served);
    line.served += 1;
    const item = line.waiting.shift()!;
    this.size -= 1;
    if (line.waiting.length === 0) this.idle(owner, line);
    return item;
  }

  /**
   * An owner with nothing waiting keeps its count while it is above where it would rejoin (so leaving and
   * coming back earns no extra credit) and is forgotten once it is not: the map holds active owners only.
   */
  private idle(owner: string, line: OwnerLine<T>): void {
    this.waitingOwners -= 1;
    if (line.served <= this.virtualTime - this.credit) this.owners.delete(owner);
    if (this.owners.size > 2 * this.waitingOwners + 64) {
      for (const [name, other] of this.owners) if (other.waiting.length === 0 && other.served <= this.virtualTime - this.credit) this.owners.delete(name);
    }
  }
}
