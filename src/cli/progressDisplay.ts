// Shows the progress of one or many reference sets: on a terminal a bar per set being generated plus an
// overall bar (cli-progress, on stderr); piped, an `overall:` line whenever a set ends (bars redrawn into a log
// are noise); with --json one `progress` line per set event and an `overall` line after it. A set that has
// ended counts as wholly done in the overall figure, so it reaches 100 % when every set ends.
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Output } from './output.js';
import type { SetCounts, SetEnd } from './setProgress.js';

export interface ProgressDisplay {
  /** Inputs not answered yet (a batch's later chunks): counted in the overall figure so it never goes back. */
  expectSets(count: number): void;
  /** A set to count in the overall figure, before its first event; it takes the place of an expected one. */
  addSet(characterId: string, name: string, total: number): void;
  updateSet(characterId: string, counts: SetCounts): void;
  endSet(characterId: string, end: SetEnd): void;
  stop(): void;
}

interface TrackedSet {
  name: string;
  counts: SetCounts;
  ended: boolean;
}

/** Per-set counts and the overall figure derived from them, shared by both displays. */
class Tally {
  readonly sets = new Map<string, TrackedSet>();
  private expected = 0;

  expect(count: number): void {
    this.expected = Math.max(0, count);
  }

  add(characterId: string, name: string, total: number): void {
    this.sets.set(characterId, { name, counts: { completed: 0, failed: 0, total }, ended: false });
    this.expected = Math.max(0, this.expected - 1);
  }

  update(characterId: string, counts: SetCounts, ended = false): TrackedSet | undefined {
    const set = this.sets.get(characterId);
    if (!set) return undefined;
    set.counts = counts;
    set.ended ||= ended;
    return set;
  }

  overall(): { finished: number; total: number; setsEnded: number; sets: number } {
    let finished = 0;
    let total = 0;
    let setsEnded = 0;
    for (const { counts, ended } of this.sets.values()) {
      total += counts.total;
      finished += ended ? counts.total : counts.completed + counts.failed;
      if (ended) setsEnded++;
    }
    // An expected set will have as many images as the ones already known.
    const perSet = this.sets.size > 0 ? total / this.sets.size : 0;
    return { finished, total: Math.round(total + this.expected * perSet), setsEnded, sets: this.sets.size + this.expected };
  }
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.floor((100 * part) / whole));

/** Keeps the tally; a display only says how a change looks. */
abstract class TalliedDisplay implements ProgressDisplay {
  protected readonly tally = new Tally();

  expectSets(count: number): void {
    this.tally.expect(count);
    this.changed(null, false);
  }

  addSet(characterId: string, name: string, total: number): void {
    this.tally.add(characterId, name, total);
    this.changed(null, false);
  }

  updateSet(characterId: string, counts: SetCounts): void {
    const set = this.tally.update(characterId, counts);
    if (set) this.changed({ characterId, ...set }, false);
  }

  endSet(characterId: string, end: SetEnd): void {
    const set = this.tally.update(characterId, end, true);
    if (set) this.changed({ characterId, ...set }, true);
  }

  /** `set` is the set that moved, or null when only the overall figure changed. */
  protected abstract changed(set: (TrackedSet & { characterId: string }) | null, ended: boolean): void;

  abstract stop(): void;
}

export class JsonProgress extends TalliedDisplay {
  constructor(private readonly output: Output) {
    super();
  }

  protected changed(set: (TrackedSet & { characterId: string }) | null, ended: boolean): void {
    if (!set) return;
    const { completed, failed, total } = set.counts;
    this.output.event({ event: 'progress', characterId: set.characterId, name: set.name, completed, failed, total, percent: ended ? 100 : percent(completed + failed, total) });
    const overall = this.tally.overall();
    this.output.event({ event: 'overall', ...overall, percent: percent(overall.finished, overall.total) });
  }

  stop(): void {}
}

export class ProgressBars extends TalliedDisplay {
  private readonly bars: MultiBar;
  private readonly overallBar: SingleBar;
  private readonly setBars = new Map<string, SingleBar>();

  constructor(private readonly output: Output) {
    super();
    this.bars = new MultiBar(
      {
        stream: output.progressStream,
        format: '{label} |{bar}| {percentage}% {value}/{total} {detail}',
        hideCursor: true,
        clearOnComplete: false,
        gracefulExit: true,
      },
      Presets.shades_classic,
    );
    this.overallBar = this.bars.create(0, 0, { label: 'overall'.padEnd(20), detail: '' });
    output.divert((line) => this.bars.log(line));
  }

  protected changed(set: (TrackedSet & { characterId: string }) | null, ended: boolean): void {
    if (set) this.showSet(set, ended);
    const { finished, total, setsEnded, sets } = this.tally.overall();
    this.overallBar.setTotal(total);
    this.overallBar.update(finished, { detail: `images, ${setsEnded}/${sets} sets done` });
  }

  /** A bar appears with a set's first image and goes when it ends, so a hundred waiting sets are one line. */
  private showSet({ characterId, name, counts }: TrackedSet & { characterId: string }, ended: boolean): void {
    let bar = this.setBars.get(characterId);
    if (ended) {
      if (bar) this.bars.remove(bar);
      this.setBars.delete(characterId);
      return;
    }
    if (!bar) {
      bar = this.bars.create(counts.total, 0, { label: name.slice(0, 20).padEnd(20), detail: '' });
      this.setBars.set(characterId, bar);
    }
    bar.setTotal(counts.total);
    bar.update(counts.completed + counts.failed, { detail: counts.failed > 0 ? `(${counts.failed} failed)` : '' });
  }

  stop(): void {
    // A line logged since the last redraw is only written by a redraw.
    this.bars.update();
    this.bars.stop();
    this.output.divert(null);
  }
}

export class PlainProgress extends TalliedDisplay {
  constructor(private readonly output: Output) {
    super();
  }

  protected changed(set: TrackedSet | null, ended: boolean): void {
    if (!set || !ended) return;
    const { finished, total, setsEnded, sets } = this.tally.overall();
    this.output.progressStream.write(`overall: ${percent(finished, total)}% (${finished}/${total} images, ${setsEnded}/${sets} sets done)\n`);
  }

  stop(): void {}
}

export function progressDisplay(output: Output): ProgressDisplay {
  if (output.json) return new JsonProgress(output);
  return (output.progressStream as { isTTY?: boolean }).isTTY ? new ProgressBars(output) : new PlainProgress(output);
}
