// ProgressBus on graphql-subscriptions' in-memory PubSub: subscribers of this process see events published
// by this process. With several processes, use the Redis bus so API nodes see workers' events.
//
// Subscribing is eager: the listener is attached when `subscribe` returns, not at the iterator's first
// `next()` (graphql-subscriptions' own iterator subscribes lazily). embeddingProgress reads the record after
// subscribing and relies on every later event being queued, so a lazy subscription would lose the events
// published between the read and the first pull, the final 'done' among them.
import { PubSub } from 'graphql-subscriptions';
import type { CharacterImageEvent, ProgressBus, ProgressEvent } from '../ports.js';

const progressTopic = (characterId: string) => `embeddingProgress:${characterId}`;
const imageTopic = (characterId: string) => `characterImageProgress:${characterId}`;

export class InProcessProgressBus implements ProgressBus {
  private readonly pubSub = new PubSub<Record<string, ProgressEvent | CharacterImageEvent>>();

  async publish(event: ProgressEvent): Promise<void> {
    await this.pubSub.publish(progressTopic(event.characterId), event);
  }

  subscribe(characterId: string): AsyncIterableIterator<ProgressEvent> {
    return this.listen<ProgressEvent>(progressTopic(characterId));
  }

  async publishImage(event: CharacterImageEvent): Promise<void> {
    await this.pubSub.publish(imageTopic(event.characterId), event);
  }

  subscribeImages(characterId: string): AsyncIterableIterator<CharacterImageEvent> {
    return this.listen<CharacterImageEvent>(imageTopic(characterId));
  }

  private listen<T extends ProgressEvent | CharacterImageEvent>(topic: string): AsyncIterableIterator<T> {
    const queued: T[] = [];
    const pulls: ((result: IteratorResult<T>) => void)[] = [];
    let open = true;
    // A topic carries one kind of event: the cast only recovers what the topic's name already says.
    const subscription = this.pubSub.subscribe(topic, (event) => {
      const pull = pulls.shift();
      if (pull) pull({ value: event as T, done: false });
      else queued.push(event as T);
    });
    const end = async (): Promise<IteratorResult<T>> => {
      if (open) {
        open = false;
        this.pubSub.unsubscribe(await subscription);
        for (const pull of pulls.splice(0)) pull({ value: undefined, done: true });
        queued.length = 0;
      }
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<T> = {
      next: () => {
        const event = queued.shift();
        if (event) return Promise.resolve({ value: event, done: false });
        if (!open) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => pulls.push(resolve));
      },
      return: end,
      throw: async (error: unknown) => {
        await end();
        throw error;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  async close(): Promise<void> {}
}
