// Some tests run the service as a child process (to kill -9 it); they run the compiled build, made once here:
// the embedded store's package first (the service's build imports it), then the service.
// Type errors do not stop the emit (`npm run typecheck` is where they fail CI), so one engineer's
// half-written file does not fail everyone else's tests.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  // Under Stryker the build was made before the run (npm run mutation), and a test runner restarts after every
  // mutant that times out: building again each time would cost a minute per restart.
  if (process.env.STRYKER_MUTATOR_WORKER !== undefined) return;
  const require = createRequire(import.meta.url);
  const root = new URL('../..', import.meta.url).pathname;
  for (const project of ['packages/embedded-mongo/tsconfig.json', 'tsconfig.json']) {
    const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], { cwd: root, encoding: 'utf8' });
    if (result.error) throw result.error;
  }
}
