// Shared helpers for benchmarks: percentiles, a table printer, and a fresh service on a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startService, type RunningService, type ServiceOverrides } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export function percentile(sortedValues: number[], p: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.ceil((p / 100) * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)] as number;
}

export interface BenchRow {
  metric: string;
  value: string;
  target: string;
  ok: boolean | null;
}

export function printTable(title: string, rows: BenchRow[]): void {
  console.log(`\n## ${title}`);
  const width = Math.max(...rows.map((row) => row.metric.length));
  for (const row of rows) {
    const verdict = row.ok === null ? '' : row.ok ? '  ok' : '  MISSED';
    console.log(`  ${row.metric.padEnd(width)}  ${row.value.padStart(14)}   target ${row.target}${verdict}`);
  }
}

export async function benchDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'charsheet-bench-'));
}

/**
 * Runs `body` against a service on `dataDir` (a fresh folder, deleted afterwards, unless one is given). Identity
 * scoring is off unless `env` turns it on: with it, a set waits for one encoder thread (~9 images/s), and a
 * benchmark of the pipeline's own cost would time the encoder instead (bench identity and identity-load time it).
 */
export async function withBenchService<T>(env: Record<string, string>, overrides: ServiceOverrides, body: (service: RunningService) => Promise<T>, dataDir?: string): Promise<T> {
  const folder = dataDir ?? (await benchDataDir());
  const service = await startService(loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: folder, LOG_LEVEL: 'silent', IDENTITY: 'off', ...env }), overrides);
  try {
    return await body(service);
  } finally {
    await service.close();
    if (!dataDir) await rm(folder, { recursive: true, force: true });
  }
}
