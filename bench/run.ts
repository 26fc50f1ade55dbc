// `npm run bench`: every benchmark in one run, so ratios compare figures from the same machine state.
// `npm run bench -- pipeline backends` runs only the named ones.
import * as backends from './backends.bench.js';
import * as embeddedStore from './embedded-store.bench.js';
import * as offlineRenderer from './offline-renderer.bench.js';
import * as pipeline from './pipeline.bench.js';
import * as webClient from './webClient.bench.js';

const BENCHMARKS: Record<string, { run(): Promise<void> }> = {
  'embedded-store': embeddedStore,
  'offline-renderer': offlineRenderer,
  pipeline,
  backends,
  'web-client': webClient,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
console.log(`# charsheet benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const [name, benchmark] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await benchmark.run();
}
process.exit(0);
