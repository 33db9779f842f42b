/**
 * Remembers, for each message this relay received, the NATS subject its replies go to
 * (`requestId` → the requester's reply subject). A final reply forgets its route at once. A
 * handler that never replies leaves nothing to say when it is done, so routes also age out:
 * two generations of maps swap every `ttl` ms, one timer for the whole table instead of one
 * per message, and a route lives at least `ttl` and at most twice that after its last use.
 */
export class ReplyRoutes {
  readonly #ttl: number;
  #current = new Map<string, string>();
  #previous = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(ttl: number) {
    this.#ttl = ttl;
  }

  /** How many routes are kept now. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  remember(requestId: string, replySubject: string): void {
    // A route lives in one generation at a time; the old one is empty for most of the time.
    if (this.#previous.size > 0) this.#previous.delete(requestId);
    this.#current.set(requestId, replySubject);
    this.#timer ??= setInterval(() => this.#age(), this.#ttl).unref();
  }

  /** The reply subject for `requestId`; using a route keeps it alive for another `ttl`. */
  use(requestId: string): string | undefined {
    const current = this.#current.get(requestId);
    if (current !== undefined) return current;
    const previous = this.#previous.get(requestId);
    if (previous !== undefined) this.remember(requestId, previous);
    return previous;
  }

  forget(requestId: string): void {
    if (!this.#current.delete(requestId)) this.#previous.delete(requestId);
  }

  clear(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#current.clear();
    this.#previous.clear();
  }

  #age(): void {
    this.#previous = this.#current;
    this.#current = new Map();
    if (this.#previous.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
