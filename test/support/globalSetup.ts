// Some tests run the service as a child process (to kill -9 it); they run the compiled build, made once here:
// the embedded store's package first (the service's build imports it), then the service.
// Type errors do not stop the emit (`npm run typecheck` is where they fail CI), so one engineer's
// half-written file does not fail everyone else's tests.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const require = createRequire(import.meta.url);
  const root = new URL('../..', import.meta.url).pathname;
  for (const project of ['packages/embedded-mongo/tsconfig.json', 'tsconfig.json']) {
    const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], { cwd: root, encoding: 'utf8' });
    if (result.error) throw result.error;
  }
}
