// The identity rules on hand-made vectors: what counts as alike, which images are judged, and what a set's
// consistency summary reports.
import { describe, expect, it } from 'vitest';
import { centroid, characterIdentity, cosineSimilarity, judgeImage, judgeSet, median, summariseSet, type ImageFace } from '../../src/domain/identity.js';

const face = (...vector: number[]): ImageFace => ({ vector });
const noFace = (reason = 'no face found'): ImageFace => ({ vector: null, reason });

describe('cosine similarity and centroid', () => {
  it('is 1 for the same direction whatever the length, 0 for perpendicular, -1 for opposite', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });

  it('refuses vectors of different dimensions rather than comparing part of them', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/2 and 3 dimensions/);
  });

  it('averages directions, not lengths: a long vector counts as much as a short one', () => {
    const centre = centroid([[10, 0], [0, 1]]);
    expect(centre![0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(centre![1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(centroid([])).toBeNull();
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('judging one image', () => {
  const avatar = face(1, 0, 0);

  it('scores the mean of the similarity to the avatar and to the centroid of the other images', () => {
    const verdict = judgeImage(face(1, 1, 0), avatar, [[0, 1, 0], [0, 1, 0]], 0.5);
    expect(verdict).toMatchObject({ judged: true, consistent: true });
    if (!verdict.judged) throw new Error('judged');
    expect(verdict.toAvatar).toBeCloseTo(Math.SQRT1_2, 12);
    expect(verdict.toSet).toBeCloseTo(Math.SQRT1_2, 12);
    expect(verdict.similarity).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('is inconsistent below the threshold and consistent at it', () => {
    expect(judgeImage(face(0, 0, 1), avatar, [[1, 0, 0]], 0.5)).toMatchObject({ judged: true, similarity: 0, consistent: false });
    expect(judgeImage(face(1, 0, 0), avatar, [], 1)).toMatchObject({ judged: true, similarity: 1, toSet: null, consistent: true });
  });

  it('does not judge an image without a face, and says why', () => {
    expect(judgeImage(noFace('face turned away (40°)'), avatar, [[1, 0, 0]], 0.5)).toEqual({ judged: false, reason: 'face turned away (40°)' });
  });

  it('judges against the rest of the set alone when the avatar shows no face', () => {
    expect(judgeImage(face(0, 1, 0), noFace(), [[0, 1, 0]], 0.5)).toMatchObject({ judged: true, toAvatar: null, similarity: 1 });
  });

  it('does not judge when there is nothing to compare with', () => {
    const verdict = judgeImage(face(0, 1, 0), noFace(), [], 0.5);
    expect(verdict.judged).toBe(false);
    expect(verdict).toMatchObject({ reason: expect.stringMatching(/nothing to compare with/) });
  });
});

describe('a whole set', () => {
  const avatar = face(1, 0.1, 0);
  const images = [
    { key: 'portrait_front', face: face(1, 0, 0) },
    { key: 'portrait_side', face: noFace('face turned away (80°)') },
    { key: 'full_body_standing', face: face(0.9, 0.2, 0) },
    { key: 'action_pose', face: face(0, 0, 1) }, // another character
  ];

  it('judges each image against the others but never against itself, and names the outliers', () => {
    const { verdicts, consistency } = judgeSet(avatar, images, 0.7);
    expect(verdicts.map(({ key, verdict }) => [key, verdict.judged && verdict.consistent])).toEqual([
      ['portrait_front', true],
      ['portrait_side', false],
      ['full_body_standing', true],
      ['action_pose', false],
    ]);
    expect(consistency).toMatchObject({ judged: 3, outliers: ['action_pose'] });
    expect(consistency.min).toBeCloseTo(0, 1);
    // Against the centroid of full_body_standing and action_pose only; one that included itself would give 0.89.
    const front = verdicts[0]!.verdict;
    if (!front.judged) throw new Error('judged');
    expect(front.toSet).toBeCloseTo(0.69, 2);
  });

  it('summarises a set with nothing judged as zero judged and no scores', () => {
    expect(summariseSet([{ key: 'a', verdict: { judged: false, reason: 'no face found' } }])).toEqual({ judged: 0, median: null, min: null, outliers: [] });
  });

  it('gives the character one identity vector from the avatar and the faces of the set', () => {
    const identity = characterIdentity(face(1, 0), [face(0, 2), noFace()]);
    expect(identity![0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(identity![1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(characterIdentity(noFace(), [noFace()])).toBeNull();
  });
});
