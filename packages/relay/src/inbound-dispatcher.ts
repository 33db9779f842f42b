import {
  type Envelope,
  ERROR_OUTCOME,
  isErrorReplyPayload,
  isReply,
  type NamedEnvelope,
  WireErrorCode,
} from '@exorelay/protocol';
import { debug } from './debug.js';
import { HandlerError, RemoteError } from './errors.js';
import type { AuthOf, HandlerContext } from './handler-context.js';
import type { HandlerPool } from './handler-pool.js';
import type { AnyHandler, HandlerRegistry } from './handler-registry.js';
import type { MessageMap } from './message-types.js';
import { type Checked, checkedValue, type MessageValidator } from './message-validator.js';
import type { PendingReplies } from './pending-replies.js';
import { isPromiseLike } from './promise-like.js';
import type { RecentDeliveries } from './recent-deliveries.js';
import type { Replier } from './replier.js';
import type { ReplySender } from './reply-sender.js';
import type { ReplyStreamController } from './reply-stream.js';
import { traceHandler, traceHandlerFailure } from './tracing.js';
import type { Delivery, HandlerResult } from './transport.js';

/** The verdict on a reply: taken, whatever becomes of it (one object for all of them). */
const ACCEPTED: Promise<Delivery> = Promise.resolve(Object.freeze({ kind: 'accepted' }));

/** What a busy relay suggests to the bus: try again after this many ms (`retry-after`). */
const BUSY_RETRY_AFTER_MS = 1000;

export interface InboundDispatcherOptions {
  handlers: HandlerRegistry;
  pool: HandlerPool;
  pending: PendingReplies;
  /** The messages taken recently, to take a repeat only once; none when the transport never repeats one. */
  recent: RecentDeliveries | undefined;
  validator: MessageValidator;
  replies: ReplySender;
  /** Whether the transport's peer answers refusals itself (HTTP status codes to the bus). */
  answersRefusals: boolean;
  /** Whether the relay takes new work (it does not once it is closing). */
  accepting(): boolean;
  /** What a handler may use of the relay besides its reply: the relay's own `send` and `request`. */
  readonly handlerTools: { readonly send: unknown; readonly request: unknown };
  reportError(error: Error): void;
}

/**
 * Everything that arrives: a reply goes to the stream that waits for it; a message to its
 * handler, at most once per `(sender, requestId)`, within `maxConcurrentHandlers`, after its
 * contract check. Returns the verdict the transport passes on.
 */
export class InboundDispatcher {
  readonly #options: InboundDispatcherOptions;

  constructor(options: InboundDispatcherOptions) {
    this.#options = options;
  }

  deliver(message: NamedEnvelope): Promise<Delivery> {
    const { name, envelope } = message;
    if (isReply(envelope)) return this.#acceptReply(name, envelope);
    const { handlers, pool, validator } = this.#options;
    if (!this.#options.accepting()) {
      return Promise.resolve(this.#refuse(message, { kind: 'unavailable', error: 'the relay is closing' }));
    }
    const handler = handlers.get(name);
    if (handler === undefined) {
      return Promise.resolve(this.#refuse(message, { kind: 'unknown-message', error: `unknown message: '${name}'` }));
    }
    if (pool.saturated) return Promise.resolve(this.#busy());
    const checked = validator.check(name, undefined, envelope.payload, 'incoming');
    if (checked instanceof Promise) return checked.then((settled) => this.#dispatch(message, handler, settled));
    return Promise.resolve(this.#dispatch(message, handler, checked));
  }

  /** Runs the handler of a message that passed its contract check, or answers why not. */
  #dispatch(message: NamedEnvelope, handler: AnyHandler, checked: Checked): Delivery {
    const { name, envelope } = message;
    const { pool, recent, replies } = this.#options;
    if (checked?.ok === false) {
      this.#options.reportError(checked.error);
      replies.replyError(replies.replierFor(message), {
        code: WireErrorCode.InvalidPayload,
        message: checked.error.message,
        details: { issues: checked.error.issues },
      });
      return { kind: 'rejected', error: checked.error.message };
    }
    // Messages that arrived together all passed the first check before any handler started.
    if (pool.saturated) return this.#busy();
    if (recent?.isRepeat(envelope.sender, envelope.requestId) === true) {
      debug('%s %s came again: answered without running its handler twice', name, envelope.requestId);
      return { kind: 'accepted' };
    }
    return { kind: 'accepted', handled: this.#run(message, checkedValue(checked, envelope.payload), handler) };
  }

  #busy(): Delivery {
    const error = `busy: ${this.#options.pool.maxConcurrent} handlers are running (maxConcurrentHandlers)`;
    return { kind: 'busy', error, retryAfterMs: BUSY_RETRY_AFTER_MS };
  }

  #refuse(message: NamedEnvelope, delivery: Extract<Delivery, { kind: 'unavailable' | 'unknown-message' }>): Delivery {
    if (!this.#options.answersRefusals) this.#options.replies.refuse(message, delivery.error);
    return delivery;
  }

  #acceptReply(outcome: string, envelope: Envelope & { responseTo: string }): Promise<Delivery> {
    const controller = this.#options.pending.get(envelope.responseTo);
    if (controller === undefined) {
      debug('reply %s to %s: nobody waits for it any more', outcome, envelope.responseTo);
      return ACCEPTED;
    }
    const name = controller.messageName;
    if (outcome === ERROR_OUTCOME) {
      controller.pushFailure(toRemoteError(name, envelope), envelope.sender, envelope.seq);
      return ACCEPTED;
    }
    const checked = this.#options.validator.check(name, outcome, envelope.payload, 'incoming');
    if (checked instanceof Promise)
      return checked.then((settled) => this.#pushReply(controller, outcome, envelope, settled));
    return this.#pushReply(controller, outcome, envelope, checked);
  }

  #pushReply(
    controller: ReplyStreamController,
    outcome: string,
    envelope: Envelope & { responseTo: string },
    checked: Checked,
  ): Promise<Delivery> {
    if (checked?.ok === false) {
      controller.pushFailure(checked.error, envelope.sender, envelope.seq);
      return ACCEPTED;
    }
    const final = this.#options.validator.isFinal(controller.messageName, outcome, envelope.more === true);
    const { requestId, responseTo, sender } = envelope;
    const payload = checkedValue(checked, envelope.payload);
    controller.push({ outcome, payload, requestId, responseTo, sender, final }, envelope.seq);
    return ACCEPTED;
  }

  #run(message: NamedEnvelope, payload: unknown, handler: AnyHandler) {
    const { name, envelope } = message;
    const { replies } = this.#options;
    const replier = replies.replierFor(message);
    const run = (signal: AbortSignal): Promise<HandlerResult> => {
      const { send, request } = this.#options.handlerTools;
      // Typed per message by `ExoRelay`'s `registerHandler`; loose here. Every field spelled
      // out, no spread: one object shape for every message, built at once.
      const context: Omit<HandlerContext<MessageMap, string, unknown>, 'send' | 'request'> & {
        send: unknown;
        request: unknown;
      } = {
        send,
        request,
        reply: replier.reply,
        requestId: envelope.requestId,
        sender: envelope.sender,
        // As the sender vouches; its declared type is the application's promise, not checked here.
        auth: envelope.auth as AuthOf,
        messageName: name,
        signal,
      };
      try {
        const result = (handler as (payload: unknown, context: unknown) => unknown)(payload, context);
        // No async function of our own: one reaction on what the handler returned, if anything.
        // A promise of its own per run: the pool tells runs apart by their promises.
        if (!isPromiseLike(result)) return Promise.resolve(SUCCEEDED);
        return Promise.resolve(result).then(succeeded, (cause: unknown) =>
          this.#handlerFailed(message, replier, signal, cause),
        );
      } catch (cause) {
        return Promise.resolve(this.#handlerFailed(message, replier, signal, cause));
      }
    };
    // Given up on by close(): the requester gets a final answer now rather than at its timeout.
    const onGivenUp = () => {
      if (replier.finalSent) return;
      replies.replyError(replier, {
        code: WireErrorCode.HandlerFailed,
        message: `${name}: the service closed before its handler finished`,
      });
    };
    return this.#options.pool.run(traceHandler(message, run), onGivenUp);
  }

  /** A handler threw or rejected: report it, and answer HANDLER_FAILED unless it answered already. */
  #handlerFailed(
    message: NamedEnvelope,
    replier: Replier<MessageMap>,
    signal: AbortSignal,
    cause: unknown,
  ): HandlerResult {
    const { name, envelope } = message;
    traceHandlerFailure(envelope, cause);
    if (signal.aborted) return 'failed';
    this.#options.reportError(new HandlerError(name, envelope.requestId, { cause }));
    if (!replier.finalSent) {
      this.#options.replies.replyError(replier, { code: WireErrorCode.HandlerFailed, message: describe(cause) });
    }
    return 'failed';
  }
}

const SUCCEEDED: HandlerResult = 'succeeded';
const succeeded = (): HandlerResult => SUCCEEDED;

function toRemoteError(name: string, envelope: Envelope): RemoteError {
  const payload = envelope.payload;
  const responseTo = envelope.responseTo ?? '';
  if (isErrorReplyPayload(payload)) {
    return new RemoteError(payload.code, payload.message, name, responseTo, payload.details);
  }
  return new RemoteError('UNKNOWN', JSON.stringify(payload) ?? 'no details', name, responseTo);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
