/** A message an instance took and has not finally answered yet. */
export interface OwedReply {
  requestId: string;
  /** The public name of the message. */
  name: string;
  /** The service that sent it. */
  sender: string;
}

export interface OwedRepliesOptions {
  /** How long an entry is kept, in ms: as long as the reply route it stands for. */
  ttl: number;
  /** Most entries kept; the oldest go first. */
  maxEntries: number;
  /** The clock, in ms. */
  now?: () => number;
}

/**
 * The messages an instance took and has not sent a final reply to, so that the bus can answer
 * them with `DELIVERY_FAILED` when it gives up on the instance (an HTTP `/run` answers when the
 * handler starts, an event stream when the event is written: the reply comes later, if at all). The bus cannot tell a
 * request from an event, so events are kept too; bounded in age and number like the reply
 * routes they stand for (an entry whose route expired would have nowhere to go anyway), with
 * the same insertion-order sweep and no timer per entry.
 */
export class OwedReplies {
  readonly #entries = new Map<string, OwedReply & { expiresAt: number }>();
  readonly #options: Required<OwedRepliesOptions>;

  constructor(options: OwedRepliesOptions) {
    this.#options = { now: Date.now, ...options };
  }

  get size(): number {
    return this.#entries.size;
  }

  add(owed: OwedReply): void {
    this.#sweep();
    const { requestId, name, sender } = owed;
    this.#entries.set(requestId, { requestId, name, sender, expiresAt: this.#options.now() + this.#options.ttl });
    if (this.#entries.size > this.#options.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** The instance sent its final reply to `requestId`; whether it owed one. */
  settle(requestId: string): boolean {
    return this.#entries.delete(requestId);
  }

  /** Everything still owed, oldest first; the tracker is empty afterwards. */
  takeAll(): OwedReply[] {
    this.#sweep();
    const owed = [...this.#entries.values()].map(({ requestId, name, sender }) => ({ requestId, name, sender }));
    this.#entries.clear();
    return owed;
  }

  #sweep(): void {
    const now = this.#options.now();
    for (const [requestId, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#entries.delete(requestId);
    }
  }
}
