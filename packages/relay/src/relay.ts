import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type Envelope,
  ERROR_OUTCOME,
  isErrorReplyPayload,
  isReply,
  isReservedName,
  type NamedEnvelope,
  WireErrorCode,
} from '@exorelay/protocol';
import type { RelayContracts } from './contracts.js';
import { debug } from './debug.js';
import {
  ConfigError,
  ContractViolationError,
  HandlerError,
  InvalidArgumentError,
  RelayClosedError,
  RemoteError,
} from './errors.js';
import type { HandlerContext, MessageHandler } from './handler-context.js';
import { HandlerRegistry } from './handler-registry.js';
import type {
  FinalReplyOf,
  MessageArguments,
  MessageMap,
  MessageName,
  PayloadInputOf,
  PayloadOf,
  Reply,
  ReplyOf,
  RequestableName,
  UntypedMessages,
} from './message-types.js';
import { PendingReplies } from './pending-replies.js';
import { type RelayOptions, resolveRelayOptions } from './relay-options.js';
import { Replier, type ReplyWire } from './replier.js';
import { type ReplyStream, ReplyStreamController } from './reply-stream.js';
import { checkSendArguments, type ReplyCallback, type SendOptions } from './send-arguments.js';
import type { Delivery, HandlerResult, Transport, TransportStatus } from './transport.js';

/** The events an `ExoRelay` emits. */
export interface RelayEvents {
  /** The relay listens; the argument is the bound port (undefined for transports without one). */
  online: [port: number | undefined];
  /** The relay was closed. */
  offline: [];
  /** Something failed that no caller could be told about directly (a handler threw, a send failed …). */
  error: [error: Error];
  /** The transport's connection state changed (online, reconnecting, offline). */
  status: [status: TransportStatus];
}

export interface RequestOptions<R extends Reply = Reply> {
  /**
   * Fail with a `TimeoutError` after this many ms without a final reply.
   * @default the relay's defaultTimeout (30 s)
   */
  timeout?: number;
  /** Fail with an `AbortedError` when this signal aborts. */
  signal?: AbortSignal;
  /** Called with each progress reply that comes before the final one. */
  onProgress?: (reply: R) => void;
}

/** Counts of the relay's internal state, for leak checks and monitoring. */
export interface RelayStats {
  /** Sent messages whose reply streams are still open. */
  pendingReplyStreams: number;
  /** Handlers running now. */
  activeHandlers: number;
}

type State = 'idle' | 'listening' | 'closing' | 'closed';

/**
 * Connects a service to the Exosphere message bus.
 *
 * @example
 * const relay = new ExoRelay({ serviceName: 'users', exocomPort: 3100 })
 * relay.registerHandler('users.create', async (user, { reply }) => {
 *   await reply('users.created', await db.insert(user))
 * })
 * await relay.listen(4000)
 * const created = await relay.request('users.create', { name: 'Jean-Luc' })
 */
export class ExoRelay<M extends MessageMap = UntypedMessages> extends EventEmitter<RelayEvents> {
  readonly serviceName: string;
  readonly #transport: Transport;
  readonly #contracts: RelayContracts | undefined;
  readonly #validateMessages: boolean;
  readonly #defaultTimeout: number;
  readonly #drainTimeout: number;
  readonly #handlers = new HandlerRegistry();
  readonly #pending: PendingReplies;
  readonly #activeHandlers = new Set<Promise<HandlerResult>>();
  /** Sends on their way to the transport; `close()` lets them finish before it closes it. */
  readonly #transmissions = new Set<Promise<void>>();
  #state: State = 'idle';
  #port: number | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: RelayOptions<M>) {
    super();
    const resolved = resolveRelayOptions(options);
    this.serviceName = resolved.serviceName;
    this.#transport = resolved.transport;
    this.#contracts = resolved.contracts;
    this.#validateMessages = resolved.validate;
    this.#defaultTimeout = resolved.defaultTimeout;
    this.#drainTimeout = resolved.drainTimeout;
    this.#pending = new PendingReplies(resolved.maxBufferedReplies);
    this.#transport.attach({
      serviceName: this.serviceName,
      deliver: (message) => this.#deliver(message),
      handledNames: () => this.#handlers.names(),
      reportStatus: (status) => this.emit('status', status),
      reportError: (error) => this.#emitError(error),
    });
  }

  /** The port the relay listens on, once `listen()` resolved. */
  get port(): number | undefined {
    return this.#port;
  }

  get stats(): RelayStats {
    return { pendingReplyStreams: this.#pending.size, activeHandlers: this.#activeHandlers.size };
  }

  /**
   * Starts receiving messages. Over HTTP, binds `port` (0 or none = an ephemeral one) and
   * resolves with the bound port; emits `online`.
   */
  async listen(port?: number | string): Promise<number | undefined> {
    try {
      if (this.#state === 'closing' || this.#state === 'closed')
        throw new RelayClosedError('a closed relay cannot listen again');
      if (this.#state === 'listening') throw new ConfigError(`ExoRelay is already listening on port ${this.#port}`);
      const info = await this.#transport.listen({ port: parsePort(port) });
      this.#state = 'listening';
      this.#port = info.port;
      debug('%s listening at %s', this.serviceName, info.address);
      this.emit('online', info.port);
      return info.port;
    } catch (error) {
      this.#emitError(error as Error);
      throw error;
    }
  }

  /**
   * Stops receiving, lets running handlers finish (up to `drainTimeout`) and messages already
   * sent go out, frees the port and connections, ends every open reply stream with a
   * `RelayClosedError`, and emits `offline`.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Registers the function that serves message `name`. Invalid registrations emit `error`. */
  registerHandler<N extends MessageName<M>>(name: N, handler: MessageHandler<M, N, this>): void {
    const problem = this.#handlers.register(name, handler);
    if (problem !== undefined) {
      this.#emitError(problem);
      return;
    }
    if (this.#state === 'listening') this.#transport.handledNamesChanged();
  }

  /** Registers several handlers at once: `{ 'users.create': handler, … }`. */
  registerHandlers(handlers: { [N in MessageName<M>]?: MessageHandler<M, N, this> }): void {
    for (const [name, handler] of Object.entries(handlers)) {
      this.registerHandler(name as MessageName<M>, handler as MessageHandler<M, MessageName<M>, this>);
    }
  }

  /**
   * Stops serving message `name`: the transport stops receiving it (announces the change to the
   * bus, or unsubscribes). Returns whether a handler was registered.
   */
  unregisterHandler(name: string): boolean {
    const removed = this.#handlers.unregister(name);
    if (removed && this.#state === 'listening') this.#transport.handledNamesChanged();
    return removed;
  }

  hasHandler(name: string): boolean {
    return this.#handlers.has(name);
  }

  /**
   * Sends a message, fire-and-forget: it goes out whether or not anyone reads the result.
   * Returns the stream of its replies. Read it in the tick you sent the message (start a
   * `for await`, or pass `onReply`/a callback), or pass `keepReplies: true`: a stream that
   * nobody claims in that tick keeps no state.
   *
   * @example
   * for await (const reply of relay.send('file.read', { path })) process.stdout.write(reply.payload)
   */
  send<N extends MessageName<M>>(
    name: N,
    ...args: MessageArguments<M, N, SendOptions<ReplyOf<M, N>> | ReplyCallback<ReplyOf<M, N>>>
  ): ReplyStream<ReplyOf<M, N>>;
  send<N extends MessageName<M>>(
    name: N,
    payload: PayloadInputOf<M, N>,
    options?: SendOptions<ReplyOf<M, N>> | ReplyCallback<ReplyOf<M, N>>,
  ): ReplyStream<ReplyOf<M, N>> {
    const checked = checkSendArguments(name, payload, options);
    if (!checked.ok) return this.#refuse(name, checked.error);
    if (this.#state === 'closing' || this.#state === 'closed') return this.#refuse(name, new RelayClosedError());
    const { onReply, keepReplies, ...streamOptions } = checked.options;
    const envelope = withPayload({ sender: this.serviceName, requestId: randomUUID() }, payload);
    const controller = this.#pending.open(name, envelope.requestId, streamOptions);
    if (keepReplies === true || onReply !== undefined) controller.claim();
    if (onReply !== undefined) this.#forwardToCallback(controller, onReply);
    this.#transmit(controller, { name, envelope }, streamOptions.signal);
    return controller.stream as ReplyStream<ReplyOf<M, N>>;
  }

  /**
   * Sends a message and resolves with its first final reply. Rejects with a `TimeoutError`,
   * an `AbortedError`, a `RemoteError` (the receiver failed), a `NoRespondersError`, or a
   * `RelayClosedError`.
   */
  request<N extends RequestableName<M>>(
    name: N,
    ...args: MessageArguments<M, N, RequestOptions<ReplyOf<M, N>>>
  ): Promise<FinalReplyOf<M, N>>;
  async request<N extends RequestableName<M>>(
    name: N,
    payload: PayloadInputOf<M, N>,
    options: RequestOptions<ReplyOf<M, N>> = {},
  ): Promise<FinalReplyOf<M, N>> {
    const { onProgress, ...streamOptions } = options;
    const stream = this.send(name, payload, { timeout: this.#defaultTimeout, ...streamOptions });
    for await (const reply of stream) {
      if (reply.final) return reply as FinalReplyOf<M, N>;
      onProgress?.(reply);
    }
    // A claimed stream ends only on its final reply or with an error, so this means a peer
    // closed the stream in a way the protocol does not know.
    throw new RemoteError('NO_FINAL_REPLY', 'the reply stream ended without a final reply', name, stream.requestId);
  }

  async #close(): Promise<void> {
    this.#state = 'closing';
    await this.#drainHandlers();
    await Promise.allSettled([...this.#transmissions]);
    try {
      await this.#transport.close();
    } finally {
      this.#pending.failAll(new RelayClosedError('the relay was closed before the reply stream ended'));
      this.#state = 'closed';
      this.#port = undefined;
      this.emit('offline');
    }
  }

  async #drainHandlers(): Promise<void> {
    if (this.#activeHandlers.size === 0) return;
    const timeout = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.#activeHandlers]),
      delay(this.#drainTimeout, undefined, { signal: timeout.signal }).then(
        () => debug('close: %d handlers still running after %d ms', this.#activeHandlers.size, this.#drainTimeout),
        () => {},
      ),
    ]);
    timeout.abort();
  }

  #refuse<N extends MessageName<M>>(name: string, error: Error): ReplyStream<ReplyOf<M, N>> {
    this.#emitError(error);
    const controller = new ReplyStreamController({
      messageName: String(name),
      requestId: '',
      maxBufferedReplies: 0,
      onSettled: () => {},
    });
    controller.markSendFailed(error);
    return controller.stream as ReplyStream<ReplyOf<M, N>>;
  }

  #transmit(controller: ReplyStreamController, message: NamedEnvelope, signal: AbortSignal | undefined): void {
    const transmission = this.#validateOutgoing(message.name, undefined, message.envelope.payload)
      .then(() => this.#markOneWay(controller, message))
      .then(() => this.#transport.send(message, { signal }))
      .then(
        (receipt) => controller.markSent(receipt),
        (error: Error) => {
          this.#emitError(error);
          controller.markSendFailed(error);
        },
      );
    this.#transmissions.add(transmission);
    void transmission.then(() => this.#transmissions.delete(transmission));
  }

  /**
   * A stream claimed by now (a `for await`, a callback, `request()`) goes out at once. Any other
   * waits for the end of the tick: if nobody claimed it by then, it travels as `oneWay`, so the
   * bus, the transport and the receiver keep no way back for replies nobody will read.
   */
  async #markOneWay(controller: ReplyStreamController, message: NamedEnvelope): Promise<void> {
    if (controller.isClaimed) return;
    if (!(await controller.claimDecided)) message.envelope.oneWay = true;
  }

  #forwardToCallback(controller: ReplyStreamController, onReply: ReplyCallback): void {
    const consume = async () => {
      for await (const reply of controller.stream) onReply(reply.payload, reply);
    };
    consume().catch((error: Error) => {
      // A failed send was emitted already by #transmit.
      if (error !== controller.sendError) this.#emitError(error);
    });
  }

  async #deliver(message: NamedEnvelope): Promise<Delivery> {
    const { name, envelope } = message;
    if (isReply(envelope)) return this.#acceptReply(name, envelope);
    if (this.#state === 'closing' || this.#state === 'closed')
      return { kind: 'unavailable', error: 'the relay is closing' };
    const handler = this.#handlers.get(name);
    if (handler === undefined) return { kind: 'unknown-message', error: `unknown message: '${name}'` };
    const checked = await this.#validate(name, undefined, envelope.payload, 'incoming');
    if (!checked.ok) {
      this.#emitError(checked.error);
      this.#sendErrorReply(this.#replierFor(name, envelope), {
        code: WireErrorCode.InvalidPayload,
        message: checked.error.message,
        details: { issues: checked.error.issues },
      });
      return { kind: 'rejected', error: checked.error.message };
    }
    const handled = this.#runHandler(name, envelope, checked.value, handler as MessageHandler<M, MessageName<M>, this>);
    return { kind: 'accepted', handled };
  }

  async #acceptReply(outcome: string, envelope: Envelope & { responseTo: string }): Promise<Delivery> {
    const controller = this.#pending.get(envelope.responseTo);
    if (controller === undefined) {
      debug('reply %s to %s: nobody waits for it any more', outcome, envelope.responseTo);
      return { kind: 'accepted' };
    }
    const name = controller.messageName;
    if (outcome === ERROR_OUTCOME) {
      controller.pushFailure(toRemoteError(name, envelope), envelope.sender, envelope.seq);
      return { kind: 'accepted' };
    }
    const checked = await this.#validate(name, outcome, envelope.payload, 'incoming');
    if (!checked.ok) {
      controller.pushFailure(checked.error, envelope.sender, envelope.seq);
      return { kind: 'accepted' };
    }
    const final = this.#contracts?.isFinal(name, outcome) ?? envelope.more !== true;
    const { requestId, responseTo, sender } = envelope;
    const reply = { outcome, payload: checked.value, requestId, responseTo, sender, final };
    controller.push(reply, envelope.seq);
    return { kind: 'accepted' };
  }

  #runHandler(
    name: MessageName<M>,
    envelope: Envelope,
    payload: unknown,
    handler: MessageHandler<M, MessageName<M>, this>,
  ): Promise<HandlerResult> {
    const replier = this.#replierFor(name, envelope);
    const context: HandlerContext<M, MessageName<M>, this> = {
      reply: replier.reply,
      send: this.send.bind(this) as HandlerContext<M, MessageName<M>, this>['send'],
      request: this.request.bind(this) as HandlerContext<M, MessageName<M>, this>['request'],
      requestId: envelope.requestId,
      sender: envelope.sender,
      messageName: name,
    };
    const run = (async (): Promise<HandlerResult> => {
      try {
        await handler(payload as PayloadOf<M, MessageName<M>>, context);
        return 'succeeded';
      } catch (cause) {
        const error = new HandlerError(name, envelope.requestId, { cause });
        this.#emitError(error);
        if (!replier.finalSent) {
          this.#sendErrorReply(replier, { code: WireErrorCode.HandlerFailed, message: describe(cause) });
        }
        return 'failed';
      }
    })();
    this.#activeHandlers.add(run);
    void run.then(() => this.#activeHandlers.delete(run));
    return run;
  }

  #replierFor(name: string, envelope: Envelope): Replier<M> {
    return new Replier((outcome, payload, wire) => this.#sendReply({ name, envelope }, outcome, payload, wire));
  }

  /** Sends one reply of a Replier: checks and validates it, then numbers it and hands it to the transport. */
  async #sendReply(request: { name: string; envelope: Envelope }, outcome: string, payload: unknown, wire: ReplyWire) {
    try {
      if (typeof outcome !== 'string' || outcome === '')
        throw new InvalidArgumentError('a reply needs an outcome name');
      if (!wire.isErrorReply && isReservedName(outcome)) {
        throw new InvalidArgumentError(
          `cannot reply '${outcome}': names starting with 'exo.' are reserved for the protocol`,
        );
      }
      if (typeof payload === 'function') throw new InvalidArgumentError('cannot reply with a function as payload');
      await this.#validateOutgoing(request.name, outcome, payload);
      if (request.envelope.oneWay === true) {
        debug('not replying %s to %s: its sender reads no replies', outcome, request.envelope.requestId);
        return;
      }
      const envelope: Envelope = withPayload(
        { sender: this.serviceName, requestId: randomUUID(), responseTo: request.envelope.requestId },
        payload,
      );
      envelope.seq = wire.claimSeq();
      if (wire.more) envelope.more = true;
      await this.#transport.send({ name: outcome, envelope });
    } catch (error) {
      this.#emitError(error as Error);
      throw error;
    }
  }

  #sendErrorReply(replier: Replier<M>, payload: { code: string; message: string; details?: unknown }): void {
    replier.replyError(payload).catch(() => {
      // Already emitted by sendReply; the requester's timeout is the remaining safety net.
    });
  }

  async #validateOutgoing(name: string, outcome: string | undefined, payload: unknown): Promise<void> {
    const checked = await this.#validate(name, outcome, payload, 'outgoing');
    if (!checked.ok) throw checked.error;
  }

  async #validate(
    name: string,
    outcome: string | undefined,
    payload: unknown,
    direction: 'incoming' | 'outgoing',
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: ContractViolationError }> {
    const contracts = this.#contracts;
    if (contracts === undefined || !this.#validateMessages) return { ok: true, value: payload };
    const result =
      outcome === undefined
        ? contracts.validatePayload(name, payload)
        : contracts.validateReply(name, outcome, payload);
    const settled = await result;
    if (settled === undefined || settled.ok) return { ok: true, value: settled?.value ?? payload };
    return { ok: false, error: new ContractViolationError(name, direction, settled.issues, outcome) };
  }

  #emitError(error: Error): void {
    // An EventEmitter throws an 'error' nobody listens to; from async code that would crash
    // the process, so without a listener the error becomes a process warning instead.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else process.emitWarning(error);
  }
}

function withPayload<E extends Envelope>(envelope: E, payload: unknown): E {
  if (payload !== undefined) envelope.payload = payload;
  return envelope;
}

function toRemoteError(name: string, envelope: Envelope): RemoteError {
  const payload = envelope.payload;
  if (isErrorReplyPayload(payload)) {
    return new RemoteError(payload.code, payload.message, name, envelope.responseTo ?? '', payload.details);
  }
  return new RemoteError('UNKNOWN', JSON.stringify(payload) ?? 'no details', name, envelope.responseTo ?? '');
}

function parsePort(port: number | string | undefined): number | undefined {
  if (port === undefined) return undefined;
  const value = typeof port === 'string' && port.trim() !== '' ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new ConfigError('Non-numerical port provided to ExoRelay#listen');
  }
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
