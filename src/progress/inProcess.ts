// ProgressBus on graphql-subscriptions' in-memory PubSub: subscribers of this process see events published
// by this process. With several processes, use the Redis bus so API nodes see workers' events.
import { PubSub } from 'graphql-subscriptions';
import type { ProgressBus, ProgressEvent } from '../ports.js';

const progressTopic = (characterId: string) => `embeddingProgress:${characterId}`;

export class InProcessProgressBus implements ProgressBus {
  private readonly pubSub = new PubSub<Record<string, ProgressEvent>>();

  async publish(event: ProgressEvent): Promise<void> {
    await this.pubSub.publish(progressTopic(event.characterId), event);
  }

  subscribe(characterId: string): AsyncIterableIterator<ProgressEvent> {
    return this.pubSub.asyncIterableIterator(progressTopic(characterId));
  }

  async close(): Promise<void> {}
}
