// Starts a simulator by hand, to try the service against "RunPod" or "ComfyUI" without a GPU:
//   node dist/bench/simulator/cli.js runpod  [workers=4] [latencyMs=2000] [coldStartMs=0]
//   node dist/bench/simulator/cli.js comfyui [latencyMs=2000]
// It prints the environment variables that point the service at it, then serves until interrupted.
import { startComfyUiSimulator } from './comfyui.js';
import { startRunPodSimulator } from './runpod.js';

const [kind, ...numbers] = process.argv.slice(2);
const arg = (index: number, fallback: number) => (numbers[index] === undefined ? fallback : Number(numbers[index]));

if (kind === 'runpod') {
  const sim = await startRunPodSimulator({ workers: arg(0, 4), latencyMs: arg(1, 2_000), coldStartMs: arg(2, 0) });
  console.log(`IMAGE_GENERATOR=runpod RUNPOD_BASE_URL=${sim.baseUrl} RUNPOD_ENDPOINT_ID=${sim.endpointId} RUNPOD_API_KEY=${sim.apiKey} GENERATOR_MAX_CONCURRENCY=${arg(0, 4)}`);
  setInterval(() => console.log(JSON.stringify(sim.stats)), 10_000).unref();
} else if (kind === 'comfyui') {
  const sim = await startComfyUiSimulator({ latencyMs: arg(0, 2_000) });
  console.log(`IMAGE_GENERATOR=comfyui COMFYUI_URL=${sim.url}`);
} else {
  console.error('usage: cli.js runpod [workers] [latencyMs] [coldStartMs] | comfyui [latencyMs]');
  process.exitCode = 2;
}
