// Picks the image backend from config and wraps it in the pacer, so every backend is paced the same way.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ImageGenerator } from '../ports.js';
import { createComfyUiGenerator } from './comfyui/index.js';
import { OfflineRenderer } from './offline/index.js';
import { PacedGenerator } from './paced.js';
import { createRunPodGenerator } from './runpod/index.js';

/** In-flight limits when GENERATOR_MAX_CONCURRENCY is not set: what each backend can usefully take at once. */
const DEFAULT_CONCURRENCY: Record<Config['IMAGE_GENERATOR'], number> = {
  // CPU-bound renders: more in flight than cores only adds latency.
  offline: 2,
  // Until the endpoint's max workers setting is read (the pacer then follows it); 429s and queue growth back off.
  runpod: 10,
  // ComfyUI runs one prompt at a time; a second in flight keeps its queue from running dry.
  comfyui: 2,
};

export function pacedFor(generator: ImageGenerator, config: Config, logger?: Logger): PacedGenerator {
  return new PacedGenerator(generator, {
    maxConcurrency: config.GENERATOR_MAX_CONCURRENCY ?? DEFAULT_CONCURRENCY[config.IMAGE_GENERATOR],
    minSpacingMs: config.GENERATOR_MIN_SPACING_MS ?? 0,
    avatarReserve: config.GENERATOR_AVATAR_RESERVE,
    // With no operator limit, keep exactly as many requests in flight as the backend says it can run.
    followBackendLimit: config.GENERATOR_MAX_CONCURRENCY === undefined,
    ...(logger ? { logger } : {}),
  });
}

function createBackend(config: Config, logger: Logger): ImageGenerator {
  switch (config.IMAGE_GENERATOR) {
    case 'offline':
      return new OfflineRenderer();
    case 'runpod':
      return createRunPodGenerator(config, logger);
    case 'comfyui':
      return createComfyUiGenerator(config, logger);
  }
}

export function createImageGenerator(config: Config, logger: Logger): PacedGenerator {
  return pacedFor(createBackend(config, logger), config, logger);
}
