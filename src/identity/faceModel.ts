// The face model on this thread: @vladmandic/human with blazeface (detection), facemesh (landmarks, which
// align the face and say how well it is seen) and faceres (the 1024-d description), on tfjs's WebAssembly
// backend. Everything else Human can do (body, hands, emotion, iris...) stays off and unloaded.
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Tf from '@tensorflow/tfjs-core';
import type { Config, FaceResult, Human as HumanInstance } from '@vladmandic/human';
import type { FaceEmbedding } from '../ports.js';
import type { RgbImage } from './decode.js';
import { loadModelsFromDiskOnly, type EncoderFiles } from './modelFiles.js';

const require = createRequire(import.meta.url);

/**
 * Below this mesh confidence a face is too unclear to judge. Measured on the offline renderer: side profiles
 * that blazeface still boxes score 0.23–0.55, well-seen faces 0.9–1.0 (bench/identity.bench.ts).
 */
export const MIN_FACE_SCORE = 0.6;
/** Beyond this head turn (radians, about 29°) faceres describes the pose more than the person. */
export const MAX_YAW = 0.5;

const CONFIG: Partial<Config> = {
  backend: 'wasm',
  debug: false,
  async: true,
  warmup: 'none',
  // Every image is a new picture, not the next frame of a video: never reuse an earlier result.
  cacheSensitivity: 0,
  cacheModels: false,
  filter: { enabled: false },
  gesture: { enabled: false },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  segmentation: { enabled: false },
  face: {
    enabled: true,
    detector: { enabled: true, rotation: true, maxDetected: 1, minConfidence: 0.2, skipFrames: 0, return: false },
    mesh: { enabled: true },
    iris: { enabled: false },
    attention: { enabled: false },
    description: { enabled: true, skipFrames: 0 },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
};

const REQUIRED_MODELS = ['blazeface', 'facemesh', 'faceres'];

export interface FaceModel {
  describe(image: RgbImage): Promise<FaceEmbedding>;
}

function verdict(face: FaceResult | undefined): FaceEmbedding {
  if (!face) return { faceFound: false, reason: 'no face found' };
  const yaw = face.rotation?.angle.yaw ?? 0;
  if (face.faceScore < MIN_FACE_SCORE) return { faceFound: false, reason: `face too unclear to judge (confidence ${face.faceScore.toFixed(2)})` };
  if (Math.abs(yaw) > MAX_YAW) return { faceFound: false, reason: `face turned away (${Math.round((Math.abs(yaw) * 180) / Math.PI)}°)` };
  if (!face.embedding || face.embedding.length === 0) return { faceFound: false, reason: 'face found but not described' };
  const [x, y, width, height] = face.box;
  return { faceFound: true, vector: Array.from(face.embedding), faceScore: face.faceScore, box: { x, y, width, height } };
}

/** Human meets a missing model file with a stack trace on the console and a crash later: check first. */
async function checkModelFiles(modelsUrl: string): Promise<void> {
  const folder = fileURLToPath(modelsUrl);
  const wanted = REQUIRED_MODELS.flatMap((name) => [`${name}.json`, `${name}.bin`]);
  const missing = (await Promise.all(wanted.map((file) => access(path.join(folder, file)).then(() => null, () => file)))).filter((file) => file !== null);
  if (missing.length > 0) throw new Error(`model files missing in ${folder}: ${missing.join(', ')}`);
}

export async function loadFaceModel(files: EncoderFiles): Promise<FaceModel> {
  await checkModelFiles(files.modelsUrl);
  const tf = require('@tensorflow/tfjs-core') as typeof Tf;
  loadModelsFromDiskOnly(tf, files.modelsUrl);
  const { Human } = require(files.humanScript) as typeof import('@vladmandic/human');
  const human: HumanInstance = new Human({ ...CONFIG, modelBasePath: files.modelsUrl, wasmPath: files.wasmDir });
  await human.load();
  // Human logs a model it cannot read and carries on without it: every image would then be "no face".
  const missing = REQUIRED_MODELS.filter((name) => !human.models.loaded().includes(name));
  if (missing.length > 0) throw new Error(`model files not loaded from ${files.modelsUrl}: ${missing.join(', ')}`);
  const describe = async (image: RgbImage): Promise<FaceEmbedding> => {
    const input = tf.tensor3d(image.pixels, [image.height, image.width, 3], 'int32');
    try {
      const result = await human.detect(input);
      if (result.error) throw new Error(result.error);
      return verdict(result.face[0]);
    } finally {
      input.dispose();
    }
  };
  // The first detection compiles the WebAssembly kernels (hundreds of ms): pay it here, not in a request.
  await describe({ pixels: new Uint8Array(64 * 64 * 3), width: 64, height: 64 });
  return { describe };
}
