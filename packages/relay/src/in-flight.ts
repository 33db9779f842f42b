/** Promises on their way to the transport, so that `close()` can let them settle before it closes it. */
export class InFlight {
  readonly #pending = new Set<Promise<void>>();

  /** Tracks `work` until it settles and returns it as it is. */
  track<T>(work: Promise<T>): Promise<T> {
    // One derived promise per tracked one: this runs for every send and every reply.
    const forget = () => {
      this.#pending.delete(settled);
    };
    const settled = work.then(forget, forget);
    this.#pending.add(settled);
    return work;
  }

  /** Resolves once everything tracked so far has settled. */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}
