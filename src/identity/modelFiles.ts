// The encoder's files, all inside installed npm packages, and the only way its models are read: from those
// folders on disk. Nothing here reaches the network — Node's fetch refuses file:// URLs, and tfjs without
// tfjs-node has no file loader, so the models get a loader of their own that reads files and refuses every
// other URL.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

export interface EncoderFiles {
  /** Human's Node build for the WebAssembly backend (its package `exports` hide it, so it is loaded by path). */
  humanScript: string;
  /** Folder of the model JSON + weight files, as a file:// URL ending in '/'. */
  modelsUrl: string;
  /** Folder of tfjs-backend-wasm's .wasm binaries, ending in '/'. */
  wasmDir: string;
  humanVersion: string;
}

/** Where the installed packages keep the encoder's files. Throws when a package is not installed. */
export function encoderFiles(): EncoderFiles {
  // The package's main entry is dist/human.node.js; its package.json is not exported, so walk up from there.
  const humanRoot = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
  const wasmRoot = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const manifest = require(path.join(humanRoot, 'package.json')) as { version: string };
  return {
    humanScript: path.join(humanRoot, 'dist', 'human.node-wasm.js'),
    modelsUrl: pathToFileURL(path.join(humanRoot, 'models') + path.sep).href,
    wasmDir: path.join(wasmRoot, 'dist') + path.sep,
    humanVersion: manifest.version,
  };
}

type ArtifactsLoader = (manifest: Tf.io.WeightsManifestConfig) => Promise<[Tf.io.WeightsManifestEntry[], Tf.io.WeightData]>;

/** Reads the weight files a model.json names, from the folder beside it, into one buffer. */
function weightsFrom(folder: string): ArtifactsLoader {
  return async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const files = await Promise.all(manifest.flatMap((group) => group.paths).map((file) => readFile(path.join(folder, path.basename(file)))));
    const all = Buffer.concat(files);
    return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
  };
}

/**
 * Lets tfjs load models from `modelsUrl` (file://) and nothing else: URLs outside that folder find no
 * loader and fail, and `fetch` is replaced by one that refuses, so a mistyped path can never fall back to
 * downloading a model from a CDN (Human's default).
 */
export function loadModelsFromDiskOnly(tf: typeof Tf, modelsUrl: string): void {
  const folder = fileURLToPath(modelsUrl);
  // A router returns null for URLs it does not handle (tfjs's router_registry), which its type leaves out.
  const notMine = null as unknown as Tf.io.IOHandler;
  tf.io.registerLoadRouter((url) => {
    const target = Array.isArray(url) ? url[0] : url;
    if (typeof target !== 'string' || !target.startsWith(modelsUrl)) return notMine;
    const file = fileURLToPath(target);
    if (path.dirname(file) + path.sep !== folder) return notMine;
    return {
      load: async () => tf.io.getModelArtifactsForJSON(JSON.parse(await readFile(file, 'utf8')) as Tf.io.ModelJSON, weightsFrom(folder)),
    };
  });
  globalThis.fetch = (input) => Promise.reject(new Error(`the identity encoder reads only installed files; refused to fetch ${String(input)}`));
}
