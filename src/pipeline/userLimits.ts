// Per-user limits on creating characters: sets in generation at once, and characters per rolling 24 hours.
// A check and the reservation it grants happen under a per-user lock, and a reservation counts until the
// character is saved (when the database starts counting it), so a burst of parallel createCharacter calls
// cannot slip past the limit while their avatars are being drawn. The lock is per process: with several
// API processes the limit can be overshot by at most one burst per process.
import { authConfigured, type Config } from '../config.js';
import { RateLimitedError } from '../domain/errors.js';
import type { CharacterRepository } from '../ports.js';

export interface UserLimitSettings {
  /** Sets pending or generating at once per user; 0 = no limit. */
  maxGenerating: number;
  /** Characters created per user in any 24 hours; 0 = no limit. */
  maxCharactersPerDay: number;
}

/** Defaults with authentication on; in single-user development mode there is nobody to protect from. */
export const AUTHENTICATED_LIMIT_DEFAULTS: UserLimitSettings = { maxGenerating: 5, maxCharactersPerDay: 200 };
export const NO_LIMITS: UserLimitSettings = { maxGenerating: 0, maxCharactersPerDay: 0 };

export function userLimitSettings(config: Config): UserLimitSettings {
  const defaults = authConfigured(config) ? AUTHENTICATED_LIMIT_DEFAULTS : NO_LIMITS;
  return {
    maxGenerating: config.USER_MAX_GENERATING ?? defaults.maxGenerating,
    maxCharactersPerDay: config.USER_MAX_CHARACTERS_PER_DAY ?? defaults.maxCharactersPerDay,
  };
}

/** New images of characters (generateCharacterImage) pending or generating at once per user; 0 = no limit. */
export function pendingImageLimit(config: Config): number {
  return config.USER_MAX_PENDING_IMAGES ?? (authConfigured(config) ? 10 : 0);
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** When a set will finish is unknown; a client should rather retry after an embeddingProgress 'done'. */
const GENERATING_RETRY_HINT_MS = 30_000;

export interface Reservation {
  /** Idempotent; call once the character is saved, or when creating it failed. */
  release(): void;
  /** The owner's unfinished sets as the check counted them (fewer than the limit); absent when nothing was counted. */
  unfinishedSets?: number;
}

export class UserLimits {
  private readonly inFlight = new Map<string, number>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly characters: Pick<CharacterRepository, 'countUnfinishedOf' | 'creationTimesSince'>,
    private readonly settings: UserLimitSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Throws RateLimitedError when `owner` is at a limit; otherwise holds a place until released. */
  async reserve(owner: string): Promise<Reservation> {
    if (this.settings.maxGenerating === 0 && this.settings.maxCharactersPerDay === 0) return { release: () => {} };
    const previous = this.locks.get(owner) ?? Promise.resolve();
    const turn = previous.then(() => this.checkAndHold(owner));
    const settled = turn.catch(() => undefined);
    this.locks.set(owner, settled);
    void settled.then(() => {
      if (this.locks.get(owner) === settled) this.locks.delete(owner);
    });
    return turn;
  }

  private async checkAndHold(owner: string): Promise<Reservation> {
    const held = this.inFlight.get(owner) ?? 0;
    const { maxGenerating, maxCharactersPerDay } = this.settings;
    let unfinished: number | undefined;
    if (maxGenerating > 0) {
      unfinished = await this.characters.countUnfinishedOf(owner, maxGenerating);
      if (unfinished + held >= maxGenerating) {
        throw new RateLimitedError(`${maxGenerating} reference sets are already in generation for you; try again when one finishes`, 'charactersInGeneration', maxGenerating, GENERATING_RETRY_HINT_MS);
      }
    }
    if (maxCharactersPerDay > 0) {
      const now = this.now();
      const created = await this.characters.creationTimesSince(owner, new Date(now.getTime() - DAY_MS), maxCharactersPerDay);
      const over = created.length + held - maxCharactersPerDay;
      if (over >= 0) {
        // A place frees when enough of the oldest creations leave the 24-hour window.
        const freedBy = created[over];
        const retryAfterMs = freedBy ? Math.max(1_000, freedBy.getTime() + DAY_MS - now.getTime()) : GENERATING_RETRY_HINT_MS;
        throw new RateLimitedError(`you created ${maxCharactersPerDay} characters in the last 24 hours, the most allowed`, 'charactersPerDay', maxCharactersPerDay, retryAfterMs);
      }
    }
    this.inFlight.set(owner, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(owner) ?? 1) - 1;
        if (left > 0) this.inFlight.set(owner, left);
        else this.inFlight.delete(owner);
      },
      ...(unfinished === undefined ? {} : { unfinishedSets: unfinished }),
    };
  }
}
