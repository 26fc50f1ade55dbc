// Runs the compiled service (dist/src/main.js) as a child process, as an operator would, so tests can
// kill -9 it mid-work and start it again on the same data folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildService {
  url: string;
  process: ChildProcess;
  /** SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const MAIN = new URL('../../dist/src/main.js', import.meta.url).pathname;

export async function startChildService(env: Record<string, string>): Promise<ChildService> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output.join('')}`)), 30_000);
    lines.on('line', (line) => {
      output.push(line);
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
