// Writes that publish a progress event take the set's next event number in the same atomic write, so every
// event of a set has a distinct, consecutive sequence that the record also keeps (per slot and for the set):
// embeddingProgress replays history and continues live with no gap and no duplicate. The number is taken by
// compare-and-set on the stored counter: the write matches only if the counter is still what the writer read.
// A writer that loses the race reads the counter again; the last value seen per set is kept, so the usual case
// (one worker writing a set's events one after another) costs a single round trip.
import type { Filter, UpdateFilter } from 'mongodb';
import { type CharacterDocument, characterCollection, counterIs, countsOf, SEQUENCE, toRecord } from './characterDocuments.js';
import type { RecordedEvent } from '../ports.js';

const HINTS_LIMIT = 10_000;
/** Far more than concurrent writers of one set can take in a row; past it something is wrong, not busy. */
const MAX_TRIES = 50;

export class EventWrites {
  private readonly lastSequence = new Map<string, number>();

  /**
   * Applies `update(next)` to the document matching `filter` with the set counter at `next - 1`. Returns the
   * document after the write, or null when `filter` matches nothing (the write no longer applies). Whatever the
   * update depends on must be pinned in `filter`, since a retry applies the same update to a newer document.
   */
  async write(filter: Filter<CharacterDocument> & { _id: CharacterDocument['_id'] }, update: (next: number) => UpdateFilter<CharacterDocument>): Promise<RecordedEvent | null> {
    const id = filter._id.toHexString();
    let expected = this.lastSequence.get(id);
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      // Stryker disable next-line ConditionalExpression: reading the counter every time finds the same number, a round trip later
      if (expected === undefined) {
        // Stryker disable next-line ObjectLiteral: the projection only trims the read; the counter is the same
        const current = await characterCollection().findOne(filter, { projection: { [SEQUENCE]: 1 } });
        if (!current) return this.forget(id);
        // Stryker disable next-line OptionalChaining: every stored set has embeddings.imageEmbeddings (the schema's default and newCharacterDocument)
        expected = current.embeddings?.imageEmbeddings?.sequence ?? 0;
      }
      const next = expected + 1;
      const changes = update(next);
      const doc = await characterCollection().findOneAndUpdate({ ...filter, [SEQUENCE]: counterIs(expected) }, { ...changes, $set: { ...changes.$set, [SEQUENCE]: next } }, { returnDocument: 'after' });
      if (doc) {
        this.remember(id, next);
        return { sequence: next, ...countsOf(doc.variations), record: toRecord(doc) };
      }
      expected = undefined;
    }
    throw new Error(`could not take the next event number of set ${id} after ${MAX_TRIES} tries`);
  }

  private remember(id: string, sequence: number): void {
    if (this.lastSequence.size >= HINTS_LIMIT) this.lastSequence.clear();
    this.lastSequence.set(id, sequence);
  }

  private forget(id: string): null {
    this.lastSequence.delete(id);
    return null;
  }
}
