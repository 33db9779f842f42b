import type { Envelope } from '@exorelay/protocol';
import type { Reply } from 'exorelay';
import { MockTimeoutError } from './errors.js';

type Waiter = { resolve: (result: IteratorResult<Reply>) => void; reject: (error: Error) => void };
type State = 'open' | 'ended' | 'failed' | 'cancelled';

export interface ReplyFeedSettings {
  messageName: string;
  requestId: string;
  /** Fail the stream when no final reply arrived within this many ms. */
  timeout: number;
  /** Whether a reply ends the stream; contracts may know better than the wire's `more`. */
  isFinal(outcome: string, envelope: Envelope): boolean;
}

/**
 * The mock's side of one reply stream: takes the service's replies in the order it numbered
 * them (`seq`), buffers them until the test reads them, ends on the final one.
 */
export class ReplyFeed {
  readonly settings: ReplyFeedSettings;
  readonly stream: MockReplyStream;
  readonly #buffer: Reply[] = [];
  readonly #held = new Map<number, { outcome: string; envelope: Envelope }>();
  #nextSeq = 0;
  #state: State = 'open';
  #failure: Error | undefined;
  #waiter: Waiter | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(settings: ReplyFeedSettings, delivered: Promise<void>) {
    this.settings = settings;
    this.stream = new MockReplyStream(this, delivered);
    this.#timer = setTimeout(
      () => this.fail(new MockTimeoutError(`the final reply to '${settings.messageName}'`, settings.timeout)),
      settings.timeout,
    ).unref();
  }

  /** Whether the stream still takes replies. */
  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Whether the test stopped reading it; later replies are dropped without complaint. */
  get isCancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** Replies that arrived and were not read, including early ones waiting for an earlier `seq`. */
  get unread(): string[] {
    return [...this.#buffer.map((reply) => reply.outcome), ...[...this.#held.values()].map(({ outcome }) => outcome)];
  }

  /** Takes a reply; replies with `seq` are released in order, an early one waits for the gap to fill. */
  push(outcome: string, envelope: Envelope): void {
    const seq = envelope.seq;
    if (seq === undefined) {
      this.#release(outcome, envelope);
      return;
    }
    if (seq < this.#nextSeq || this.#held.has(seq)) return;
    this.#held.set(seq, { outcome, envelope });
    for (let next = this.#held.get(this.#nextSeq); next !== undefined; next = this.#held.get(this.#nextSeq)) {
      this.#held.delete(this.#nextSeq);
      this.#nextSeq += 1;
      this.#release(next.outcome, next.envelope);
    }
  }

  fail(error: Error): void {
    if (this.#state !== 'open') return;
    this.#state = 'failed';
    this.#failure = error;
    clearTimeout(this.#timer);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  /** The test stopped reading (`break`) or the mock was reset: later replies are dropped. */
  cancel(): void {
    if (this.#state !== 'open' && this.#state !== 'ended') return;
    this.#state = 'cancelled';
    this.#buffer.length = 0;
    this.#held.clear();
    clearTimeout(this.#timer);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<Reply>> {
    const reply = this.#buffer.shift();
    if (reply !== undefined) return Promise.resolve({ done: false, value: reply });
    if (this.#state === 'failed') return Promise.reject(this.#failure);
    if (this.#state !== 'open') return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #release(outcome: string, envelope: Envelope): void {
    if (!this.isOpen) return;
    const final = this.settings.isFinal(outcome, envelope);
    const reply: Reply = {
      outcome,
      payload: envelope.payload,
      requestId: envelope.requestId,
      responseTo: this.settings.requestId,
      sender: envelope.sender,
      final,
    };
    if (final) {
      this.#state = 'ended';
      clearTimeout(this.#timer);
    }
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter === undefined) this.#buffer.push(reply);
    else waiter.resolve({ done: false, value: reply });
  }
}

/**
 * What the service answers to a message sent with `bus.send()`: iterate it with `for await`.
 * It ends after the final reply; it throws a `DeliveryRejectedError` or
 * `ServiceUnreachableError` when the message could not be delivered, and a `MockTimeoutError`
 * when the final reply is late. An `exo.error` reply is yielded like any other.
 *
 * @example
 * for await (const reply of bus.send({ to: 'files', name: 'file.copy', payload })) progress.push(reply.outcome)
 */
export class MockReplyStream<R extends Reply = Reply> implements AsyncIterable<R> {
  readonly messageName: string;
  readonly requestId: string;
  /** Resolves when the service accepted the message (2xx); rejects when it did not. */
  readonly delivered: Promise<void>;
  readonly #feed: ReplyFeed;

  /** @internal Streams are made by `bus.send()`. */
  constructor(feed: ReplyFeed, delivered: Promise<void>) {
    this.#feed = feed;
    this.messageName = feed.settings.messageName;
    this.requestId = feed.settings.requestId;
    this.delivered = delivered;
  }

  /** The replies in order, for `for await (const reply of stream)`. */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    return {
      next: () => this.#feed.next() as Promise<IteratorResult<R>>,
      return: async () => {
        this.#feed.cancel();
        return { done: true, value: undefined };
      },
    };
  }

  /** Reads every reply up to and including the final one. */
  async toArray(): Promise<R[]> {
    const replies: R[] = [];
    for await (const reply of this) replies.push(reply);
    return replies;
  }
}
