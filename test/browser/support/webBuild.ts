// The browser tests drive the built client, built from the current sources (the same command as
// `npm run build:web`), so a stale dist/web can never make them pass or fail. Test files run in parallel
// worker processes of one vitest run; the first one builds and the others wait for it, rather than several
// builds emptying dist/web under each other's running services.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { waitFor } from '../../support/waitFor.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const markersDir = path.join(projectRoot, 'dist', '.web-builds');
const BUILD_TIMEOUT_MS = 120_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Markers of vitest runs that have ended, so the folder does not grow forever. */
async function removeStaleMarkers(): Promise<void> {
  for (const name of await readdir(markersDir).catch(() => [])) {
    if (!processAlive(Number(name))) await rm(path.join(markersDir, name), { recursive: true, force: true });
  }
}

function build(): void {
  const require = createRequire(import.meta.url);
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '-c', 'web/vite.config.ts'], { cwd: projectRoot, stdio: 'inherit' });
}

export async function buildWebClientOnce(): Promise<void> {
  await mkdir(markersDir, { recursive: true });
  // One marker per vitest run: its worker processes share the parent.
  const marker = path.join(markersDir, String(process.ppid));
  try {
    await mkdir(marker);
  } catch {
    await waitFor(async () => existsSync(path.join(marker, 'done')) || existsSync(path.join(marker, 'failed')), 'web client build by another test file', BUILD_TIMEOUT_MS);
    if (existsSync(path.join(marker, 'failed'))) throw new Error('the web client build failed (see the first browser test file)');
    return;
  }
  await removeStaleMarkers();
  try {
    build();
  } catch (error) {
    await writeFile(path.join(marker, 'failed'), String(error));
    throw error;
  }
  await writeFile(path.join(marker, 'done'), '');
}
