// Everything a command tells its user goes through here. Human mode writes sentences (results on stdout,
// problems on stderr); --json writes one JSON object per line with an `event` field, for scripts, on the
// same streams, and never draws a progress bar.
import type { Writable } from 'node:stream';

export type OutputEvent = Record<string, unknown> & { event: string };

export class Output {
  /** While progress bars are drawn, human lines go through them so they do not tear the bars apart. */
  private diverted: ((line: string) => void) | null = null;

  constructor(
    readonly json: boolean,
    private readonly stdout: Writable = process.stdout,
    private readonly stderr: Writable = process.stderr,
  ) {}

  /** A result: `human` in human mode, the event as a JSON line with --json. */
  result(event: OutputEvent, human: string): void {
    if (this.json) this.stdout.write(`${JSON.stringify(event)}\n`);
    else if (this.diverted) this.diverted(`${human}\n`);
    else this.stdout.write(`${human}\n`);
  }

  /** A problem (a broken line, a failed input): on stderr in either mode. */
  problem(event: OutputEvent, human: string): void {
    if (this.json) this.stderr.write(`${JSON.stringify(event)}\n`);
    else if (this.diverted) this.diverted(`${human}\n`);
    else this.stderr.write(`${human}\n`);
  }

  divert(sink: ((line: string) => void) | null): void {
    this.diverted = sink;
  }

  /** Machine-readable only: progress lines have no human form (the bars show them). */
  event(event: OutputEvent): void {
    if (this.json) this.stdout.write(`${JSON.stringify(event)}\n`);
  }

  get progressStream(): Writable {
    return this.stderr;
  }
}
