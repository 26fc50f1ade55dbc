// The browser tests drive the built client, built here from the current sources (the same command as
// `npm run build:web`), so a stale dist/web can never make them pass or fail.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const projectRoot = path.resolve(import.meta.dirname, '../../..');

export function buildWebClient(): void {
  const require = createRequire(import.meta.url);
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '-c', 'web/vite.config.ts'], { cwd: projectRoot, stdio: 'inherit' });
}
