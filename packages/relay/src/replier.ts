import { ERROR_OUTCOME } from '@exorelay/protocol';
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
}

export type SendReply = (
  outcome: string,
  payload: unknown,
  kind: ReplyKind,
  numbering: ReplyNumbering,
) => Promise<void>;

/** Numbers the replies to one handled message (`seq`) and remembers whether a final one went out. */
export class Replier<M extends MessageMap> implements ReplyNumbering {
  #seq = 0;
  #finalSent = false;
  readonly reply: ReplyFunction<M, MessageName<M>>;

  constructor(private readonly sendReply: SendReply) {
    const reply = (outcome: string, payload?: unknown) => this.#send(outcome, payload, FINAL);
    const progress = (outcome: string, payload?: unknown) => this.#send(outcome, payload, PROGRESS);
    // Untyped at run time; `ReplyFunction` gives each message its declared outcomes and payloads.
    this.reply = Object.assign(reply, { progress }) as unknown as ReplyFunction<M, MessageName<M>>;
  }

  get finalSent(): boolean {
    return this.#finalSent;
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

  #send(outcome: string, payload: unknown, kind: ReplyKind): Promise<void> {
    const sent = this.sendReply(outcome, payload, kind, this);
    // A handler need not await its replies: a failure is emitted as 'error' by the relay.
    sent.catch(() => {});
    return sent;
  }
}
