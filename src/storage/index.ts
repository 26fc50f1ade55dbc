import type { Config } from '../config.js';
import type { ObjectStore } from '../ports.js';
import { createCloudinaryStore } from './cloudinary.js';
import { LocalObjectStore } from './local.js';

/** `publicUrl` gives the base of local file URLs, known for sure only once the HTTP server listens. */
export function createObjectStore(config: Config, publicUrl: () => string): ObjectStore {
  switch (config.OBJECT_STORE) {
    case 'local':
      return new LocalObjectStore(config.objectsDir, publicUrl);
    case 'cloudinary':
      return createCloudinaryStore(config);
  }
}
