// `npm run bench`: every benchmark in one run, one after another, so comparisons come from the same machine
// state. Each runs in a fresh process: an RSS figure must not carry the heap of the benchmark before it.
// `npm run bench -- pipeline backends` runs only the named ones.
import { spawnSync } from 'node:child_process';

const BENCHMARKS: Record<string, string> = {
  'embedded-store': 'embedded-store.bench.js',
  'offline-renderer': 'offline-renderer.bench.js',
  pipeline: 'pipeline.bench.js',
  backends: 'backends.bench.js',
  auth: 'auth.bench.js',
  'web-client': 'webClient.bench.js',
  export: 'export.bench.js',
  identity: 'identity.bench.js',
  'identity-load': 'identityLoad.bench.js',
  scheduling: 'scheduling.bench.js',
  cli: 'cli.bench.js',
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
console.log(`# charsheet benchmarks — node ${process.version}, ${new Date().toISOString()}`);
let failed = 0;
for (const [name, file] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const result = spawnSync(process.execPath, ['--expose-gc', new URL(file, import.meta.url).pathname], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`benchmark ${name} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
