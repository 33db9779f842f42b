import { MockTimeoutError } from './errors.js';
import type { ReceivedMessage } from './types.js';

type Waiter = { name: string; count: number; resolve: (message: ReceivedMessage) => void };

/** What the service sent to the mock, in arrival order, with waits for a name to arrive. */
export class ReceivedLog {
  readonly messages: ReceivedMessage[] = [];
  readonly #waiters = new Set<Waiter>();

  add(message: ReceivedMessage): void {
    this.messages.push(message);
    for (const waiter of this.#waiters) {
      const found = this.#nth(waiter.name, waiter.count);
      if (found === undefined) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(found);
    }
  }

  /** Resolves with the `count`-th message named `name`, at once if it is here already. */
  waitFor(name: string, options: { count: number; timeout: number }): Promise<ReceivedMessage> {
    const found = this.#nth(name, options.count);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        name,
        count: options.count,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const what = options.count === 1 ? `message '${name}'` : `message '${name}' #${options.count}`;
        reject(
          new MockTimeoutError(
            what,
            options.timeout,
            this.messages.map((message) => message.name),
          ),
        );
      }, options.timeout);
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.messages.length = 0;
  }

  #nth(name: string, count: number): ReceivedMessage | undefined {
    let seen = 0;
    for (const message of this.messages) {
      if (message.name === name && ++seen === count) return message;
    }
    return undefined;
  }
}
