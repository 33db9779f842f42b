import { senderRequestKey } from '@exorelay/protocol';
import { LRUCache } from 'lru-cache';

export interface RecentDeliveriesOptions {
  /** How many messages are remembered at most. */
  max: number;
  /** How long one is remembered, in ms: longer than any retry of the bus or a relay. */
  ttl: number;
}

/**
 * The messages this relay took recently, by `(sender, requestId)`: a message that comes again
 * (the bus or a relay retried a POST whose answer got lost) is answered without running its
 * handler twice. Bounded in number and age.
 */
export class RecentDeliveries {
  readonly #seen: LRUCache<string, true>;

  constructor(options: RecentDeliveriesOptions) {
    this.#seen = new LRUCache({ max: options.max, ttl: options.ttl, ttlAutopurge: false });
  }

  /** Remembers the message and says whether it was taken before. */
  isRepeat(sender: string | undefined, requestId: string): boolean {
    const key = senderRequestKey(sender ?? '', requestId);
    if (this.#seen.has(key)) return true;
    this.#seen.set(key, true);
    return false;
  }
}
