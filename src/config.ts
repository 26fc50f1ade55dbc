// Every setting the service reads, parsed and validated in one place. Each has a default that works offline
// (embedded store, local disk, offline renderer); the README's configuration table lists the same names.
import path from 'node:path';
import { z } from 'zod';
import { defaultMinSimilarity } from './identity/calibration.js';

/** IDENTITY_STRENGTH's default: the weight the IPAdapter README advises (lower to 0.8) and InstantID's and PuLID's example default. */
export const DEFAULT_IDENTITY_STRENGTH = 0.8;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const JWS_ALGORITHMS = 'HS256|HS384|HS512|RS256|RS384|RS512|PS256|PS384|PS512|ES256|ES384|ES512|EdDSA';
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
  /** 'json': one JSON object per line (for log collectors); 'pretty': coloured lines for a human in development. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /**
   * Origins (scheme://host[:port], comma-separated) of pages on other sites allowed to call the API from a
   * browser: CORS over HTTP and the Origin check of WebSocket upgrades. The service's own origin always is.
   */
  ALLOWED_ORIGINS: optionalString.pipe(z.string().regex(/^https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*$/, 'must be comma-separated origins such as https://app.example.com (scheme and host, no path)').refine((list) => list.split(',').every((origin) => URL.canParse(origin.trim())), 'holds an origin that is not a valid URL').optional()),
  DATA_DIR: z.string().min(1).default('./data'),

  MONGODB_URI: optionalString.pipe(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional()),
  /** µs the embedded store's thread keeps polling after a request before it sleeps; 0 = never; unset: 250, or 0 on one core (packages/embedded-mongo/src/protocol/busyPoll.ts). */
  EMBEDDED_DB_BUSY_POLL_US: int(0, 100_000).optional(),
  /** With REDIS_URL the reference-set queue runs on BullMQ, so several processes share the work. */
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional()),
  /**
   * Names BullMQ's keys and the progress channels on Redis, so deployments sharing one Redis never see each
   * other's jobs or events; default `charsheet:<database name>` (the MONGODB_URI's database, else `charsheet`).
   */
  QUEUE_PREFIX: optionalString.pipe(z.string().max(100).regex(/^[A-Za-z0-9_.:{}-]+$/, 'letters, digits and _ . : - { } only').optional()),
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
  /** In-flight slots only avatars may use, so createCharacter never waits for a background image (kept below the limit). */
  GENERATOR_AVATAR_RESERVE: int(0, 1000).default(1),
  AVATAR_TIMEOUT_MS: int(1_000, 900_000).default(120_000),
  VARIATION_TIMEOUT_MS: int(1_000, 3_600_000).default(600_000),
  /** Attempts per variation including the first; failures past this are recorded and skipped. */
  VARIATION_MAX_ATTEMPTS: int(1, 20).default(3),
  RETRY_BASE_DELAY_MS: int(0, 600_000).default(1_000),
  /** How long what an interrupted createCharacter left (an invisible record, its avatar) waits before the sweep removes it. */
  UNCOMMITTED_CLEANUP_MS: int(1_000, 86_400_000).default(600_000),
  /** A worker's claim on a set lasts this long unless renewed; after a crash, its sets resume once it passes. */
  SET_LEASE_MS: int(1_000, 3_600_000).default(30_000),
  /** Largest accepted HTTP request body. */
  MAX_BODY_BYTES: int(1_024, 50_000_000).default(1_000_000),
  /** Reference sets generated at once by this process. */
  WORKER_CONCURRENCY: int(1, 1000).default(4),

  /** Score every reference image with a face embedding and regenerate those that drift from the character. */
  IDENTITY: z.enum(['on', 'off']).default('on'),
  /** Below this similarity an image shows another character; unset: calibrated per generator (src/identity/calibration.ts). */
  IDENTITY_MIN_SIMILARITY: z.coerce.number().min(0).max(1).optional(),
  /** New seeds tried for a variation that drifted, keeping the best; 0 only scores. */
  IDENTITY_MAX_REGENERATIONS: int(0, 10).default(2),

  OBJECT_STORE: z.enum(['local', 'cloudinary']).default('local'),
  CLOUDINARY_URL: optionalString.pipe(z.string().regex(/^cloudinary:\/\/[^:]+:[^@]+@.+/, 'must look like cloudinary://KEY:SECRET@CLOUD_NAME').optional()),
  /** Overrides the Cloudinary upload API host (a proxy or a test double); https only, as the SDK picks its transport at load. */
  CLOUDINARY_UPLOAD_PREFIX: optionalString.pipe(z.url().regex(/^https:\/\//, 'must be an https:// URL').optional()),
  /** Delivery host for URLs when the account has a custom CNAME or private CDN (host[:port], no scheme). */
  CLOUDINARY_SECURE_DISTRIBUTION: optionalString.pipe(z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'must be a host name such as images.example.com').optional()),

  RUNPOD_API_KEY: optionalString,
  RUNPOD_ENDPOINT_ID: optionalString,
  RUNPOD_BASE_URL: z.url().default('https://api.runpod.ai/v2'),
  /** RunPod's management API, read for the endpoint's max workers when GENERATOR_MAX_CONCURRENCY is not set. */
  RUNPOD_REST_URL: z.url().default('https://rest.runpod.io/v1'),
  /** The request `input` template: a JSON file path or inline JSON; default the bundled plain SDXL input (docs/backends.md). */
  RUNPOD_INPUT_TEMPLATE: optionalString,
  /** The `input` for requests conditioned on the avatar (a {{reference_image}} slot); unset: no conditioning. */
  RUNPOD_IDENTITY_TEMPLATE: optionalString,
  /** 'runsync' answers as soon as the image is done (polling /status if it is not done in time); 'run' always polls. */
  RUNPOD_MODE: z.enum(['runsync', 'run']).default('runsync'),
  /** Longest gap between two /status polls (polling starts faster and backs off to this). */
  RUNPOD_POLL_INTERVAL_MS: int(50, 60_000).default(2_000),
  /** A job not finished this long after submission is cancelled (POST /cancel) and reported as a retryable timeout. */
  RUNPOD_JOB_TIMEOUT_MS: int(5_000, 3_600_000).default(600_000),
  COMFYUI_URL: z.url().default('http://127.0.0.1:8188'),
  /** ComfyUI API-format workflow JSON file; defaults to the bundled SDXL text-to-image workflow. */
  COMFYUI_WORKFLOW: optionalString,
  /** Workflow for requests conditioned on the avatar: a LoadImage with "{{reference_image}}"; unset: no conditioning. */
  COMFYUI_IDENTITY_WORKFLOW: optionalString,
  /** Node ids in the workflow: positive and negative CLIPTextEncode, the KSampler (seed), EmptyLatentImage (size). */
  COMFYUI_PROMPT_NODE: z.string().min(1).default('6'),
  COMFYUI_NEGATIVE_NODE: z.string().min(1).default('7'),
  COMFYUI_SAMPLER_NODE: z.string().min(1).default('3'),
  COMFYUI_LATENT_NODE: z.string().min(1).default('5'),
  /** The node whose images are the result; default the first node in /history that output any. */
  COMFYUI_OUTPUT_NODE: optionalString,
  /** Longest gap between two /history polls when the /ws socket is unavailable. */
  COMFYUI_POLL_INTERVAL_MS: int(50, 60_000).default(1_000),

  /** 'avatar': variations are conditioned on the stored avatar; unset: 'avatar' when the backend has an identity template. */
  IDENTITY_CONDITIONING: z.enum(['avatar', 'none']).optional(),
  /** Weight of the identity node ({{identity_strength}}); 0.8 is what the IPAdapter, InstantID and PuLID packs suggest. */
  IDENTITY_STRENGTH: z.coerce.number().min(0).max(3).default(DEFAULT_IDENTITY_STRENGTH),

  /** Owner of every character while no authentication is configured (single-user development mode). */
  DEV_USERNAME: z.string().min(1).max(64).default('dev'),

  // Authentication (docs/auth.md). Setting any of AUTH_JWT_SECRET, AUTH_JWKS_URL, AUTH_API_KEYS leaves dev mode.
  /** HS256 shared secret of the character app's login; RFC 7518 wants at least 256 bits. */
  AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters (HS256 needs a 256-bit key)').optional()),
  /** JWKS of the character app's login (RS256/ES256 tokens). */
  AUTH_JWKS_URL: optionalString.pipe(z.url().optional()),
  AUTH_JWT_ISSUER: optionalString,
  /** One audience, or several separated by commas. */
  AUTH_JWT_AUDIENCE: optionalString,
  /** Accepted signing algorithms, comma-separated; defaults to HS256 with a secret, RS256,ES256 with a JWKS. */
  AUTH_JWT_ALGORITHMS: optionalString.pipe(z.string().regex(new RegExp(`^(${JWS_ALGORITHMS})(,(${JWS_ALGORITHMS}))*$`), 'comma-separated JWS algorithms such as RS256,ES256').optional()),
  AUTH_USERNAME_CLAIM: z.string().min(1).default('sub'),
  /** Claim holding roles (a string, a space-separated string or an array); AUTH_ADMIN_VALUE in it makes an admin. */
  AUTH_ADMIN_CLAIM: z.string().min(1).default('roles'),
  AUTH_ADMIN_VALUE: z.string().min(1).default('charsheet-admin'),
  AUTH_CLOCK_TOLERANCE_SECONDS: int(0, 300).default(5),
  /** Server-to-server keys as comma-separated `name:sha256-hex-of-key` entries; callers send X-Api-Key + X-On-Behalf-Of. */
  AUTH_API_KEYS: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_.-]+:[0-9a-f]{64}(,[A-Za-z0-9_.-]+:[0-9a-f]{64})*$/, 'must be comma-separated name:sha256hex entries (64 lower-case hex digits)').optional()),

  /** Per user: reference sets pending or generating at once; 0 = no limit. Default 5 with auth, none in dev mode. */
  USER_MAX_GENERATING: int(0, 100_000).optional(),
  /** Per user: characters created in any 24 hours; 0 = no limit. Default 200 with auth, none in dev mode. */
  USER_MAX_CHARACTERS_PER_DAY: int(0, 10_000_000).optional(),
  /** Per user: generateCharacterImage images pending or generating at once; 0 = no limit. Default 10 with auth, none in dev mode. */
  USER_MAX_PENDING_IMAGES: int(0, 100_000).optional(),
  /** GraphQL documents: nesting depth of selections, estimated cost, and lexer tokens (HTTP and WebSocket). */
  GRAPHQL_MAX_DEPTH: int(2, 100).default(20),
  GRAPHQL_MAX_COST: int(10, 100_000_000).default(100_000),
  GRAPHQL_MAX_TOKENS: int(100, 1_000_000).default(10_000),

  /** GET /metrics in the Prometheus text format (docs/metrics.md); 'off' also skips measuring. */
  METRICS: z.enum(['on', 'off']).default('on'),
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it is open like /ready. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** IDENTITY_CONDITIONING resolved: whether variation requests should carry the avatar as a reference. */
  identityConditioning: 'avatar' | 'none';
  dataDir: string;
  publicUrl: string;
  /** Where the embedded MongoDB-compatible store keeps its files when MONGODB_URI is not set. */
  embeddedDbDir: string;
  /** Where the local object store keeps images. */
  objectsDir: string;
  /** IDENTITY_MIN_SIMILARITY, or the calibrated default for IMAGE_GENERATOR. */
  identityMinSimilarity: number;
  /** ALLOWED_ORIGINS as normalised origins (URL.origin), empty when unset. */
  allowedOrigins: string[];
  /** QUEUE_PREFIX, or the default derived from the database name. */
  queuePrefix: string;
}

/** The database a MongoDB URI names (its path), `test` as the driver defaults to when it names none; `charsheet` for the embedded store. */
function databaseName(mongodbUri: string | undefined): string {
  if (!mongodbUri) return 'charsheet';
  const name = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(mongodbUri)?.[1];
  return name ? decodeURIComponent(name) : 'test';
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** True when callers must authenticate; false means single-user development mode. */
export function authConfigured(values: Pick<Env, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL' | 'AUTH_API_KEYS'>): boolean {
  return Boolean(values.AUTH_JWT_SECRET || values.AUTH_JWKS_URL || values.AUTH_API_KEYS);
}

const IDENTITY_TEMPLATE_SETTING = { comfyui: 'COMFYUI_IDENTITY_WORKFLOW', runpod: 'RUNPOD_IDENTITY_TEMPLATE' } as const;

/** The identity template setting of a GPU backend, and whether it is set; null for the offline renderer. */
function identityTemplateOf(values: Env): { setting: string; value: string | undefined } | null {
  if (values.IMAGE_GENERATOR === 'offline') return null;
  const setting = IDENTITY_TEMPLATE_SETTING[values.IMAGE_GENERATOR];
  return { setting, value: values[setting] };
}

/**
 * Explicit 'avatar' needs somewhere to put the avatar; unset means 'avatar' where there is one. The offline
 * renderer counts as conditioned: it draws the same character by construction and ignores references.
 */
function resolveIdentityConditioning(values: Env, problems: string[]): 'avatar' | 'none' {
  const template = identityTemplateOf(values);
  if (values.IDENTITY_CONDITIONING === 'avatar' && template && !template.value) {
    problems.push(`  IDENTITY_CONDITIONING: 'avatar' with IMAGE_GENERATOR=${values.IMAGE_GENERATOR} needs ${template.setting} (a template with a {{reference_image}} slot, docs/backends.md)`);
  }
  return values.IDENTITY_CONDITIONING ?? (template && !template.value ? 'none' : 'avatar');
}

function authProblems(values: Env): string[] {
  const problems: string[] = [];
  const jwt = Boolean(values.AUTH_JWT_SECRET || values.AUTH_JWKS_URL);
  if (values.AUTH_JWT_SECRET && values.AUTH_JWKS_URL) problems.push('  AUTH_JWT_SECRET, AUTH_JWKS_URL: set one of them, not both');
  if (jwt && !values.AUTH_JWT_ISSUER) problems.push('  AUTH_JWT_ISSUER: required with AUTH_JWT_SECRET or AUTH_JWKS_URL');
  if (jwt && !values.AUTH_JWT_AUDIENCE) problems.push('  AUTH_JWT_AUDIENCE: required with AUTH_JWT_SECRET or AUTH_JWKS_URL');
  // A JWT setting without a key usually means a misspelt key variable; falling back to dev mode would be silent.
  if (!jwt && (values.AUTH_JWT_ISSUER || values.AUTH_JWT_AUDIENCE || values.AUTH_JWT_ALGORITHMS)) problems.push('  AUTH_JWT_*: set, but neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is');
  const algorithms = values.AUTH_JWT_ALGORITHMS?.split(',') ?? [];
  if (values.AUTH_JWT_SECRET && algorithms.some((alg) => !alg.startsWith('HS'))) problems.push('  AUTH_JWT_ALGORITHMS: a shared secret verifies HS256/HS384/HS512 only');
  if (values.AUTH_JWKS_URL && algorithms.some((alg) => alg.startsWith('HS'))) problems.push('  AUTH_JWT_ALGORITHMS: a JWKS verifies asymmetric algorithms only (RS*, PS*, ES*, EdDSA)');
  if (values.NODE_ENV === 'production' && !authConfigured(values)) {
    problems.push('  NODE_ENV: production refuses single-user development mode; configure AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS (docs/auth.md)');
  }
  return problems;
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
  problems.push(...authProblems(values));
  const identityConditioning = resolveIdentityConditioning(values, problems);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);

  const dataDir = path.resolve(values.DATA_DIR);
  const publicHost = values.HOST === '0.0.0.0' || values.HOST === '::' ? '127.0.0.1' : values.HOST;
  return {
    ...values,
    identityConditioning,
    dataDir,
    publicUrl: (values.PUBLIC_URL ?? `http://${publicHost}:${values.PORT}`).replace(/\/+$/, ''),
    embeddedDbDir: path.join(dataDir, 'db'),
    objectsDir: path.join(dataDir, 'objects'),
    identityMinSimilarity: values.IDENTITY_MIN_SIMILARITY ?? defaultMinSimilarity(values.IMAGE_GENERATOR),
    allowedOrigins: values.ALLOWED_ORIGINS?.split(',').map((origin) => new URL(origin.trim()).origin) ?? [],
    queuePrefix: values.QUEUE_PREFIX ?? `charsheet:${databaseName(values.MONGODB_URI)}`,
  };
}
