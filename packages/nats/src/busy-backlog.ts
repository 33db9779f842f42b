import { EventEmitter, once } from 'node:events';
import type { NamedEnvelope } from '@exorelay/protocol';
import type { Delivery, TransportContext } from 'exorelay';

interface Waiting {
  message: NamedEnvelope;
  settle: (delivery: Delivery) => void;
}

/**
 * Messages the relay was too busy to take (`busy`: `maxConcurrentHandlers` run). A NATS
 * subscription cannot refuse one message, so they wait here, in arrival order, and are handed
 * again one at a time as the relay gets room. While any wait, newer messages queue behind them.
 */
export class BusyBacklog {
  readonly #context: Pick<TransportContext, 'deliver' | 'capacity'>;
  readonly #waiting: Waiting[] = [];
  readonly #events = new EventEmitter();

  constructor(context: Pick<TransportContext, 'deliver' | 'capacity'>) {
    this.#context = context;
  }

  get size(): number {
    return this.#waiting.length;
  }

  /** Resolves with the relay's verdict once it took the message (any verdict but `busy`). */
  hand(message: NamedEnvelope): Promise<Delivery> {
    return new Promise((settle) => {
      this.#waiting.push({ message, settle });
      if (this.#waiting.length === 1) void this.#pump();
    });
  }

  /** Resolves once every waiting message was taken. */
  async emptied(): Promise<void> {
    if (this.#waiting.length > 0) await once(this.#events, 'emptied');
  }

  async #pump(): Promise<void> {
    for (let head = this.#waiting[0]; head !== undefined; head = this.#waiting[0]) {
      await this.#context.capacity();
      const delivery = await this.#context.deliver(head.message);
      if (delivery.kind === 'busy') continue;
      this.#waiting.shift();
      head.settle(delivery);
    }
    this.#events.emit('emptied');
  }
}
