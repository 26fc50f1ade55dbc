import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ObjectStore } from '../ports.js';
import { LocalObjectStore } from './local.js';

/**
 * `publicUrl` gives the base of local file URLs, known for sure only once the HTTP server listens. The
 * Cloudinary SDK is loaded only when it is the configured store.
 */
export async function createObjectStore(config: Config, publicUrl: () => string, logger?: Logger): Promise<ObjectStore> {
  switch (config.OBJECT_STORE) {
    case 'local':
      return LocalObjectStore.open(config.objectsDir, path.join(config.dataDir, 'tmp', 'objects'), publicUrl, logger);
    case 'cloudinary':
      return (await import('./cloudinary.js')).createCloudinaryStore(config);
  }
}
