// ObjectStore on Cloudinary through the official SDK. A key such as `characters/dev/mira/embeddings/portrait_front.png`
// becomes public_id `characters/dev/mira/embeddings/portrait_front` (raw files keep their extension) and
// asset_folder `characters/dev/mira/embeddings`: fixed-folder accounts file the asset by its public_id path,
// dynamic-folder accounts by asset_folder, so both show the seed's folder layout and serve the same URL.
// public_ids are deterministic and uploads overwrite, so a retried or resumed upload replaces, never duplicates.
import type { Agent } from 'node:https';
import https from 'node:https';
import path from 'node:path';
import { v2 as cloudinary, type UploadApiErrorResponse, type UploadApiOptions, type UploadApiResponse } from 'cloudinary';
import type { Config } from '../config.js';
import { BackendError } from '../domain/errors.js';
import type { ObjectStore, StoredObject } from '../ports.js';

const BACKEND = 'cloudinary';

export interface CloudinaryStoreOptions {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** Upload API origin; default https://api.cloudinary.com. */
  uploadPrefix?: string;
  /** Delivery host of a private CDN or CNAME (host[:port]); default res.cloudinary.com. */
  secureDistribution?: string;
  /** TLS agent for upload and delivery (a corporate CA, a test server's certificate). */
  agent?: Agent;
  timeoutMs?: number;
}

interface Asset {
  publicId: string;
  resourceType: 'image' | 'raw';
  format?: string;
  folder: string;
}

/** How a store key maps onto Cloudinary's asset identity. */
export function assetOf(key: string, contentType: string): Asset {
  const folder = path.posix.dirname(key);
  if (!contentType.startsWith('image/')) return { publicId: key, resourceType: 'raw', folder };
  const extension = path.posix.extname(key);
  return { publicId: extension ? key.slice(0, -extension.length) : key, resourceType: 'image', format: extension.slice(1) || undefined, folder };
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif|avif)$/i;

/** The asset behind a key when only the key is known (its extension says image or raw). */
function assetOfKey(key: string): Asset {
  return assetOf(key, IMAGE_EXTENSIONS.test(key) ? 'image/*' : 'application/octet-stream');
}

/** Parses CLOUDINARY_URL (cloudinary://KEY:SECRET@CLOUD_NAME). */
export function credentialsFromUrl(url: string): Pick<CloudinaryStoreOptions, 'cloudName' | 'apiKey' | 'apiSecret'> {
  const match = /^cloudinary:\/\/([^:]+):([^@]+)@([^/?#]+)/.exec(url);
  if (!match) throw new Error('CLOUDINARY_URL must look like cloudinary://KEY:SECRET@CLOUD_NAME');
  return { apiKey: decodeURIComponent(match[1]!), apiSecret: decodeURIComponent(match[2]!), cloudName: match[3]! };
}

export class CloudinaryObjectStore implements ObjectStore {
  readonly name = BACKEND;
  /**
   * Why the last upload or read failed, until one succeeds again: readiness is judged from the traffic itself,
   * since an extra probe would spend the account's Admin API quota (500 calls an hour on most plans) on
   * every orchestrator poll. Null before the first call too: the first upload tells.
   */
  private lastFailure: BackendError | null = null;

  constructor(private readonly options: CloudinaryStoreOptions) {}

  async ready(): Promise<void> {
    if (this.lastFailure) throw this.lastFailure;
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<StoredObject> {
    const asset = assetOf(key, contentType);
    const uploadOptions: UploadApiOptions = {
      public_id: asset.publicId,
      asset_folder: asset.folder,
      resource_type: asset.resourceType,
      overwrite: true,
      unique_filename: false,
      use_filename: false,
      // A replaced image must not keep being served from the CDN's cache.
      invalidate: true,
      ...this.connection(),
    };
    const result = await this.observed(this.upload(uploadOptions, body, key));
    return { key, version: String(result.version), bytes: result.bytes ?? body.byteLength };
  }

  async get(key: string): Promise<Uint8Array | null> {
    const url = this.url(key);
    return this.observed(new Promise((resolve, reject) => {
      const request = https.get(url, { agent: this.options.agent, timeout: this.options.timeoutMs ?? 60_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(this.failure(`reading ${key}`, error)));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status === 404) return resolve(null);
          if (status !== 200) return reject(new BackendError(BACKEND, `reading ${key} failed with HTTP ${status}`, status >= 500 || status === 429 || status === 420));
          resolve(new Uint8Array(Buffer.concat(chunks)));
        });
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', (error) => reject(this.failure(`reading ${key}`, error)));
    }));
  }

  private async observed<T>(operation: Promise<T>): Promise<T> {
    try {
      const result = await operation;
      this.lastFailure = null;
      return result;
    } catch (error) {
      if (error instanceof BackendError) this.lastFailure = error;
      throw error;
    }
  }

  url(key: string, version?: string): string {
    const asset = assetOfKey(key);
    return cloudinary.url(asset.publicId, {
      secure: true,
      ...(version ? { version } : {}),
      cloud_name: this.options.cloudName,
      resource_type: asset.resourceType,
      format: asset.format,
      secure_distribution: this.options.secureDistribution,
      private_cdn: Boolean(this.options.secureDistribution),
      urlAnalytics: false,
    });
  }

  async delete(key: string): Promise<void> {
    const asset = assetOfKey(key);
    try {
      await cloudinary.uploader.destroy(asset.publicId, { resource_type: asset.resourceType, invalidate: true, ...this.connection() });
    } catch (error) {
      throw this.failure(`removing ${key}`, error);
    }
  }

  /** Admin API: up to 1,000 assets per call, so a partial answer is followed by its next_cursor. */
  async deletePrefix(prefix: string): Promise<void> {
    for (const resourceType of ['image', 'raw'] as const) {
      let cursor: string | undefined;
      do {
        try {
          const answer = (await cloudinary.api.delete_resources_by_prefix(prefix, { resource_type: resourceType, invalidate: true, ...(cursor ? { next_cursor: cursor } : {}), ...this.connection() })) as { partial?: boolean; next_cursor?: string };
          cursor = answer.partial ? answer.next_cursor : undefined;
        } catch (error) {
          throw this.failure(`removing ${prefix}`, error);
        }
      } while (cursor);
    }
    // The emptied folder would stay in the Media Library; removing it is tidiness, not a failure when refused.
    await cloudinary.api.delete_folder(prefix.replace(/\/+$/, ''), this.connection()).catch(() => undefined);
  }

  private connection(): UploadApiOptions {
    return {
      cloud_name: this.options.cloudName,
      api_key: this.options.apiKey,
      api_secret: this.options.apiSecret,
      upload_prefix: this.options.uploadPrefix,
      agent: this.options.agent,
      timeout: this.options.timeoutMs ?? 60_000,
    };
  }

  private upload(options: UploadApiOptions, body: Uint8Array, key: string): Promise<UploadApiResponse> {
    return new Promise((resolve, reject) => {
      const stream = cloudinary.uploader.upload_stream(options, (error?: UploadApiErrorResponse, result?: UploadApiResponse) => {
        if (error || !result) return reject(this.failure(`uploading ${key}`, error ?? new Error('no answer')));
        if (typeof result.secure_url !== 'string') return reject(new BackendError(BACKEND, `uploading ${key}: the answer has no secure_url`, true));
        resolve(result);
      });
      stream.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    });
  }

  /** Translates an SDK or transport error, keeping only what a retry decision and a human need. */
  private failure(what: string, error: unknown): BackendError {
    const { message = String(error), http_code: status } = (error ?? {}) as { message?: string; http_code?: number };
    const safe = [this.options.apiSecret, this.options.apiKey].reduce((text, secret) => text.split(secret).join('[redacted]'), message).slice(0, 300);
    if (status === 401 || status === 403) return new BackendError(BACKEND, `${what} was refused (HTTP ${status}): check CLOUDINARY_URL's key and secret (${safe})`, false);
    if (status === 420 || status === 429) return new BackendError(BACKEND, `${what} was rate-limited (HTTP ${status}): ${safe}`, true, 1_000);
    if (status !== undefined && status >= 400 && status < 500 && status !== 499) return new BackendError(BACKEND, `${what} was rejected (HTTP ${status}): ${safe}`, false);
    return new BackendError(BACKEND, `${what} failed${status ? ` (HTTP ${status})` : ''}: ${safe}`, true);
  }
}

export function createCloudinaryStore(config: Config): CloudinaryObjectStore {
  if (!config.CLOUDINARY_URL) throw new Error('CLOUDINARY_URL is required for OBJECT_STORE=cloudinary');
  return new CloudinaryObjectStore({
    ...credentialsFromUrl(config.CLOUDINARY_URL),
    uploadPrefix: config.CLOUDINARY_UPLOAD_PREFIX,
    secureDistribution: config.CLOUDINARY_SECURE_DISTRIBUTION,
  });
}
