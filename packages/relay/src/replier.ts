import { ERROR_OUTCOME } from '@exorelay/protocol';
import type { ReplyFunction } from './handler-context.js';
import type { MessageMap, MessageName } from './message-types.js';

export type SendReply = (outcome: string, payload: unknown, wire: { seq: number; more: boolean }) => Promise<void>;

/** Numbers the replies to one handled message (`seq`) and remembers whether a final one went out. */
export class Replier<M extends MessageMap> {
  #seq = 0;
  #finalSent = false;
  readonly reply: ReplyFunction<M, MessageName<M>>;

  constructor(private readonly sendReply: SendReply) {
    const reply = ((outcome: string, payload?: unknown) => this.#send(outcome, payload, false)) as ReplyFunction<
      M,
      MessageName<M>
    >;
    reply.progress = ((outcome: string, payload?: unknown) => this.#send(outcome, payload, true)) as ReplyFunction<
      M,
      MessageName<M>
    >['progress'];
    this.reply = reply;
  }

  get finalSent(): boolean {
    return this.#finalSent;
  }

  /** Sends the final `exo.error` reply that tells the requester the message failed here. */
  replyError(payload: { code: string; message: string; details?: unknown }): Promise<void> {
    return this.#send(ERROR_OUTCOME, payload, false);
  }

  #send(outcome: string, payload: unknown, more: boolean): Promise<void> {
    const seq = this.#seq;
    this.#seq += 1;
    if (!more) this.#finalSent = true;
    return this.sendReply(outcome, payload, { seq, more });
  }
}
