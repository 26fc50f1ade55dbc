// A pino logger whose entries a test can read, parsed, as an operator would read the service's JSON log.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export const ERROR_LEVEL = 50;

export function recordingLogger(level: pino.LevelWithSilent = 'info'): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) entries.push(JSON.parse(line) as LogEntry);
      done();
    },
  });
  return { logger: pino({ level }, sink), entries };
}
