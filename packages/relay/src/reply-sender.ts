import { deliveryFailedReply, type Envelope, isReservedName, NamedEnvelope } from '@exorelay/protocol';
import { debug } from './debug.js';
import { InvalidArgumentError } from './errors.js';
import { InFlight } from './in-flight.js';
import type { MessageMap } from './message-types.js';
import type { Checked, MessageValidator } from './message-validator.js';
import { HANDED_OVER, Replier, type ReplyChannel, type ReplyKind, type ReplyNumbering } from './replier.js';
import { nextRequestId } from './request-ids.js';
import { sendFailure } from './send-failure.js';
import { sendReplyTraced } from './tracing.js';
import type { Transport } from './transport.js';

export interface ReplySenderOptions {
  serviceName: string;
  transport: Transport;
  validator: MessageValidator;
  /** A reply failed and nobody awaits it: the relay's `error` event. */
  reportError(error: Error): void;
}

/** Sends the replies of this relay's handlers, and the `exo.error` replies the relay owes. */
export class ReplySender implements ReplyChannel {
  readonly #options: ReplySenderOptions;
  /** Replies on their way to the transport; `close()` lets them go out before it closes it. */
  readonly #inFlight = new InFlight();

  constructor(options: ReplySenderOptions) {
    this.#options = options;
  }

  /** The `reply` function for one handled message: numbers its replies and sends them. */
  replierFor<M extends MessageMap>(request: NamedEnvelope): Replier<M> {
    return new Replier(this, request);
  }

  /** Resolves once every reply handed to the transport so far has settled. */
  async settled(): Promise<void> {
    await this.#inFlight.settled();
  }

  /** Sends the final `exo.error` reply of a handled message; failures were reported already. */
  replyError(replier: Replier<MessageMap>, payload: { code: string; message: string; details?: unknown }): void {
    replier.replyError(payload).catch(() => {});
  }

  /**
   * Tells the sender that this relay cannot take its message (unknown name, closing), where the
   * transport has nobody who would (an event stream, NATS). Nothing for replies and one-way
   * messages: nobody reads an answer to them.
   */
  refuse(message: NamedEnvelope, reason: string): void {
    const { envelope } = message;
    if (envelope.responseTo !== undefined || envelope.oneWay === true) return;
    const { serviceName, transport } = this.#options;
    debug('could not take %s: %s', message.name, reason);
    const failure = { messageName: message.name, requestId: envelope.requestId, service: serviceName, reason, seq: 0 };
    void this.#inFlight.follow(
      transport.send(deliveryFailedReply(failure, nextRequestId())),
      () => {},
      (error: unknown) =>
        debug('could not report the failed delivery of %s: %s', message.name, (error as Error).message),
    );
  }

  /** Checks and validates one reply of a `Replier`, then numbers it and hands it to the transport. */
  sendReply(
    request: NamedEnvelope,
    outcome: string,
    payload: unknown,
    kind: ReplyKind,
    replier: ReplyNumbering,
  ): Promise<void> {
    try {
      checkReply(outcome, payload, kind);
      const checked = this.#options.validator.check(request.name, outcome, payload, 'outgoing');
      if (checked instanceof Promise) {
        return checked.then((settled) => this.#sendChecked(request, outcome, payload, kind, replier, settled));
      }
      return this.#sendChecked(request, outcome, payload, kind, replier, checked);
    } catch (error) {
      return this.#failed(error as Error);
    }
  }

  #sendChecked(
    request: NamedEnvelope,
    outcome: string,
    payload: unknown,
    kind: ReplyKind,
    replier: ReplyNumbering,
    checked: Checked,
  ): Promise<void> {
    if (checked?.ok === false) return this.#failed(checked.error);
    if (request.envelope.oneWay === true) {
      debug('not replying %s to %s: its sender reads no replies', outcome, request.envelope.requestId);
      return Promise.resolve();
    }
    const envelope: Envelope = {
      sender: this.#options.serviceName,
      requestId: nextRequestId(),
      responseTo: request.envelope.requestId,
    };
    if (payload !== undefined) envelope.payload = payload;
    envelope.seq = replier.claimSeq(kind);
    if (kind.more) envelope.more = true;
    // A progress reply handed over is awaited by nobody: its failure is reported and given to
    // the handler's next reply, never left as a rejection nobody handles.
    const handedOver = kind.more && replier.handOver();
    const sent = this.#inFlight.follow(
      sendReplyTraced(this.#options.transport, request, new NamedEnvelope(outcome, envelope)),
      // One reaction per reply does all: forget it, count it off the progress window, report a loss.
      () => replier.arrived(kind),
      (error: unknown) => {
        replier.arrived(kind);
        const failure = sendFailure(outcome, error);
        replier.lost(failure);
        // Returned, not thrown: InFlight counts the reply done once this settles.
        if (!handedOver) return this.#failed(failure);
        this.#options.reportError(failure);
        return undefined;
      },
    );
    return handedOver ? HANDED_OVER : sent;
  }

  #failed(error: Error): Promise<never> {
    this.#options.reportError(error);
    return Promise.reject(error);
  }
}

function checkReply(outcome: string, payload: unknown, kind: ReplyKind): void {
  if (typeof outcome !== 'string' || outcome === '') throw new InvalidArgumentError('a reply needs an outcome name');
  if (!kind.isErrorReply && isReservedName(outcome)) {
    throw new InvalidArgumentError(
      `cannot reply '${outcome}': names starting with 'exo.' are reserved for the protocol`,
    );
  }
  if (typeof payload === 'function') throw new InvalidArgumentError('cannot reply with a function as payload');
}
