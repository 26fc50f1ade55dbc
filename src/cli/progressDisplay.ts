// Shows the progress of one or many reference sets: on a terminal a bar per set being generated plus an
// overall bar (cli-progress, on stderr); piped, an `overall:` line whenever a set ends (bars redrawn into a log
// are noise); with --json one `progress` line per set event and an `overall` line after it. A set that has
// ended counts as wholly done in the overall figure, so it reaches 100 % when every set ends.
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Output } from './output.js';
import type { SetCounts, SetEnd } from './setProgress.js';

export interface ProgressDisplay {
  /** A set to count in the overall figure, before its first event. */
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

  add(characterId: string, name: string, total: number): void {
    this.sets.set(characterId, { name, counts: { completed: 0, failed: 0, total }, ended: false });
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
    return { finished, total, setsEnded, sets: this.sets.size };
  }
}

const percent = (part: number, whole: number): number => (whole === 0 ? 100 : Math.floor((100 * part) / whole));

export class JsonProgress implements ProgressDisplay {
  private readonly tally = new Tally();

  constructor(private readonly output: Output) {}

  addSet(characterId: string, name: string, total: number): void {
    this.tally.add(characterId, name, total);
  }

  updateSet(characterId: string, counts: SetCounts): void {
    this.report(characterId, counts, false);
  }

  endSet(characterId: string, end: SetEnd): void {
    this.report(characterId, end, true);
  }

  private report(characterId: string, counts: SetCounts, ended: boolean): void {
    const set = this.tally.update(characterId, counts, ended);
    if (!set) return;
    const { completed, failed, total } = counts;
    this.output.event({ event: 'progress', characterId, name: set.name, completed, failed, total, percent: ended ? 100 : percent(completed + failed, total) });
    const overall = this.tally.overall();
    this.output.event({ event: 'overall', ...overall, percent: percent(overall.finished, overall.total) });
  }

  stop(): void {}
}

export class ProgressBars implements ProgressDisplay {
  private readonly tally = new Tally();
  private readonly bars: MultiBar;
  private readonly overallBar: SingleBar;
  private readonly setBars = new Map<string, SingleBar>();
  private readonly output: Output;

  constructor(output: Output) {
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
    this.output = output;
  }

  addSet(characterId: string, name: string, total: number): void {
    this.tally.add(characterId, name, total);
    this.refreshOverall();
  }

  updateSet(characterId: string, counts: SetCounts): void {
    const set = this.tally.update(characterId, counts);
    if (!set) return;
    // A bar appears with a set's first image, so a batch of a hundred waiting sets is one overall line.
    let bar = this.setBars.get(characterId);
    if (!bar) {
      bar = this.bars.create(counts.total, 0, { label: set.name.slice(0, 20).padEnd(20), detail: '' });
      this.setBars.set(characterId, bar);
    }
    bar.setTotal(counts.total);
    bar.update(counts.completed + counts.failed, { detail: counts.failed > 0 ? `(${counts.failed} failed)` : '' });
    this.refreshOverall();
  }

  endSet(characterId: string, end: SetEnd): void {
    const set = this.tally.update(characterId, end, true);
    if (!set) return;
    const bar = this.setBars.get(characterId);
    if (bar) {
      this.bars.remove(bar);
      this.setBars.delete(characterId);
    }
    this.refreshOverall();
  }

  private refreshOverall(): void {
    const { finished, total, setsEnded, sets } = this.tally.overall();
    this.overallBar.setTotal(total);
    this.overallBar.update(finished, { detail: `images, ${setsEnded}/${sets} sets done` });
  }

  stop(): void {
    // A line logged since the last redraw is only written by a redraw.
    this.bars.update();
    this.bars.stop();
    this.output.divert(null);
  }
}

export class PlainProgress implements ProgressDisplay {
  private readonly tally = new Tally();

  constructor(private readonly output: Output) {}

  addSet(characterId: string, name: string, total: number): void {
    this.tally.add(characterId, name, total);
  }

  updateSet(characterId: string, counts: SetCounts): void {
    this.tally.update(characterId, counts);
  }

  endSet(characterId: string, end: SetEnd): void {
    this.tally.update(characterId, end, true);
    const { finished, total, setsEnded, sets } = this.tally.overall();
    this.output.progressStream.write(`overall: ${percent(finished, total)}% (${finished}/${total} images, ${setsEnded}/${sets} sets done)\n`);
  }

  stop(): void {}
}

export function progressDisplay(output: Output): ProgressDisplay {
  if (output.json) return new JsonProgress(output);
  return (output.progressStream as { isTTY?: boolean }).isTTY ? new ProgressBars(output) : new PlainProgress(output);
}
