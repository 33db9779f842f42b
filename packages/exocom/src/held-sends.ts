/** How a held send's wait ended: what it waits for happened, time ran out (or the bus closes), or the sender went away. */
export type HoldEnd = 'woken' | 'timeout' | 'sender-gone';

/**
 * Calls `onGone` once the sender's connection closes (at once when it has); returns what stops
 * watching. Cheaper than an `AbortSignal` per held send: under load every send may be held.
 */
export type WatchSender = (onGone: () => void) => () => void;

interface HeldSend {
  settle(end: HoldEnd): void;
}

/**
 * `POST /send`s whose answer waits until something happens at one of their keys (a full
 * instance frees a slot, an instance registers), bounded in time and in number per key. A send
 * whose sender went away stops waiting.
 */
export class HeldSends<Key> {
  readonly #held = new Map<Key, Set<HeldSend>>();
  readonly #maxPerKey: number;

  constructor(options: { maxPerKey: number }) {
    this.#maxPerKey = options.maxPerKey;
  }

  /** Whether one more send may wait at any of `keys`. */
  canHold(keys: readonly Key[]): boolean {
    return keys.some((key) => (this.#held.get(key)?.size ?? 0) < this.#maxPerKey);
  }

  /** Resolves once one of `keys` wakes it, after `timeout` ms, or when `watchSender` reports the sender gone. */
  hold(keys: readonly Key[], timeout: number, watchSender?: WatchSender): Promise<HoldEnd> {
    return new Promise((resolve) => {
      let unwatch: (() => void) | undefined;
      const send: HeldSend = {
        settle: (end) => {
          clearTimeout(timer);
          unwatch?.();
          for (const key of keys) {
            const held = this.#held.get(key);
            held?.delete(send);
            if (held?.size === 0) this.#held.delete(key);
          }
          resolve(end);
        },
      };
      const timer = setTimeout(() => send.settle('timeout'), timeout);
      for (const key of keys) {
        let held = this.#held.get(key);
        if (held === undefined) {
          held = new Set();
          this.#held.set(key, held);
        }
        held.add(send);
      }
      unwatch = watchSender?.(() => send.settle('sender-gone'));
    });
  }

  /** Wakes the oldest send held at `key`. */
  wakeOldest(key: Key): void {
    this.#held.get(key)?.values().next().value?.settle('woken');
  }

  /** Wakes every send held at `key`. */
  wakeAll(key: Key): void {
    for (const send of [...(this.#held.get(key) ?? [])]) send.settle('woken');
  }

  /** The bus closes: every held send ends as if its time ran out. */
  release(): void {
    for (const held of [...this.#held.values()]) for (const send of [...held]) send.settle('timeout');
  }
}
