// Runs the compiled service (dist/src/main.js) as a child process, as an operator would, so tests can
// kill -9 it mid-work and start it again on the same data folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildService {
  url: string;
  process: ChildProcess;
  /** Lines printed on stdout so far. */
  stdout: string[];
  /** What was printed on stderr so far. */
  stderr(): string;
  /** SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const MAIN = new URL('../../dist/src/main.js', import.meta.url).pathname;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ExitedService {
  code: number | null;
  /** Every line the process printed on stdout. */
  stdout: string[];
  stderr: string;
}

/** The log lines among `lines`; throws naming the first line that is not a JSON log entry. */
export function logLines(lines: string[]): LogLine[] {
  return lines.map((line) => {
    try {
      return JSON.parse(line) as LogLine;
    } catch {
      throw new Error(`not a JSON log line: ${line}`);
    }
  });
}

/** Runs the service with exactly `env` until it exits by itself (a refused start). */
export function runToExit(env: Record<string, string>): Promise<ExitedService> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout: stdout.split('\n').filter(Boolean), stderr }));
  });
}

export async function startChildService(env: Record<string, string>): Promise<ChildService> {
  const child = spawn(process.execPath, [MAIN], {
    // Scoring costs ~120 ms of CPU an image: only the identity tests turn it on.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', IDENTITY: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stdout: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output.push(chunk.toString());
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output.join('')}`)), 30_000);
    lines.on('line', (line) => {
      output.push(line);
      stdout.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'charsheet is listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url.replace(/\/graphql$/, ''));
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening:\n${output.join('\n')}`)));
  });
  return {
    url,
    process: child,
    stdout,
    stderr: () => stderr,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
