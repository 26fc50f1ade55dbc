// The compiled service, as an operator runs it: a start that cannot succeed stops with a non-zero exit code
// and one log line saying why (no stack trace, nothing on stderr), and while it runs every line it prints is
// a JSON log entry, even when a client sends what the WebSocket layer refuses.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ChildService, logLines, runToExit, startChildService } from '../support/childService.js';
import { waitFor } from '../support/waitFor.js';

describe('the service process', () => {
  let dataDir: string;
  let otherDataDir: string;
  let running: ChildService;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-process-'));
    otherDataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-process-'));
    running = await startChildService({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(otherDataDir, { recursive: true, force: true });
  });

  /** The one fatal line of a refused start, after checking nothing else went wrong in the output. */
  function fatalLineOf(result: Awaited<ReturnType<typeof runToExit>>) {
    expect(result.stderr).toBe('');
    const lines = logLines(result.stdout);
    const fatal = lines.filter((line) => line.level === 60);
    expect(fatal).toHaveLength(1);
    expect(result.stdout.join('\n')).not.toMatch(/\n\s+at /);
    return fatal[0]!;
  }

  it('stops with exit code 1 and one line when the port is in use', async () => {
    const port = new URL(running.url).port;
    const result = await runToExit({ NODE_ENV: 'test', PORT: port, DATA_DIR: otherDataDir });
    expect(result.code).toBe(1);
    const line = fatalLineOf(result);
    expect(line.msg).toBe(`charsheet could not start: port ${port} is already in use on 127.0.0.1: stop the other process or set PORT`);
    expect(line.cause).toMatchObject({ code: 'EADDRINUSE' });
  });

  it('stops with exit code 1 and one line when another process holds the data folder', async () => {
    const result = await runToExit({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(fatalLineOf(result).msg).toMatch(/^charsheet could not start: DATA_DIR .* is in use by another charsheet process \(pid \d+\)/);
  });

  it('logs a WebSocket message over the size limit as one JSON line, and keeps serving', async () => {
    const closed = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${running.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send('x'.repeat(2_000_000)));
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });
    expect(closed).toBe(1009);
    await waitFor(async () => running.stdout.some((line) => line.includes('WebSocket closed on a protocol error')), 'the refusal is logged');
    expect(running.stderr()).toBe('');
    expect(() => logLines(running.stdout)).not.toThrow();
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });
});
