/**
 * When each request passed the bus, so the first final reply to it can tell how long the
 * answer took. Bounded: past `maxEntries`, the oldest requests are forgotten (their replies are
 * then not timed), so a landscape whose replies never come cannot grow it.
 */
export class ReplyLatencies {
  readonly #started = new Map<string, { name: string; at: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Requests seen whose final reply has not passed yet. */
  get size(): number {
    return this.#started.size;
  }

  requestSeen(requestId: string, name: string, at = performance.now()): void {
    if (this.#started.size >= this.#maxEntries) {
      const oldest = this.#started.keys().next().value;
      if (oldest !== undefined) this.#started.delete(oldest);
    }
    this.#started.set(requestId, { name, at });
  }

  /** The request's name and seconds since it passed; forgets the request. Undefined if unknown. */
  finalReplySeen(responseTo: string, at = performance.now()): { name: string; seconds: number } | undefined {
    const started = this.#started.get(responseTo);
    if (started === undefined) return undefined;
    this.#started.delete(responseTo);
    return { name: started.name, seconds: (at - started.at) / 1000 };
  }

  clear(): void {
    this.#started.clear();
  }
}
