// Some tests run the service as a child process (to kill -9 it); they run the compiled build, made once here.
// Type errors do not stop the emit (`npm run typecheck` is where they fail CI), so one engineer's
// half-written file does not fail everyone else's tests.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const require = createRequire(import.meta.url);
  const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
  if (result.error) throw result.error;
}
