import { LRUCache } from 'lru-cache';

/** When a request passed the bus, and its name. A class: one lives per request in flight. */
class RequestStart {
  constructor(
    readonly name: string,
    readonly at: number,
  ) {}
}

/**
 * When each request passed the bus, so the first final reply to it can tell how long the
 * answer took. Bounded: past `maxEntries`, the oldest requests are forgotten (their replies are
 * then not timed), so a landscape whose replies never come cannot grow it, nor slow it down
 * (an `LRUCache` drops its oldest entry in constant time).
 */
export class ReplyLatencies {
  readonly #started: LRUCache<string, RequestStart>;

  constructor(maxEntries: number) {
    this.#started = new LRUCache({ max: maxEntries });
  }

  /** Requests seen whose final reply has not passed yet. */
  get size(): number {
    return this.#started.size;
  }

  requestSeen(requestId: string, name: string, at = performance.now()): void {
    this.#started.set(requestId, new RequestStart(name, at));
  }

  /** The request's name and seconds since it passed; forgets the request. Undefined if unknown. */
  finalReplySeen(responseTo: string, at = performance.now()): { name: string; seconds: number } | undefined {
    const started = this.#started.peek(responseTo);
    if (started === undefined) return undefined;
    this.#started.delete(responseTo);
    return { name: started.name, seconds: (at - started.at) / 1000 };
  }

  clear(): void {
    this.#started.clear();
  }
}
