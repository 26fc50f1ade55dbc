// ProgressBus over Redis pub/sub, for API and worker processes apart: workers publish to Redis, every API
// process receives all progress (one pattern subscription) and fans it out locally to its own subscribers.
// Channels are named under QUEUE_PREFIX: pub/sub ignores Redis database numbers, so the prefix is what keeps
// two deployments on one Redis from hearing each other.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { CharacterImageEvent, ProgressBus, ProgressEvent } from '../ports.js';
import { withDeadline } from '../support/abort.js';
import { InProcessProgressBus } from './inProcess.js';

/** How long a start waits for Redis before it fails, rather than hanging with the port closed. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * ioredis retries a lost connection by itself and emits each failed attempt as an 'error' event, printed to
 * stderr when nobody listens: log the first of a run of failures instead, and say when it is back.
 */
export function logConnectionTrouble(client: Redis, logger: Logger, role: string): void {
  let failing = false;
  client.on('error', (error: Error) => {
    if (!failing) logger.warn({ role, reason: error.message }, 'Redis unreachable; retrying');
    failing = true;
  });
  client.on('ready', () => {
    if (failing) logger.info({ role }, 'Redis reachable again');
    failing = false;
  });
}

const DATE_FIELDS = new Set(['requestedAt', 'startedAt', 'completedAt', 'expiresAt']);

/** An image event's times travel as ISO strings; subscribers get the Dates the record has. */
function revivingDates(key: string, value: unknown): unknown {
  return DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value;
}

/** psubscribe takes a glob: a prefix's own glob characters are escaped so they match only themselves. */
const everyChannelUnder = (prefix: string) => `${prefix.replace(/[*?[\\\]]/g, '\\$&')}*`;

export class RedisProgressBus implements ProgressBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly local = new InProcessProgressBus();
  private readonly channelPrefix: string;
  private readonly imageChannelPrefix: string;

  private constructor(redisUrl: string, prefix: string, logger: Logger) {
    this.channelPrefix = `${prefix}:progress:`;
    this.imageChannelPrefix = `${prefix}:images:`;
    this.publisher = new Redis(redisUrl);
    this.subscriber = new Redis(redisUrl);
    logConnectionTrouble(this.publisher, logger, 'progress publisher');
    logConnectionTrouble(this.subscriber, logger, 'progress subscriber');
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      try {
        if (channel.startsWith(this.imageChannelPrefix)) void this.local.publishImage(JSON.parse(message, revivingDates) as CharacterImageEvent);
        else void this.local.publish(JSON.parse(message) as ProgressEvent);
      } catch (error) {
        logger.warn({ err: error }, 'ignored a malformed progress message');
      }
    });
  }

  /** `prefix`: QUEUE_PREFIX; only progress published under the same prefix is received. */
  static async connect(redisUrl: string, prefix: string, logger: Logger): Promise<RedisProgressBus> {
    const bus = new RedisProgressBus(redisUrl, prefix, logger);
    await withDeadline(() => bus.subscriber.psubscribe(everyChannelUnder(bus.channelPrefix), everyChannelUnder(bus.imageChannelPrefix)), CONNECT_TIMEOUT_MS, 'connecting to Redis (REDIS_URL)');
    return bus;
  }

  async publish(event: ProgressEvent): Promise<void> {
    await this.publisher.publish(`${this.channelPrefix}${event.characterId}`, JSON.stringify(event));
  }

  subscribe(characterId: string): AsyncIterableIterator<ProgressEvent> {
    return this.local.subscribe(characterId);
  }

  async publishImage(event: CharacterImageEvent): Promise<void> {
    await this.publisher.publish(`${this.imageChannelPrefix}${event.characterId}`, JSON.stringify(event));
  }

  subscribeImages(characterId: string): AsyncIterableIterator<CharacterImageEvent> {
    return this.local.subscribeImages(characterId);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
