import { ERROR_OUTCOME, type NamedEnvelope } from '@exorelay/protocol';
import { type Deferred, deferred } from './deferred.js';
import type { ReplyFunction } from './handler-context.js';
import type { MessageMap, MessageName } from './message-types.js';

/** What kind of reply goes out: progress (`more`), final, or the relay's own `exo.error`. */
export interface ReplyKind {
  readonly more: boolean;
  /** Only the relay's own `exo.error` replies may use a reserved name. */
  readonly isErrorReply: boolean;
}

const PROGRESS: ReplyKind = { more: true, isErrorReply: false };
const FINAL: ReplyKind = { more: false, isErrorReply: false };
const ERROR: ReplyKind = { more: false, isErrorReply: true };

/** Numbers the replies to one message: called once a reply passed its checks, so a refused reply leaves no gap. */
export interface ReplyNumbering {
  claimSeq(kind: ReplyKind): number;
  /**
   * Counts a progress reply on its way; true while the handler need not wait for it (see
   * `Replier#handOver`): it then gets `HANDED_OVER` instead of the reply's `sent`.
   */
  handOver(): boolean;
  /** A reply of this kind settled at the transport (sent or failed). */
  arrived(kind: ReplyKind): void;
  /** The reply could not be sent; told before the failure is reported. */
  lost(error: Error): void;
}

/** Where a replier's replies go: checked, numbered and handed to the transport. */
export interface ReplyChannel {
  sendReply(
    request: NamedEnvelope,
    outcome: string,
    payload: unknown,
    kind: ReplyKind,
    numbering: ReplyNumbering,
  ): Promise<void>;
}

/**
 * How many progress replies of one handler may be on their way at once before an awaited
 * `reply.progress()` waits for the transport: enough to keep a connection busy, few enough to
 * push back on a handler that produces faster than the bus takes.
 */
export const PROGRESS_WINDOW = 64;

/** What an awaited progress reply resolves to while the window has room. */
export const HANDED_OVER = Promise.resolve();

/** A handler need not await its replies: a failure is emitted as 'error' by the relay. */
const ignore = () => {};

/**
 * Numbers the replies to one handled message (`seq`), remembers whether a final one went out,
 * and pipelines its progress replies (see `pipeline`).
 */
export class Replier<M extends MessageMap> implements ReplyNumbering {
  #seq = 0;
  #finalSent = false;
  #finalWaiting = false;
  /** Progress replies on their way to the bus. */
  #progressOnTheirWay = 0;
  /** Settles once none is: a final reply waits for it (see `#send`). */
  #progressArrived: Deferred<void> | undefined;
  /** The failure of a reply that could not be sent: later replies reject with it. */
  #lostReply: Error | undefined;
  readonly reply: ReplyFunction<M, MessageName<M>>;
  readonly #channel: ReplyChannel;
  readonly #request: NamedEnvelope;

  /** Answers `request` through `channel`. */
  constructor(channel: ReplyChannel, request: NamedEnvelope) {
    this.#channel = channel;
    this.#request = request;
    const reply = (outcome: string, payload?: unknown) => this.#send(outcome, payload, FINAL);
    reply.progress = (outcome: string, payload?: unknown) => this.#send(outcome, payload, PROGRESS);
    // Untyped at run time; `ReplyFunction` gives each message its declared outcomes and payloads.
    this.reply = reply as unknown as ReplyFunction<M, MessageName<M>>;
  }

  /** Whether a final reply went out, or waits for the progress replies before it. */
  get finalSent(): boolean {
    return this.#finalSent || this.#finalWaiting;
  }

  /** Sends the final `exo.error` reply that tells the requester the message failed here. */
  replyError(payload: { code: string; message: string; details?: unknown }): Promise<void> {
    return this.#send(ERROR_OUTCOME, payload, ERROR);
  }

  /** The `seq` of the reply going out now. */
  claimSeq(kind: ReplyKind): number {
    if (!kind.more) this.#finalSent = true;
    const seq = this.#seq;
    this.#seq += 1;
    return seq;
  }

  /**
   * A progress reply that passed its checks resolves for the handler as soon as the transport
   * has it, while fewer than `PROGRESS_WINDOW` are on their way; beyond that, once it is sent.
   * So a handler that awaits each chunk streams at the transport's pace, not one round trip
   * per chunk, and still feels backpressure. Their order is the `seq`'s job.
   */
  handOver(): boolean {
    const handedOver = this.#progressOnTheirWay < PROGRESS_WINDOW;
    this.#progressOnTheirWay += 1;
    return handedOver;
  }

  arrived(kind: ReplyKind): void {
    if (!kind.more) return;
    this.#progressOnTheirWay -= 1;
    if (this.#progressOnTheirWay > 0) return;
    this.#progressArrived?.resolve();
    this.#progressArrived = undefined;
  }

  /**
   * A reply could not be sent: the replies after it cannot arrive in order, so every later
   * reply of this handler rejects with the same failure (reported once, as `error`).
   */
  lost(error: Error): void {
    this.#lostReply ??= error;
  }

  /**
   * A final reply goes out once every progress reply before it reached the bus: a bus forgets a
   * request's way back with its final reply, so a progress reply still on another connection
   * would arrive to nobody and leave the requester waiting for the gap in `seq`.
   */
  #send(outcome: string, payload: unknown, kind: ReplyKind): Promise<void> {
    let sent: Promise<void>;
    if (kind.more || this.#progressOnTheirWay === 0) sent = this.#sendUnlessLost(outcome, payload, kind);
    else {
      this.#finalWaiting = true;
      sent = this.#whenProgressArrived().then(() => {
        this.#finalWaiting = false;
        return this.#sendUnlessLost(outcome, payload, kind);
      });
    }
    // A reply handed over has nothing left to fail here.
    if (sent !== HANDED_OVER) sent.catch(ignore);
    return sent;
  }

  #sendUnlessLost(outcome: string, payload: unknown, kind: ReplyKind): Promise<void> {
    const lost = this.#lostReply;
    // A reply after one that failed, maybe unseen: the handler learns of it now (it was emitted as 'error' already).
    if (lost !== undefined && !kind.isErrorReply) return Promise.reject(lost);
    return this.#channel.sendReply(this.#request, outcome, payload, kind, this);
  }

  #whenProgressArrived(): Promise<void> {
    this.#progressArrived ??= deferred();
    return this.#progressArrived.promise;
  }
}
