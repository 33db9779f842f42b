/** Promises on their way to the transport, so that `close()` can let them settle before it closes it. */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  /**
   * `work.then(onDone, onFailed)`, tracked until it settles, including a promise the callbacks
   * return: one reaction does both where the callbacks are synchronous, as this runs for every
   * send and every reply.
   */
  follow<T, R>(work: Promise<T>, onDone: (value: T) => R, onFailed: (error: unknown) => R | Promise<R>): Promise<R> {
    const followed: Promise<R> = work.then(
      (value) => this.#forgetOnceSettled(followed, onDone(value)),
      (error: unknown) => this.#forgetOnceSettled(followed, onFailed(error)),
    );
    this.#pending.add(followed);
    return followed;
  }

  /** Resolves once everything tracked so far has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  #forgetOnceSettled<R>(followed: Promise<unknown>, result: R | Promise<R>): R | Promise<R> {
    if (!(result instanceof Promise)) {
      this.#pending.delete(followed);
      return result;
    }
    const forget = () => {
      this.#pending.delete(followed);
    };
    result.then(forget, forget);
    return result;
  }
}
