// Every setting the service reads, parsed and validated in one place. Each has a default that works offline
// (embedded store, local disk, offline renderer); the README's configuration table lists the same names.
import path from 'node:path';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(4000),
  /** Base for absolute URLs of locally stored images; defaults to http://HOST:PORT. */
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),

  MONGODB_URI: optionalString.pipe(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional()),
  /** With REDIS_URL the reference-set queue runs on BullMQ, so several processes share the work. */
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional()),
  /** 'api' serves GraphQL only, 'worker' only generates; 'all' (default) does both in one process. */
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),

  IMAGE_GENERATOR: z.enum(['offline', 'runpod', 'comfyui']).default('offline'),
  IMAGE_WIDTH: int(64, 4096).default(512),
  IMAGE_HEIGHT: int(64, 4096).default(512),
  NEGATIVE_PROMPT: z.string().default('blurry, deformed, extra limbs, watermark, text, low quality'),
  /** Requests in flight toward the generator at once (RunPod: the endpoint's max workers). */
  GENERATOR_MAX_CONCURRENCY: int(1, 1000).optional(),
  /** Minimum gap between two submissions to the generator; the seed system used 2000. */
  GENERATOR_MIN_SPACING_MS: int(0, 600_000).optional(),
  AVATAR_TIMEOUT_MS: int(1_000, 900_000).default(120_000),
  VARIATION_TIMEOUT_MS: int(1_000, 3_600_000).default(600_000),
  /** Attempts per variation including the first; failures past this are recorded and skipped. */
  VARIATION_MAX_ATTEMPTS: int(1, 20).default(3),
  RETRY_BASE_DELAY_MS: int(0, 600_000).default(1_000),
  /** A worker's claim on a set lasts this long unless renewed; after a crash, its sets resume once it passes. */
  SET_LEASE_MS: int(1_000, 3_600_000).default(30_000),
  /** Largest accepted HTTP request body. */
  MAX_BODY_BYTES: int(1_024, 50_000_000).default(1_000_000),
  /** Reference sets generated at once by this process. */
  WORKER_CONCURRENCY: int(1, 1000).default(4),

  OBJECT_STORE: z.enum(['local', 'cloudinary']).default('local'),
  CLOUDINARY_URL: optionalString.pipe(z.string().regex(/^cloudinary:\/\/[^:]+:[^@]+@.+/, 'must look like cloudinary://KEY:SECRET@CLOUD_NAME').optional()),
  /** Overrides the Cloudinary upload API host (a proxy or a test double). */
  CLOUDINARY_UPLOAD_PREFIX: optionalString.pipe(z.url().optional()),

  RUNPOD_API_KEY: optionalString,
  RUNPOD_ENDPOINT_ID: optionalString,
  RUNPOD_BASE_URL: z.url().default('https://api.runpod.ai/v2'),
  /** JSON file with the request `input` template; placeholders are described in the README. */
  RUNPOD_INPUT_TEMPLATE: optionalString,
  COMFYUI_URL: z.url().default('http://127.0.0.1:8188'),
  /** ComfyUI API-format workflow JSON file; defaults to the bundled SDXL text-to-image workflow. */
  COMFYUI_WORKFLOW: optionalString,

  /** Owner of every character while no authentication is configured (single-user development mode). */
  DEV_USERNAME: z.string().min(1).max(64).default('dev'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
  publicUrl: string;
  /** Where the embedded MongoDB-compatible store keeps its files when MONGODB_URI is not set. */
  embeddedDbDir: string;
  /** Where the local object store keeps images. */
  objectsDir: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError listing every invalid setting by name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const problems: string[] = [];
  if (values.OBJECT_STORE === 'cloudinary' && !values.CLOUDINARY_URL) problems.push('  CLOUDINARY_URL: required when OBJECT_STORE=cloudinary');
  if (values.IMAGE_GENERATOR === 'runpod') {
    if (!values.RUNPOD_API_KEY) problems.push('  RUNPOD_API_KEY: required when IMAGE_GENERATOR=runpod');
    if (!values.RUNPOD_ENDPOINT_ID) problems.push('  RUNPOD_ENDPOINT_ID: required when IMAGE_GENERATOR=runpod');
  }
  if (values.ROLE !== 'all' && !values.REDIS_URL) problems.push(`  ROLE: '${values.ROLE}' needs REDIS_URL (api and worker processes meet through the queue)`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);

  const dataDir = path.resolve(values.DATA_DIR);
  const publicHost = values.HOST === '0.0.0.0' || values.HOST === '::' ? '127.0.0.1' : values.HOST;
  return {
    ...values,
    dataDir,
    publicUrl: (values.PUBLIC_URL ?? `http://${publicHost}:${values.PORT}`).replace(/\/+$/, ''),
    embeddedDbDir: path.join(dataDir, 'db'),
    objectsDir: path.join(dataDir, 'objects'),
  };
}
