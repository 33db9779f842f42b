import type { Msg, NatsConnection, Subscription } from 'nats';
import { debug } from './debug.js';

/**
 * The relay's core NATS subscriptions: one per handled message name, in the queue group named
 * after the service. `update` makes them match the names wanted now — subscribing new ones and
 * draining the rest, so that NATS routes those to the service's other instances while messages
 * already on their way here still arrive.
 */
export class QueueSubscriptions {
  readonly #connection: NatsConnection;
  readonly #queue: string;
  readonly #receive: (name: string, msg: Msg) => void;
  readonly #onError: (error: Error) => void;
  readonly #subscriptions = new Map<string, Subscription>();

  constructor(options: {
    connection: NatsConnection;
    queue: string;
    receive: (name: string, msg: Msg) => void;
    onError: (error: Error) => void;
  }) {
    this.#connection = options.connection;
    this.#queue = options.queue;
    this.#receive = options.receive;
    this.#onError = options.onError;
  }

  /**
   * Subscribes to the wanted subjects (message name → subject) and drains every other
   * subscription. Resolves once the server has processed both, so it routes exactly `wanted` here.
   * While the connection is lost there is nothing to drain or wait for: the server forgot the
   * subscriptions, and nats.js sends only the wanted ones again when it is back.
   */
  async update(wanted: ReadonlyMap<string, string>, connected: boolean): Promise<void> {
    const drains: Promise<void>[] = [];
    for (const [name, subscription] of this.#subscriptions) {
      if (wanted.has(name)) continue;
      this.#subscriptions.delete(name);
      if (connected) drains.push(subscription.drain());
      else subscription.unsubscribe();
      debug('left queue group %s on %s', this.#queue, subscription.getSubject());
    }
    for (const [name, subject] of wanted) {
      if (this.#subscriptions.has(name)) continue;
      const subscription = this.#connection.subscribe(subject, {
        queue: this.#queue,
        callback: (error, msg) => (error === null ? this.#receive(name, msg) : this.#onError(error)),
      });
      this.#subscriptions.set(name, subscription);
      debug('joined queue group %s on %s', this.#queue, subject);
    }
    if (!connected) return;
    const flushed = this.#connection.flush();
    for (const drain of await Promise.allSettled(drains)) {
      if (drain.status === 'rejected') debug('draining a subscription failed: %o', drain.reason);
    }
    await flushed;
  }
}
