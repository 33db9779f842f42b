import { ERROR_OUTCOME } from '@exorelay/protocol';
import type { ReplyFunction } from './handler-context.js';
import type { MessageMap, MessageName } from './message-types.js';

/** How a reply goes out: `claimSeq` numbers it once it passed its checks, so a refused reply leaves no gap. */
export interface ReplyWire {
  more: boolean;
  /** Only the relay's own `exo.error` replies may use a reserved name. */
  isErrorReply: boolean;
  claimSeq: () => number;
}

export type SendReply = (outcome: string, payload: unknown, wire: ReplyWire) => Promise<void>;

/** Numbers the replies to one handled message (`seq`) and remembers whether a final one went out. */
export class Replier<M extends MessageMap> {
  #seq = 0;
  #finalSent = false;
  readonly reply: ReplyFunction<M, MessageName<M>>;

  constructor(private readonly sendReply: SendReply) {
    const reply = (outcome: string, payload?: unknown) => this.#send(outcome, payload, false);
    const progress = (outcome: string, payload?: unknown) => this.#send(outcome, payload, true);
    // Untyped at run time; `ReplyFunction` gives each message its declared outcomes and payloads.
    this.reply = Object.assign(reply, { progress }) as unknown as ReplyFunction<M, MessageName<M>>;
  }

  get finalSent(): boolean {
    return this.#finalSent;
  }

  /** Sends the final `exo.error` reply that tells the requester the message failed here. */
  replyError(payload: { code: string; message: string; details?: unknown }): Promise<void> {
    return this.#send(ERROR_OUTCOME, payload, false, true);
  }

  #send(outcome: string, payload: unknown, more: boolean, isErrorReply = false): Promise<void> {
    const claimSeq = () => {
      if (!more) this.#finalSent = true;
      const seq = this.#seq;
      this.#seq += 1;
      return seq;
    };
    const sent = this.sendReply(outcome, payload, { more, isErrorReply, claimSeq });
    // A handler need not await its replies: a failure is emitted as 'error' by the relay.
    sent.catch(() => {});
    return sent;
  }
}
