// ProgressBus over Redis pub/sub, for API and worker processes apart: workers publish to Redis, every API
// process receives all progress (one pattern subscription) and fans it out locally to its own subscribers.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { ProgressBus, ProgressEvent } from '../ports.js';
import { InProcessProgressBus } from './inProcess.js';

const CHANNEL_PREFIX = 'charsheet:progress:';

export class RedisProgressBus implements ProgressBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly local = new InProcessProgressBus();

  private constructor(redisUrl: string, logger: Logger) {
    this.publisher = new Redis(redisUrl);
    this.subscriber = new Redis(redisUrl);
    this.subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => {
      try {
        void this.local.publish(JSON.parse(message) as ProgressEvent);
      } catch (error) {
        logger.warn({ err: error }, 'ignored a malformed progress message');
      }
    });
  }

  static async connect(redisUrl: string, logger: Logger): Promise<RedisProgressBus> {
    const bus = new RedisProgressBus(redisUrl, logger);
    await bus.subscriber.psubscribe(`${CHANNEL_PREFIX}*`);
    return bus;
  }

  async publish(event: ProgressEvent): Promise<void> {
    await this.publisher.publish(`${CHANNEL_PREFIX}${event.characterId}`, JSON.stringify(event));
  }

  subscribe(characterId: string): AsyncIterableIterator<ProgressEvent> {
    return this.local.subscribe(characterId);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
