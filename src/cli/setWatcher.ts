// Follows any number of reference sets at once (a batch adds them as its chunks are created) and reports
// each one's end: a `set` line, and its share of the progress display.
import type { ServiceClient } from './client.js';
import { CliError } from './exitCodes.js';
import type { Output } from './output.js';
import type { ProgressDisplay } from './progressDisplay.js';
import { followSet, type SetEnd, setSucceeded } from './setProgress.js';

export interface WatchedSet {
  characterId: string;
  name: string;
  /** How the set ended; null when following it failed (the connection was lost). */
  end: SetEnd | null;
}

export class SetWatcher {
  private readonly watched: Promise<WatchedSet>[] = [];
  private following = 0;
  private endWaiters: (() => void)[] = [];

  constructor(
    private readonly client: ServiceClient,
    private readonly display: ProgressDisplay,
    private readonly output: Output,
  ) {}

  watch(characterId: string, name: string, total: number): void {
    this.display.addSet(characterId, name, total);
    const followed = followSet(this.client, characterId, (counts) => this.display.updateSet(characterId, counts)).then(
      (end) => {
        this.display.endSet(characterId, end);
        const failed = end.failed > 0 ? `, ${end.failed} failed` : '';
        this.output.result({ event: 'set', characterId, name, ...end }, `${setSucceeded(end) ? '✔' : '✘'} ${name} (${characterId}): ${end.status}, ${end.completed}/${end.total} images${failed}`);
        return { characterId, name, end };
      },
      (error: unknown) => {
        const message = error instanceof CliError ? error.message : String(error);
        this.output.problem({ event: 'error', characterId, message }, `✘ ${name} (${characterId}): could not follow its set: ${message}`);
        return { characterId, name, end: null };
      },
    );
    this.following++;
    this.watched.push(
      followed.finally(() => {
        this.following--;
        for (const wake of this.endWaiters.splice(0)) wake();
      }),
    );
  }

  /** Sets still being followed. */
  get running(): number {
    return this.following;
  }

  /** Resolves when the next of the running sets ends (at once when none runs). */
  nextEnd(): Promise<void> {
    if (this.following === 0) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Waits for every watched set to end, then stops the display. */
  async finish(): Promise<WatchedSet[]> {
    try {
      return await Promise.all(this.watched);
    } finally {
      this.display.stop();
    }
  }
}
