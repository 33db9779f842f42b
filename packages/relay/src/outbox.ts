import { type Envelope, NamedEnvelope } from '@exorelay/protocol';
import { InFlight } from './in-flight.js';
import type { Checked, MessageValidator } from './message-validator.js';
import type { PendingReplies } from './pending-replies.js';
import { ReplyStreamController, type StreamLimits } from './reply-stream.js';
import { nextRequestId } from './request-ids.js';
import { checkSendArguments, type ReplyCallback } from './send-arguments.js';
import { sendFailure } from './send-failure.js';
import { sendTraced } from './tracing.js';
import type { SendReceipt, Transport } from './transport.js';

export interface OutboxOptions {
  serviceName: string;
  transport: Transport;
  pending: PendingReplies;
  validator: MessageValidator;
  /** A failure nobody can see otherwise: the relay's `error` event. */
  reportError(error: Error): void;
}

/** The limits of a stream that never waits for replies. */
const UNROUTED: StreamLimits = { maxBufferedReplies: 0, onSettled: () => {} };

/**
 * The way out: checks a message, opens the stream for its replies, validates it and hands it
 * to the transport. A failure reaches the caller through the stream (or its `sent`); it is
 * reported as an `error` event only when nobody reads either.
 */
export class Outbox {
  readonly #options: OutboxOptions;
  /** Sends on their way to the transport; `close()` lets them finish before it closes it. */
  readonly #transmissions = new InFlight();

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Sends a message; the controller of its reply stream. */
  send(name: unknown, payload: unknown, options: unknown): ReplyStreamController {
    const checked = checkSendArguments(name, payload, options);
    if (!checked.ok) return this.refuse(String(name), checked.error);
    // The stream reads its own options (timeout, idleTimeout, signal) from the caller's object.
    const streamOptions = checked.options;
    const { onReply, keepReplies, auth } = streamOptions;
    const envelope: Envelope = { sender: this.#options.serviceName, requestId: nextRequestId() };
    if (payload !== undefined) envelope.payload = payload;
    if (auth !== undefined) envelope.auth = auth;
    const { pending } = this.#options;
    const controller =
      keepReplies === true || onReply !== undefined
        ? pending.openClaimed(name as string, envelope.requestId, streamOptions)
        : pending.open(name as string, envelope.requestId, streamOptions);
    if (onReply !== undefined) this.#forwardToCallback(controller, onReply);
    this.#transmit(controller, new NamedEnvelope(name as string, envelope), streamOptions.signal);
    return controller;
  }

  /** A stream that failed before anything was sent (bad arguments, a closed relay). */
  refuse(name: string, error: Error): ReplyStreamController {
    const controller = new ReplyStreamController(name, '', UNROUTED);
    controller.markSendFailed(error);
    // Like any stream, it counts as unread once the tick it was made in is over.
    setImmediate(() => controller.detach());
    void this.#reportUnlessSeen(controller, error);
    return controller;
  }

  /** Resolves once every send handed to the transport so far has settled. */
  async settled(): Promise<void> {
    await this.#transmissions.settled();
  }

  /**
   * Validates the message, decides whether it travels one-way, and hands it to the transport.
   * A claimed message whose check is synchronous goes out at once, with no promise before it.
   */
  #transmit(controller: ReplyStreamController, message: NamedEnvelope, signal: AbortSignal | undefined): void {
    const checked = this.#options.validator.check(message.name, undefined, message.envelope.payload, 'outgoing');
    let sent: Promise<SendReceipt>;
    try {
      sent =
        checked instanceof Promise
          ? checked.then((settled) => this.#sendChecked(controller, message, signal, settled))
          : this.#sendChecked(controller, message, signal, checked);
    } catch (error) {
      sent = Promise.reject(error);
    }
    void this.#transmissions.follow(
      sent,
      (receipt) => controller.markSent(receipt),
      (failure: unknown) => {
        const error = sendFailure(message.name, failure);
        controller.markSendFailed(error);
        return this.#reportUnlessSeen(controller, error);
      },
    );
  }

  #sendChecked(
    controller: ReplyStreamController,
    message: NamedEnvelope,
    signal: AbortSignal | undefined,
    checked: Checked,
  ): Promise<SendReceipt> {
    if (checked?.ok === false) return Promise.reject(checked.error);
    if (controller.isClaimed) return sendTraced(this.#options.transport, message, { signal }, controller);
    return this.#markOneWay(controller, message).then(() =>
      sendTraced(this.#options.transport, message, { signal }, controller),
    );
  }

  /**
   * A stream claimed by now (a `for await`, a callback, `request()`) goes out at once. Any other
   * waits for the end of the tick: if nobody claimed it by then, it travels as `oneWay`, so the
   * bus, the transport and the receiver keep no way back for replies nobody will read.
   */
  async #markOneWay(controller: ReplyStreamController, message: NamedEnvelope): Promise<void> {
    if (!(await controller.claimDecided)) message.envelope.oneWay = true;
  }

  #forwardToCallback(controller: ReplyStreamController, onReply: ReplyCallback): void {
    const consume = async () => {
      for await (const reply of controller.stream) onReply(reply.payload, reply);
    };
    consume().catch((error: Error) => {
      // A callback has nobody to reject to: its stream's failures are the relay's to report.
      this.#options.reportError(error);
    });
  }

  /** Reports a failed send unless someone reads its stream or `sent`, who is told already. */
  async #reportUnlessSeen(controller: ReplyStreamController, error: Error): Promise<void> {
    if (controller.isObserved) return;
    await controller.claimDecided;
    if (!controller.isObserved) this.#options.reportError(error);
  }
}
