// Publishing live events: the interface the domain calls once its D1 batch has committed, and
// the real one, which hands the message to the user's Durable Object. A publish never throws:
// a lost message only means the panel learns it by polling.
import type { EventData, EventType } from '../../shared/api/events';
import type { UserEvents } from './user-events';

export interface EventPublisher {
  publish<T extends EventType>(userId: string, event: { type: T; data: EventData<T> }): Promise<void>;
}

/** Domain work waits at most this long for a channel: a slow one must not hold up a generation. */
const PUBLISH_TIMEOUT_MS = 2000;

/** Sends each event to its user's channel (`UserEvents`), stamped with when it was published. */
export function channelPublisher(channels: DurableObjectNamespace<UserEvents>, timeoutMs = PUBLISH_TIMEOUT_MS): EventPublisher {
  return {
    async publish(userId, event) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const message = { type: event.type, data: event.data, at: new Date().toISOString() } as Parameters<UserEvents['publish']>[0];
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)));
        await Promise.race([channels.get(channels.idFromName(userId)).publish(message), late]);
      } catch (error) {
        console.error(`publishing ${event.type} to ${userId} failed; the panel will poll`, error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

