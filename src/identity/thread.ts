// The encoder thread: loads the face model once, then describes one image per message, in order. Inference
// is tens of milliseconds of synchronous WebAssembly per image; here it never holds up the service's event loop.
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { InvalidImageError } from '../domain/errors.js';
import { deprioritizeThisThread } from '../support/threadPriority.js';
import { decodeRgb } from './decode.js';
import { loadFaceModel } from './faceModel.js';
import { encoderFiles } from './modelFiles.js';
import type { FromThread, ThreadSettings, ToThread } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('src/identity/thread.ts runs only as a worker thread (see faceEncoder.ts)');
const send = (message: FromThread) => port.postMessage(message);

deprioritizeThisThread();
try {
  const { modelsDir } = workerData as ThreadSettings;
  const files = encoderFiles();
  const model = await loadFaceModel(modelsDir ? { ...files, modelsUrl: pathToFileURL(`${modelsDir.replace(/\/+$/, '')}/`).href } : files);
  port.on('message', (message: ToThread) => {
    // One at a time: the service sends the next image only after this one's answer.
    void decodeRgb(message.image)
      .then((image) => model.describe(image))
      .then(
        (embedding) => send({ kind: 'embedded', id: message.id, embedding }),
        (error: unknown) => send({ kind: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error), invalidImage: error instanceof InvalidImageError }),
      );
  });
  send({ kind: 'ready' });
} catch (error) {
  send({ kind: 'unavailable', message: error instanceof Error ? error.message : String(error) });
}
