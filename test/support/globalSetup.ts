// Some tests run the service as a child process (to kill -9 it); they run the compiled build, made once here.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const require = createRequire(import.meta.url);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit', cwd: new URL('../..', import.meta.url).pathname });
}
