import type QuickLRU from 'quick-lru';
import { boundedLru, liveEntries } from './bounded-lru.js';

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
 * (see `boundedLru`).
 */
export class ReplyLatencies {
  readonly #started: QuickLRU<string, RequestStart>;

  constructor(maxEntries: number) {
    this.#started = boundedLru(maxEntries);
  }

  /** Requests seen whose final reply has not passed yet. */
  get size(): number {
    return liveEntries(this.#started);
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
