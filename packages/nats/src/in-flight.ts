import { EventEmitter, once } from 'node:events';

/**
 * Counts the messages being handed to the relay, so that `close()` can wait until the relay
 * has answered each one. A counter, not a set of promises: this runs once per message.
 */
export class InFlight {
  #count = 0;
  readonly #events = new EventEmitter();

  enter(): void {
    this.#count += 1;
  }

  leave(): void {
    this.#count -= 1;
    if (this.#count === 0) this.#events.emit('idle');
  }

  /** Resolves once no message is being handed. */
  async idle(): Promise<void> {
    if (this.#count > 0) await once(this.#events, 'idle');
  }
}
