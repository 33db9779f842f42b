/**
 * Tells when the NATS server has processed what this connection published. A server handles
 * one connection's protocol in order and answers PING with PONG, so once a flush (PING) made
 * after a publish resolves, the server has routed that publish, and any no-responders status
 * it produced for it has already arrived. One flush serves every publish of the same event
 * loop turn, so a burst of sends costs one round trip, not one each.
 */
export class FlushBatch {
  readonly #flush: () => Promise<void>;
  #pending: Promise<void> | undefined;

  constructor(flush: () => Promise<void>) {
    this.#flush = flush;
  }

  /** Resolves once the server has processed every publish made before this call. */
  afterPublish(): Promise<void> {
    this.#pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // Publishes from here on need the next flush: this one's PING goes out now.
      this.#pending = undefined;
      return this.#flush();
    });
    return this.#pending;
  }
}
