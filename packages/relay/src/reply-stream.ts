import { type Deferred, deferred } from './deferred.js';
import {
  AbortedError,
  BufferOverflowError,
  InvalidArgumentError,
  NoRespondersError,
  RemoteError,
  ReplyStreamDetachedError,
  TimeoutError,
} from './errors.js';
import type { Reply } from './message-types.js';
import { ReplySequencer } from './reply-sequencer.js';
import type { SendReceipt } from './transport.js';

/** How a reply stream may end besides its final reply. */
export interface ReplyStreamOptions {
  /** Fail with a `TimeoutError` if no final reply arrived within this many ms; `Infinity` waits for ever. */
  timeout?: number;
  /** Fail with a `TimeoutError` if this many ms pass without any reply; `Infinity` waits for ever. */
  idleTimeout?: number;
  /** Fail with an `AbortedError` when this signal aborts. */
  signal?: AbortSignal;
}

/** What the streams of one relay share: one object for all of them. */
export interface StreamLimits {
  maxBufferedReplies: number;
  /** Called exactly once per stream, when it stops taking replies: the relay drops its routing entry. */
  onSettled(stream: ReplyStreamController): void;
}

/** A final reply that fails the stream: an `exo.error`, or a reply that broke its contract. */
interface StreamFailure {
  final: true;
  error: Error;
}

/** Replies queue as they are: no wrapper per reply. */
type QueuedItem = Reply | StreamFailure;
type State = 'open' | 'complete' | 'failed' | 'detached';

/**
 * Who waits for the stream's next item: the functions that settle its promise. A class, not an
 * object literal: a dead waiter that V8 allocated in the old generation would keep the promise
 * it settled, and whoever awaited it, alive through minor GCs (see `NamedEnvelope`).
 */
class Waiter<T> {
  constructor(
    readonly resolve: (value: T) => void,
    readonly reject: (error: Error) => void,
  ) {}
}

/** Who waits for the final reply alone (`request()`): replies go to it as they come, none is buffered. */
class FinalReplyWaiter extends Waiter<Reply> {
  constructor(
    resolve: (reply: Reply) => void,
    reject: (error: Error) => void,
    readonly onProgress: ((reply: Reply) => void) | undefined,
  ) {
    super(resolve, reject);
  }
}

/**
 * The replies to one sent message, in the order the replier sent them. Iterate it with
 * `for await`; it ends after the first final reply, and throws a `RemoteError` when the
 * receiver answered `exo.error`. A stream can be iterated once.
 *
 * @example
 * for await (const reply of relay.send('file.copy', { from, to })) {
 *   if (reply.outcome === 'file.copying') bar.update(reply.payload)
 * }
 */
export class ReplyStream<R extends Reply = Reply> implements AsyncIterable<R> {
  readonly messageName: string;
  readonly requestId: string;
  readonly #controller: ReplyStreamController;

  /** @internal Streams are made by `ExoRelay#send`. */
  constructor(controller: ReplyStreamController) {
    this.#controller = controller;
    this.messageName = controller.messageName;
    this.requestId = controller.requestId;
  }

  /**
   * Settles when the bus has taken the message, or has finally refused it. Whoever reads it is
   * told of a failed send, so the relay does not report that failure as an `error` event too.
   */
  get sent(): Promise<SendReceipt> {
    this.#controller.observeSent();
    return this.#controller.sent;
  }

  /** Reads the replies in order; a stream can be iterated once. */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    const controller = this.#controller;
    controller.claimForIteration();
    return {
      next: () => controller.next() as Promise<IteratorResult<R>>,
      return: async () => {
        controller.cancel();
        return { done: true, value: undefined };
      },
    };
  }
}

/** The relay's handle on a stream: feeds it replies, ends it, fails it. */
export class ReplyStreamController {
  readonly messageName: string;
  readonly requestId: string;
  readonly #limits: StreamLimits;
  readonly #options: ReplyStreamOptions;
  // Each replier numbers its replies from 0, so order is restored per sender. Most streams
  // hear from one sender: its sequencer needs no map.
  #firstSender: string | undefined;
  #firstSequencer: ReplySequencer<QueuedItem> | undefined;
  #otherSequencers: Map<string, ReplySequencer<QueuedItem>> | undefined;
  readonly #buffer: QueuedItem[] = [];
  /** Told once how the stream ended (the tracing ends the request's span with it). */
  onEnded: ((failure: Error | undefined, finalReply: Reply | undefined) => void) | undefined;
  #state: State = 'open';
  #failure: Error | undefined;
  // `sent` and `claimDecided` are made only when someone asks: most sends never do.
  #receipt: SendReceipt | undefined;
  #sendError: Error | undefined;
  #sent: Deferred<SendReceipt> | undefined;
  #sentObserved = false;
  #claimed = false;
  #claimDecision: boolean | undefined;
  #claimDecided: Deferred<boolean> | undefined;
  #iterated = false;
  #waiter: Waiter<IteratorResult<Reply>> | undefined;
  #finalReplyWaiter: FinalReplyWaiter | undefined;
  // Made when someone asks: `request()` never does.
  #stream: ReplyStream | undefined;
  #timeoutTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #onAbort: (() => void) | undefined;

  /** `options` is read, not kept apart: a caller's `SendOptions` serve as they are. */
  constructor(messageName: string, requestId: string, limits: StreamLimits, options: ReplyStreamOptions = {}) {
    this.#limits = limits;
    this.#options = options;
    this.messageName = messageName;
    this.requestId = requestId;
    this.#armEndings();
  }

  get stream(): ReplyStream {
    this.#stream ??= new ReplyStream(this);
    return this.#stream;
  }

  /** Settles when the transport has taken the message, or has finally refused it. */
  get sent(): Promise<SendReceipt> {
    if (this.#sent === undefined) {
      this.#sent = deferred();
      // Nobody has to look at `sent`: a refusal is also emitted as `error` and fails the stream.
      this.#sent.promise.catch(() => {});
      if (this.#receipt !== undefined) this.#sent.resolve(this.#receipt);
      else if (this.#sendError !== undefined) this.#sent.reject(this.#sendError);
    }
    return this.#sent.promise;
  }

  /** Resolves `true` once someone claims the stream, `false` when it is detached unclaimed. */
  get claimDecided(): Promise<boolean> {
    if (this.#claimDecision !== undefined) return Promise.resolve(this.#claimDecision);
    this.#claimDecided ??= deferred();
    return this.#claimDecided.promise;
  }

  /** Whether the stream still takes replies. */
  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Whether someone reads (or promised to read) this stream. */
  get isClaimed(): boolean {
    return this.#claimed;
  }

  /** Whether a failure of this stream reaches someone: it is read, or its `sent` is. */
  get isObserved(): boolean {
    return this.#claimed || this.#sentObserved;
  }

  observeSent(): void {
    this.#sentObserved = true;
  }

  claim(): void {
    this.#claimed = true;
    this.#decideClaim(true);
  }

  #decideClaim(claimed: boolean): void {
    if (this.#claimDecision !== undefined) return;
    this.#claimDecision = claimed;
    this.#claimDecided?.resolve(claimed);
  }

  claimForIteration(): void {
    if (this.#iterated)
      throw new InvalidArgumentError(`the reply stream of '${this.messageName}' can be iterated only once`);
    this.#iterated = true;
    this.claim();
  }

  /**
   * Claims the stream and resolves with its final reply, calling `onProgress` with each reply
   * before it, in order: what `request()` needs, without an async iterator, a promise per
   * reply or a buffer. Rejects as iterating would throw; a throwing `onProgress` ends the
   * stream and rejects with what it threw.
   */
  finalReply(onProgress: ((reply: Reply) => void) | undefined): Promise<Reply> {
    this.claimForIteration();
    return new Promise((resolve, reject) => {
      this.#finalReplyWaiter = new FinalReplyWaiter(resolve, reject, onProgress);
      this.#feedFinalReplyWaiter(this.#finalReplyWaiter);
    });
  }

  /** Nobody read the stream in the tick it was made: stop keeping its replies. */
  detach(): void {
    this.#decideClaim(false);
    if (this.#state !== 'open') return;
    this.#state = 'detached';
    this.#settle();
  }

  markSent(receipt: SendReceipt): void {
    if (this.#sendError === undefined) this.#receipt ??= receipt;
    this.#sent?.resolve(receipt);
    if (receipt.receivers === 0 && this.#claimed) this.fail(new NoRespondersError(this.messageName, this.requestId));
  }

  /** Why the message could not be sent, if it could not. */
  get sendError(): Error | undefined {
    return this.#sendError;
  }

  markSendFailed(error: Error): void {
    if (this.#receipt === undefined) this.#sendError ??= error;
    this.#sent?.reject(error);
    this.fail(error);
  }

  /** Takes one reply; `seq` restores order, a final reply ends the stream once all before it arrived. */
  push(reply: Reply, seq: number | undefined): void {
    this.#pushItem(reply, reply.sender, seq);
  }

  /** Takes a final reply that fails the stream (an `exo.error` or an invalid reply). */
  pushFailure(error: Error, sender: string | undefined, seq: number | undefined): void {
    this.#pushItem({ final: true, error }, sender, seq);
  }

  fail(error: Error): void {
    if (this.#state !== 'open') return;
    this.#state = 'failed';
    this.#failure = error;
    this.#buffer.length = 0;
    this.#settle(error);
    this.#wake();
  }

  cancel(): void {
    if (this.#state !== 'open') return;
    this.#state = 'complete';
    this.#buffer.length = 0;
    this.#settle();
    this.#wake();
  }

  next(): Promise<IteratorResult<Reply>> {
    const item = this.#buffer.shift();
    if (item !== undefined) return this.#yield(item);
    if (this.#state === 'open') {
      return new Promise((resolve, reject) => {
        this.#waiter = new Waiter(resolve, reject);
      });
    }
    return this.#finished();
  }

  #pushItem(item: QueuedItem, sender: string | undefined, seq: number | undefined): void {
    if (this.#state !== 'open') return;
    const sequencer = this.#sequencerOf(sender ?? '');
    if (sequencer.takesInOrder(seq)) this.#queue(item);
    else {
      for (const ready of sequencer.accept(seq, item)) if (this.#state !== 'open' || this.#queue(ready)) break;
    }
    if (this.#state === 'open') this.#checkBound();
    this.#restartIdleTimer();
    this.#wake();
  }

  /** Queues a reply that is in order; `true` when it ended the stream. */
  #queue(item: QueuedItem): boolean {
    const waiter = this.#finalReplyWaiter;
    // `request()` takes each reply as it comes: nothing to buffer.
    if (waiter !== undefined && this.#buffer.length === 0) this.#handToFinalReplyWaiter(waiter, item);
    else this.#buffer.push(item);
    if (!item.final) return false;
    this.#state = 'complete';
    if ('error' in item) this.#settle(item.error, undefined);
    else this.#settle(undefined, item);
    return true;
  }

  #yield(item: QueuedItem): Promise<IteratorResult<Reply>> {
    if (!('error' in item)) return Promise.resolve({ done: false, value: item });
    this.#buffer.length = 0;
    this.#state = 'failed';
    this.#failure = undefined;
    return Promise.reject(item.error);
  }

  #finished(): Promise<IteratorResult<Reply>> {
    if (this.#state === 'detached') {
      return Promise.reject(new ReplyStreamDetachedError(this.messageName, this.requestId));
    }
    const failure = this.#failure;
    this.#failure = undefined;
    return failure === undefined ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(failure);
  }

  #wake(): void {
    if (this.#finalReplyWaiter !== undefined) {
      this.#feedFinalReplyWaiter(this.#finalReplyWaiter);
      return;
    }
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    const item = this.#buffer.shift();
    if (item === undefined && this.#state === 'open') return;
    this.#waiter = undefined;
    // The usual case, a reply for a waiting `next()`: settled directly, no promise in between.
    if (item !== undefined && !('error' in item)) {
      waiter.resolve({ done: false, value: item });
      return;
    }
    const result = item === undefined ? this.#finished() : this.#yield(item);
    result.then(waiter.resolve, waiter.reject);
  }

  #feedFinalReplyWaiter(waiter: FinalReplyWaiter): void {
    while (this.#finalReplyWaiter === waiter && this.#buffer.length > 0) {
      this.#handToFinalReplyWaiter(waiter, this.#buffer.shift() as QueuedItem);
    }
    if (this.#finalReplyWaiter !== waiter || this.#state === 'open') return;
    this.#finalReplyWaiter = undefined;
    // A claimed stream ends only on its final reply or a failure; anything else is a peer's doing the protocol does not know.
    const { messageName, requestId } = this;
    waiter.reject(
      this.#failure ??
        new RemoteError('NO_FINAL_REPLY', 'the reply stream ended without a final reply', messageName, requestId),
    );
  }

  /** Gives the waiter one reply in order; a final one (or a throwing `onProgress`) ends the wait. */
  #handToFinalReplyWaiter(waiter: FinalReplyWaiter, item: QueuedItem): void {
    if ('error' in item) {
      this.#finalReplyWaiter = undefined;
      waiter.reject(item.error);
      return;
    }
    if (item.final) {
      this.#finalReplyWaiter = undefined;
      waiter.resolve(item);
      return;
    }
    try {
      waiter.onProgress?.(item);
    } catch (error) {
      this.#finalReplyWaiter = undefined;
      this.cancel();
      waiter.reject(error as Error);
    }
  }

  #sequencerOf(sender: string): ReplySequencer<QueuedItem> {
    if (this.#firstSequencer === undefined) {
      this.#firstSender = sender;
      this.#firstSequencer = new ReplySequencer();
      return this.#firstSequencer;
    }
    if (this.#firstSender === sender) return this.#firstSequencer;
    this.#otherSequencers ??= new Map();
    let sequencer = this.#otherSequencers.get(sender);
    if (sequencer === undefined) {
      sequencer = new ReplySequencer();
      this.#otherSequencers.set(sender, sequencer);
    }
    return sequencer;
  }

  #checkBound(): void {
    let unread = this.#buffer.length + (this.#firstSequencer?.heldCount ?? 0);
    for (const sequencer of this.#otherSequencers?.values() ?? []) unread += sequencer.heldCount;
    const { maxBufferedReplies } = this.#limits;
    if (unread > maxBufferedReplies) {
      this.fail(new BufferOverflowError(this.messageName, this.requestId, maxBufferedReplies));
    }
  }

  #armEndings(): void {
    const { timeout, signal } = this.#options;
    if (signal !== undefined) {
      const onAbort = () => this.fail(new AbortedError(this.messageName, this.requestId, { cause: signal.reason }));
      if (signal.aborted) {
        queueMicrotask(onAbort);
        return;
      }
      this.#onAbort = onAbort;
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (timeout !== undefined && timeout !== Number.POSITIVE_INFINITY) {
      this.#timeoutTimer = setTimeout(() => timedOut(this, timeout), timeout);
    }
    this.#restartIdleTimer();
  }

  #restartIdleTimer(): void {
    const { idleTimeout } = this.#options;
    if (idleTimeout === undefined || idleTimeout === Number.POSITIVE_INFINITY || this.#state !== 'open') return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => idledOut(this, idleTimeout), idleTimeout);
  }

  #settle(failure?: Error, finalReply?: Reply): void {
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#idleTimer);
    if (this.#onAbort !== undefined) this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#limits.onSettled(this);
    this.onEnded?.(failure, finalReply);
  }
}

// Armed with a closure, not with `setTimeout(timedOut, ms, stream, ms)`: node:timers puts
// extra arguments in an array literal that V8 allocated in the old generation once timers
// outlived minor GCs, and each cleared timer's array kept its stream alive through them.
function timedOut(stream: ReplyStreamController, timeout: number): void {
  stream.fail(new TimeoutError(stream.messageName, stream.requestId, timeout));
}

function idledOut(stream: ReplyStreamController, idleTimeout: number): void {
  stream.fail(new TimeoutError(stream.messageName, stream.requestId, idleTimeout, 'idle'));
}
