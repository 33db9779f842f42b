/**
 * Promises on their way to the transport, so that `close()` can let them settle before it closes it.
 * Counted, not kept in a set: this runs for every send and every reply, and a set that empties
 * and fills again each tick reallocates its table as it shrinks and grows.
 */
export class InFlight {
  /** The work tracked since the last `settled()`; what `settled()` waits for is counted apart. */
  #current = new Cohort();
  /** Settles once every cohort handed to `settled()` so far is done. */
  #earlier: Promise<void> = Promise.resolve();

  /**
   * `work.then(onDone, onFailed)`, tracked until it settles, including a promise the callbacks
   * return: one reaction does both where the callbacks are synchronous.
   */
  follow<T, R>(work: Promise<T>, onDone: (value: T) => R, onFailed: (error: unknown) => R | Promise<R>): Promise<R> {
    const cohort = this.#current;
    cohort.enter();
    return work.then(
      (value) => cohort.leaveOnceSettled(onDone(value)),
      (error: unknown) => cohort.leaveOnceSettled(onFailed(error)),
    );
  }

  /** Resolves once everything tracked so far has settled; work tracked later is not waited for. */
  settled(): Promise<void> {
    const cohort = this.#current;
    this.#current = new Cohort();
    const earlier = this.#earlier;
    this.#earlier = Promise.all([earlier, cohort.done()]).then(() => {});
    return this.#earlier;
  }
}

/** A count of tracked work, and who waits for it to reach zero. */
class Cohort {
  #count = 0;
  #whenDone: (() => void) | undefined;

  enter(): void {
    this.#count += 1;
  }

  leaveOnceSettled<R>(result: R | Promise<R>): R | Promise<R> {
    if (!(result instanceof Promise)) {
      this.#leave();
      return result;
    }
    const leave = () => this.#leave();
    result.then(leave, leave);
    return result;
  }

  done(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#whenDone = resolve;
    });
  }

  #leave(): void {
    this.#count -= 1;
    if (this.#count === 0) this.#whenDone?.();
  }
}
