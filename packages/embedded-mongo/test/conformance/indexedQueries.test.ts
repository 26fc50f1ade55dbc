// Queries answered through an index give exactly the documents a scan gives: a compound index is looked up
// once per combination of pinned values and $in lists, an index on the first field narrows the rest, and
// whatever the index cannot decide (other fields, non-scalar values) is still filtered.
import { describe, expect, it } from 'vitest';
import { useDriver } from '../support/driver.js';

const fx = useDriver();

interface Job {
  _id: number;
  owner: string;
  status: string | null;
  removed?: boolean;
  tags?: string[];
}

const JOBS: Job[] = [
  { _id: 1, owner: 'ann', status: 'pending' },
  { _id: 2, owner: 'ann', status: 'generating' },
  { _id: 3, owner: 'ann', status: 'completed' },
  { _id: 4, owner: 'ann', status: 'pending', removed: true },
  { _id: 5, owner: 'bob', status: 'pending' },
  { _id: 6, owner: 'bob', status: 'generating', tags: ['x', 'y'] },
  { _id: 7, owner: 'ann', status: null },
  { _id: 8, owner: 'ann', status: 'failed', tags: ['y'] },
];

describe('queries through a compound index', () => {
  it('answers pinned fields and $in lists with the same documents as a collection without the index', async () => {
    const indexed = fx.db.collection<Job>('indexed_jobs');
    const plain = fx.db.collection<Job>('plain_jobs');
    await Promise.all([indexed.insertMany(JOBS.map((job) => ({ ...job }))), plain.insertMany(JOBS.map((job) => ({ ...job })))]);
    await indexed.createIndex({ owner: 1, status: 1 });
    const filters: object[] = [
      { owner: 'ann', status: { $in: ['pending', 'generating'] } },
      { owner: 'ann', status: { $in: ['pending', 'generating'] }, removed: { $ne: true } },
      { owner: { $in: ['ann', 'bob'] }, status: 'pending' },
      { owner: { $in: ['ann', 'bob'] }, status: { $in: ['generating', 'failed'] } },
      { owner: 'ann', status: { $in: [null, 'completed'] } },
      { owner: 'ann', status: { $in: [] } },
      { owner: 'bob', tags: { $in: ['y'] } },
      { owner: 'ann' },
    ];
    for (const filter of filters) {
      const ids = async (collection: typeof plain) => (await collection.find(filter, { sort: { _id: 1 } }).toArray()).map((job) => job._id);
      expect(await ids(indexed), JSON.stringify(filter)).toEqual(await ids(plain));
    }
    expect(await indexed.countDocuments({ owner: 'ann', status: { $in: ['pending', 'generating'] } }, { limit: 2 })).toBe(2);
    expect(await indexed.countDocuments({ owner: 'ann', status: { $in: ['pending', 'generating'] }, removed: { $exists: false } })).toBe(2);
    expect(await indexed.countDocuments({ owner: 'ann' }, { skip: 2, limit: 3 })).toBe(3);
    expect(await indexed.countDocuments({ owner: 'ann' }, { skip: 5, limit: 3 })).toBe(1);
    // A stage that reads fields after the match still sees them.
    const perOwner = await indexed.aggregate([{ $match: { status: { $in: ['pending', 'generating'] } } }, { $limit: 10 }, { $group: { _id: '$owner', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(perOwner).toEqual([{ _id: 'ann', n: 3 }, { _id: 'bob', n: 2 }]);
  });

  it('keeps finding a document after its indexed field changes', async () => {
    const collection = fx.db.collection<Job>('moving_jobs');
    await collection.createIndex({ owner: 1, status: 1 });
    await collection.insertOne({ _id: 1, owner: 'ann', status: 'pending' });
    await collection.updateOne({ _id: 1 }, { $set: { status: 'completed' } });
    expect(await collection.countDocuments({ owner: 'ann', status: { $in: ['pending', 'generating'] } })).toBe(0);
    expect(await collection.countDocuments({ owner: 'ann', status: { $in: ['completed'] } })).toBe(1);
  });
});
