/**
 * Counts messages as the receiving side gets them, and tells when a number was reached: the end
 * of a fire-and-forget run is the last delivery, not the last send.
 */
export class DeliveryCounter {
  #count = 0;
  #waiting: { target: number; resolve: () => void } | undefined;

  get count(): number {
    return this.#count;
  }

  /** One more delivery. */
  add(): void {
    this.#count += 1;
    if (this.#waiting !== undefined && this.#count >= this.#waiting.target) {
      this.#waiting.resolve();
      this.#waiting = undefined;
    }
  }

  /** Resolves once `target` deliveries were counted in all. One waiter at a time: a round waits, then the next. */
  reach(target: number): Promise<void> {
    if (this.#count >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting = { target, resolve };
    });
  }
}
