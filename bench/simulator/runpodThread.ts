// The RunPod simulator on a worker thread, so a benchmark's client and the "remote" endpoint do not share one
// event loop (as they would not in production). Options must be plain data: no fault or drift functions.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { startRunPodSimulator, type RunPodSimulatorOptions, type RunPodSimulatorStats } from './runpod.js';

type PlainOptions = Omit<RunPodSimulatorOptions, 'fault' | 'drift'>;

export interface RunPodSimulatorThread {
  baseUrl: string;
  restUrl: string;
  endpointId: string;
  apiKey: string;
  stats(): Promise<RunPodSimulatorStats>;
  close(): Promise<void>;
}

export async function startRunPodSimulatorThread(options: PlainOptions): Promise<RunPodSimulatorThread> {
  const worker = new Worker(new URL(import.meta.url), { workerData: options });
  const ready = await new Promise<{ baseUrl: string; restUrl: string; endpointId: string; apiKey: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const ask = <T>(command: string) =>
    new Promise<T>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(command);
    });
  return {
    ...ready,
    stats: () => ask<RunPodSimulatorStats>('stats'),
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}

if (parentPort && (workerData as PlainOptions | undefined)?.workers) {
  const port = parentPort;
  const sim = await startRunPodSimulator(workerData as PlainOptions);
  port.postMessage({ baseUrl: sim.baseUrl, restUrl: sim.restUrl, endpointId: sim.endpointId, apiKey: sim.apiKey });
  port.on('message', (command: string) => {
    if (command === 'stats') port.postMessage({ ...sim.stats });
    if (command === 'close') void sim.close().then(() => port.postMessage('closed'));
  });
}
