// The identity check of one set's run (IDENTITY=on). Each new image is scored as it is stored, against the
// avatar and the set's images so far, so its progress event carries a score. Once every slot has an image, the
// end-of-set pass judges the whole set again (each image against the avatar and the centroid of all the
// others), regenerates the slots that drifted with new seeds — up to IDENTITY_MAX_REGENERATIONS, keeping the
// best-scoring image and recording the others — and stores the final scores, the set's consistency and the
// character's identity vector. It runs inside the set's run: the lease, cancel and delete stop it like any
// other work of the set, and its requests go through the same attempt accounting.
import type { VariationIdentity } from '../domain/character.js';
import { characterIdentity, type IdentityVerdict, type ImageFace, judgeImage, judgeSet, vectorToBytes } from '../domain/identity.js';
import { ENCODER_UNAVAILABLE, faceOfIdentity, faceOfStored, identityOf, NO_HISTORY, storedFace } from '../domain/identityScores.js';
import { regenerationSeed } from '../domain/regenerationSeed.js';
import type { ObjectStore, ReferenceImage } from '../ports.js';
import type { IdentityScorer } from './identityScorer.js';
import type { SetRun } from './setRun.js';
import type { SlotProducer } from './slotProduction.js';

/** Runs `job` as the slot's work unless the slot is busy already (null then), so no slot is produced twice at once. */
export type SlotWork = (index: number, job: () => Promise<void>) => Promise<void> | null;

interface SlotFace {
  key: string;
  face: ImageFace;
}

const similarityOf = (verdict: IdentityVerdict) => (verdict.judged ? verdict.similarity : null);

export class SetIdentityCheck {
  private avatar: Promise<ImageFace> | undefined;
  /** Faces of stored images by key, so an image is embedded once per run. */
  private readonly faces = new Map<string, ImageFace>();

  constructor(
    private readonly scorer: IdentityScorer,
    private readonly run: SetRun,
    private readonly store: ObjectStore,
    private readonly references: ReferenceImage[],
    /** Told each kept image's final similarity, once per set review (the /metrics histogram). */
    private readonly judged?: (similarity: number) => void,
  ) {}

  /** The score of a slot's new image, stored under `key`; `history` is what the slot's earlier images left. */
  async scoreNew(index: number, key: string, image: Uint8Array, history = NO_HISTORY): Promise<VariationIdentity> {
    const face = await this.faceOf(key, image);
    const others = this.run.record.variations.flatMap((slot, other) => {
      const known = other === index ? null : faceOfIdentity(slot.identity, slot.key);
      return known?.vector ? [known.vector] : [];
    });
    return identityOf(key, face, judgeImage(face, await this.avatarFace(), others, this.scorer.settings.minSimilarity), history);
  }

  /** The end-of-set pass: judge, regenerate what drifted, store the findings. Returns when done or stopped. */
  async review(producer: SlotProducer, work: SlotWork): Promise<void> {
    const { run } = this;
    const { minSimilarity, maxRegenerations } = this.scorer.settings;
    // Tried in this run, besides what the record counts: a regeneration that fails is not retried forever.
    const tried = new Map<number, number>();
    for (let round = 0; round <= maxRegenerations; round++) {
      const faces = await this.slotFaces();
      if (!faces || run.stop.aborted) return;
      const avatar = await this.avatarFace();
      const { verdicts } = judgeSet(avatar, [...faces].map(([index, { face }]) => ({ key: index, face })), minSimilarity);
      const due = verdicts.flatMap(({ key: index, verdict }) => {
        const slot = run.record.variations[index]!;
        const spent = Math.max(slot.identity?.regenerations ?? 0, tried.get(index) ?? 0);
        return verdict.judged && !verdict.consistent && spent < maxRegenerations && !slot.replacement ? [index] : [];
      });
      if (due.length === 0) break;
      run.log.info({ variations: due.map((index) => run.record.variations[index]!.type) }, 'regenerating images that drifted from the character');
      await Promise.all(
        due.map((index) => {
          tried.set(index, (tried.get(index) ?? 0) + 1);
          return work(index, () => this.regenerate(producer, index, faces)) ?? Promise.resolve();
        }),
      );
    }
    const faces = await this.slotFaces();
    if (faces && !run.stop.aborted) await this.recordFindings(faces);
  }

  /** One new image for a drifted slot: it takes over when it scores higher, else it is recorded as rejected. */
  private async regenerate(producer: SlotProducer, index: number, faces: Map<number, SlotFace>): Promise<void> {
    const { run } = this;
    const current = faces.get(index)!;
    const slot = run.record.variations[index]!;
    const history = slot.identity?.key === current.key ? slot.identity : NO_HISTORY;
    const regenerations = history.regenerations + 1;
    const seed = regenerationSeed(slot.seed, regenerations);
    if (!(await run.startIdentityRegeneration(index, seed))) return;
    const candidate = await producer.candidate(index);
    if (!candidate) return;
    const others = [...faces].flatMap(([other, { face }]) => (other !== index && face.vector ? [face.vector] : []));
    const face = await this.faceOf(candidate.stored.key, candidate.image).catch(() => null);
    if (!face) return; // stopped: the replacement stays recorded and the next run produces it
    const avatar = await this.avatarFace();
    const threshold = this.scorer.settings.minSimilarity;
    const verdict = judgeImage(face, avatar, others, threshold);
    const kept = judgeImage(current.face, avatar, others, threshold);
    if (verdict.judged && (!kept.judged || verdict.similarity > kept.similarity)) {
      const identity = identityOf(candidate.stored.key, face, verdict, { regenerations, rejected: [...history.rejected, { seed: slot.seed, similarity: similarityOf(kept) }] });
      await producer.takeOver(index, candidate, identity);
      return;
    }
    const identity = identityOf(current.key, current.face, kept, { regenerations, rejected: [...history.rejected, { seed, similarity: similarityOf(verdict) }] });
    this.faces.delete(candidate.stored.key); // the next candidate of the slot is stored under the same key
    if (await run.rejectIdentityCandidate(index, identity)) await producer.discard(candidate);
  }

  /** Every completed slot's image and face; null when the run stopped. */
  private async slotFaces(): Promise<Map<number, SlotFace> | null> {
    const faces = new Map<number, SlotFace>();
    for (const [index, slot] of this.run.record.variations.entries()) {
      if (slot.status !== 'completed' || !slot.key) continue;
      const known = this.faces.get(slot.key) ?? faceOfIdentity(slot.identity, slot.key);
      const face = known ?? (await this.storedImageFace(slot.key));
      if (this.run.stop.aborted) return null;
      if (face) faces.set(index, { key: slot.key, face });
    }
    return faces;
  }

  /** The face in an image read back from the store (one stored before IDENTITY was on); null when unreadable. */
  private async storedImageFace(key: string): Promise<ImageFace | null> {
    const bytes = await this.store.get(key).catch((error: unknown) => {
      this.run.log.warn({ err: error, key }, 'could not read an image back to score it');
      return null;
    });
    return bytes ? this.faceOf(key, bytes).catch(() => null) : null;
  }

  private async recordFindings(faces: Map<number, SlotFace>): Promise<void> {
    const { run, scorer } = this;
    const avatar = await this.avatarFace();
    const { verdicts, consistency } = judgeSet(avatar, [...faces].map(([index, { face }]) => ({ key: index, face })), scorer.settings.minSimilarity);
    const slots = verdicts.map(({ key: index, verdict }) => {
      const slot = run.record.variations[index]!;
      const { key, face } = faces.get(index)!;
      return { index, identity: identityOf(key, face, verdict, slot.identity?.key === key ? slot.identity : NO_HISTORY) };
    });
    const unavailable = [avatar, ...[...faces.values()].map(({ face }) => face)].find((face) => face.vector === null && face.reason.startsWith(ENCODER_UNAVAILABLE));
    const vector = characterIdentity(avatar, [...faces.values()].map(({ face }) => face));
    await run.recordSetIdentity({
      slots,
      consistency: {
        ...consistency,
        outliers: consistency.outliers.map((index) => run.record.variations[index]!.type),
        threshold: scorer.settings.minSimilarity,
        ...(consistency.judged === 0 && unavailable?.vector === null ? { reason: unavailable.reason } : {}),
      },
      character: { model: scorer.model, avatar: storedFace(avatar), ...(vector ? { vector: vectorToBytes(vector) } : {}) },
    });
    for (const { verdict } of verdicts) if (verdict.judged) this.judged?.(verdict.similarity);
  }

  private avatarFace(): Promise<ImageFace> {
    this.avatar ??= this.loadAvatarFace();
    return this.avatar;
  }

  private async loadAvatarFace(): Promise<ImageFace> {
    const { record } = this.run;
    const stored = record.identity?.model === this.scorer.model ? faceOfStored(record.identity.avatar) : null;
    if (stored) return stored;
    const bytes = this.references.find((reference) => reference.role === 'avatar')?.bytes ?? (await this.store.get(record.avatarKey).catch(() => null));
    if (!bytes) return { vector: null, reason: 'the avatar could not be read from the store' };
    return this.faceOf(record.avatarKey, bytes);
  }

  /** Rejects only when the run stops. */
  private async faceOf(key: string, image: Uint8Array): Promise<ImageFace> {
    const known = this.faces.get(key);
    if (known) return known;
    const { unavailable, ...face } = await this.scorer.face(image, this.run.stop);
    // A face the encoder could not look at is not remembered: it may run for the next image.
    if (!unavailable) this.faces.set(key, face);
    return face;
  }
}
