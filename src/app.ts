// The composition root: config → database → storage → generator → queue → progress → HTTP and/or worker.
// Everything else receives its collaborators through constructors; tests start the same service with a
// different generator or store through `overrides`.
import path from 'node:path';
import type { Config } from './config.js';
import { DevModeAuthenticator } from './auth/authenticator.js';
import { createAuthenticator } from './auth/index.js';
import { connectDatabase } from './db/connect.js';
import { createImageGenerator, pacedFor } from './generators/index.js';
import { InstrumentedGenerator } from './generators/instrumented.js';
import type { Services } from './graphql/context.js';
import { buildGraphQLSchema } from './graphql/schema.js';
import { OriginPolicy } from './http/origins.js';
import { portChecks, READY_PROBE_TIMEOUT_MS } from './http/readiness.js';
import { startHttpServer, type RunningHttpServer } from './http/server.js';
import { HumanFaceEncoder } from './identity/faceEncoder.js';
import { createLogger, type Logger } from './logger.js';
import { PrometheusMetrics } from './metrics/prometheus.js';
import { MongooseCharacterRepository } from './models/character.repository.js';
import { MongooseCharacterImageRepository } from './models/characterImages.repository.js';
import { CharacterModel } from './models/character.js';
import { cancelReferenceSet } from './pipeline/cancelReferenceSet.js';
import { compareToCharacter } from './pipeline/compareToCharacter.js';
import { CharacterImageRunner } from './pipeline/characterImageRun.js';
import { createCharacter } from './pipeline/createCharacter.js';
import { createCharacters } from './pipeline/createCharacters.js';
import { deleteCharacter } from './pipeline/deleteCharacter.js';
import { exportTrainingSet } from './pipeline/exportTrainingSet.js';
import { generateCharacterImage } from './pipeline/generateCharacterImage.js';
import { ReferenceSetGenerator } from './pipeline/referenceSet.js';
import { regenerateVariation } from './pipeline/regenerateVariation.js';
import { SetResumer } from './pipeline/resumer.js';
import { retryFailedVariations } from './pipeline/retryFailedVariations.js';
import type { SetControlDeps } from './pipeline/setControl.js';
import { IdentityScorer } from './pipeline/identityScorer.js';
import { generationSettings } from './pipeline/settings.js';
import { pendingImageLimit, UserLimits, userLimitSettings } from './pipeline/userLimits.js';
import type { IdentityEncoder, ImageGenerator, ObjectStore } from './ports.js';
import { createProgressBus } from './progress/index.js';
import { createJobQueue } from './queue/index.js';
import { LocalImageSpool } from './spool/local.js';
import { createObjectStore } from './storage/index.js';

export interface ServiceOverrides {
  /** Replaces the configured backend; still paced by the configured limits. */
  generator?: ImageGenerator;
  store?: ObjectStore;
  logger?: Logger;
  /** Replaces the face encoder of IDENTITY=on (tests give one whose model files are missing). */
  identityEncoder?: IdentityEncoder;
}

export interface RunningService {
  /** http://host:port, without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startService(config: Config, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const logger = overrides.logger ?? createLogger(config);
  // First, so a service that must not run this way (dev mode in production) stops before opening anything.
  const authenticator = createAuthenticator(config);
  const database = await connectDatabase(config, logger);
  await CharacterModel.init();

  const characters = new MongooseCharacterRepository();
  // Without PUBLIC_URL, local file URLs use the address the server really listens on (PORT=0 picks one).
  let publicUrl = config.publicUrl;
  const store = overrides.store ?? (await createObjectStore(config, () => publicUrl, logger));
  const paced = overrides.generator ? pacedFor(overrides.generator, config, logger) : createImageGenerator(config, logger);
  const metrics = config.METRICS === 'on' ? new PrometheusMetrics({ pacer: paced, setCounts: () => characters.countSetsByStatus(), logger }) : undefined;
  // Outside the pacer, so it sees each request's wait in line and its time at the backend apart.
  const generator = metrics ? new InstrumentedGenerator(paced, metrics) : paced;
  const progress = await createProgressBus(config, logger);
  const queue = await createJobQueue(config, logger);
  const settings = generationSettings(config);
  const spool = new LocalImageSpool(path.join(config.dataDir, 'spool'));
  // The encoder loads nothing until its first image (a worker thread of its own, started then).
  const identity =
    config.IDENTITY === 'on'
      ? new IdentityScorer(overrides.identityEncoder ?? new HumanFaceEncoder(), { minSimilarity: config.identityMinSimilarity, maxRegenerations: config.IDENTITY_MAX_REGENERATIONS }, logger)
      : null;
  const sets = new ReferenceSetGenerator({ characters, generator, store, spool, progress, settings, logger, leaseMs: config.SET_LEASE_MS, identity, ...(metrics ? { metrics } : {}) });
  const metadata = { generator: generator.name, negativePrompt: settings.negativePrompt };
  const images = new MongooseCharacterImageRepository();
  // Runs where the request arrives (an API process has the generator for avatars anyway); the resumer of any
  // worker takes over what a stopped or crashed process left.
  const imageRunner = new CharacterImageRunner({ images, generator, store, progress, settings, logger, leaseMs: config.SET_LEASE_MS });
  const resumer = new SetResumer({ characters, queue, store, spool, metadata, images: imageRunner, logger });
  const control: SetControlDeps = { characters, store, spool, progress, queue, metadata, logger };
  logger.info({ generator: generator.name, store: store.name, role: config.ROLE, identity: identity ? { model: identity.model, minSimilarity: identity.settings.minSimilarity, maxRegenerations: identity.settings.maxRegenerations } : 'off' }, 'backends selected');

  const runsWorker = config.ROLE !== 'api';
  if (runsWorker) {
    queue.start((characterId) => sets.run(characterId));
    resumer.start(config.SET_LEASE_MS);
  }

  const limitSettings = userLimitSettings(config);
  const limits = new UserLimits(characters, limitSettings);
  const createOne: Services['createCharacter'] = (owner, input) => createCharacter({ characters, generator, store, queue, settings, logger, limits }, owner, input);
  const services: Services = {
    characters,
    progress,
    urls: store,
    createCharacter: createOne,
    createCharacters: (owner, inputs) => createCharacters({ createCharacter: createOne, logger }, owner, inputs),
    regenerateVariation: (viewer, id, variation, seed) => regenerateVariation(control, viewer, id, variation, seed),
    retryFailedVariations: (viewer, id) => retryFailedVariations(control, viewer, id),
    cancelReferenceSet: (viewer, id) => cancelReferenceSet(control, viewer, id),
    deleteCharacter: (viewer, id) => deleteCharacter(control, viewer, id),
    exportTrainingSet: (viewer, request) => exportTrainingSet({ characters, store }, viewer, request),
    compareToCharacter: (viewer, id, imageBase64) => compareToCharacter({ characters, store, identity }, viewer, id, imageBase64),
    generateCharacterImage: (viewer, request) =>
      generateCharacterImage({ characters, images, start: (id, imageId) => void imageRunner.start(id, imageId), maxPendingPerUser: pendingImageLimit(config) }, viewer, request),
  };
  logger[authenticator instanceof DevModeAuthenticator ? 'warn' : 'info']({ limits: limitSettings }, `authentication: ${authenticator.description}`);
  const http: RunningHttpServer | null = config.ROLE === 'worker' ? null : await startHttpServer(
    {
      schema: await buildGraphQLSchema(progress),
      services,
      authenticator,
      logger,
      localFilesRoot: store.name === 'local' ? config.objectsDir : null,
      maxBodyBytes: config.MAX_BODY_BYTES,
      queryLimits: { maxDepth: config.GRAPHQL_MAX_DEPTH, maxCost: config.GRAPHQL_MAX_COST, maxTokens: config.GRAPHQL_MAX_TOKENS },
      landingPage: config.NODE_ENV !== 'production',
      origins: new OriginPolicy(config.allowedOrigins, config.PUBLIC_URL),
      // Single-user development only (production refuses that mode): there the caller is the developer.
      errorDetails: authenticator instanceof DevModeAuthenticator,
      readinessChecks: [{ name: 'database', probe: () => database.ping(READY_PROBE_TIMEOUT_MS) }, ...portChecks({ queue, store, generator })],
      ...(metrics ? { metrics, metricsEndpoint: { exposition: metrics, token: config.METRICS_TOKEN } } : {}),
    },
    config.HOST,
    config.PORT,
  );
  const port = http?.port ?? 0;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  if (!config.PUBLIC_URL && http) publicUrl = config.publicUrl.replace(/:\d+$/, `:${port}`);
  if (http) logger.info({ url: `${url}/graphql` }, 'charsheet is listening');

  return {
    url,
    port,
    close: async () => {
      resumer.stop();
      await http?.close();
      sets.stop();
      await imageRunner.stop();
      await queue.close();
      generator.close?.();
      await identity?.encoder.close();
      await progress.close();
      await database.close();
    },
  };
}
