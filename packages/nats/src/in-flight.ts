/**
 * Counts the messages being handed to the relay, so that `close()` can wait until the relay
 * has answered each one. A counter, not a set of promises: this runs once per message.
 */
export class InFlight {
  #count = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  enter(): void {
    this.#count += 1;
  }

  leave(): void {
    this.#count -= 1;
    if (this.#count > 0 || this.#idle === undefined) return;
    this.#idle.resolve();
    this.#idle = undefined;
  }

  /** Resolves once no message is being handed. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    if (this.#idle === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }
}
