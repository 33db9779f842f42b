import { type Envelope, isReply, type NamedEnvelope } from '@exorelay/protocol';
import {
  ConfigError,
  type Delivery,
  type HandlerResult,
  type ListenInfo,
  MessageRejectedError,
  RelayClosedError,
  type SendReceipt,
  type Transport,
  type TransportContext,
} from 'exorelay';
import { type JsMsg, type Msg, ErrorCode as NatsClientErrorCode, NatsError, type Subscription } from 'nats';
import { debug } from './debug.js';
import { DurableChannel, REPLY_TO_HEADER } from './durable.js';
import { MalformedMessageError, NatsDisconnectedError, UnroutableReplyError } from './errors.js';
import { NatsLink } from './nats-link.js';
import {
  type NatsTransportOptions,
  type ResolvedNatsTransportOptions,
  resolveNatsTransportOptions,
} from './options.js';
import { ReplyRoutes } from './reply-routes.js';
import { messageSubject, subjectToken } from './subjects.js';
import { decodeEnvelope, encodeEnvelope, outcomeHeaders, readOutcome } from './wire.js';

/**
 * Runs a relay over NATS instead of ExoCom: same API, same semantics. Each handled message
 * name is a subject, subscribed with a queue group named after the service, so every service
 * that handles a name gets each message and its instances share the load.
 *
 * @example
 * const relay = new ExoRelay({ serviceName: 'users', transport: natsTransport({ servers: 'nats://127.0.0.1:4222' }) })
 */
/** The NATS transport, with a count of its state for leak checks and monitoring. */
export interface NatsTransport extends Transport {
  /** Messages received whose replies this relay may still send: their way back is kept. */
  readonly replyRoutes: number;
}

export function natsTransport(options: NatsTransportOptions): NatsTransport {
  return new NatsTransportImpl(resolveNatsTransportOptions(options));
}

type State = 'idle' | 'listening' | 'stopping' | 'closing' | 'closed';

/** A message handed to the relay, with the relay's verdict. */
interface Handed {
  envelope: Envelope;
  delivery: Delivery;
}

class NatsTransportImpl implements NatsTransport {
  readonly kind = 'nats';
  readonly answersRefusals = false;
  readonly #options: ResolvedNatsTransportOptions;
  readonly #routes: ReplyRoutes;
  /** Message name → its queue subscription (core NATS names). */
  readonly #subscriptions = new Map<string, Subscription>();
  /** Messages being handed to the relay, so that close() can wait for their answers. */
  readonly #deliveries = new Set<Promise<void>>();
  #context: TransportContext | undefined;
  #link: Promise<NatsLink> | undefined;
  #durable: DurableChannel | undefined;
  #state: State = 'idle';
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedNatsTransportOptions) {
    this.#options = options;
    this.#routes = new ReplyRoutes(options.replyRouteTtl);
  }

  get replyRoutes(): number {
    return this.#routes.size;
  }

  attach(context: TransportContext): void {
    this.#context = context;
  }

  async listen({ port }: { port?: number }): Promise<ListenInfo> {
    const context = this.#requireContext();
    if (port !== undefined && port !== 0) debug('%s: NATS binds no port; ignoring port %d', context.serviceName, port);
    const link = await this.#open();
    try {
      await this.#receiveHandledNames(link);
      await link.connection.flush();
    } catch (error) {
      // A relay that failed to listen receives nothing, not half of its names.
      await this.#stopReceiving();
      this.#subscriptions.clear();
      throw error;
    }
    this.#state = 'listening';
    const address = link.address;
    context.reportStatus({ type: 'online', address });
    return { address };
  }

  async send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    if (this.#state === 'closed') throw new RelayClosedError('the NATS transport is closed');
    const link = await this.#open();
    if (!(await link.whenConnected(this.#options.reconnectWait, options?.signal))) {
      throw new NatsDisconnectedError(message.name);
    }
    try {
      return isReply(message.envelope)
        ? await this.#sendReply(link, message.name, message.envelope)
        : await this.#sendMessage(link, message.name, message.envelope);
    } catch (error) {
      throw translatePublishError(message.name, error);
    }
  }

  async handledNamesChanged(): Promise<void> {
    if (this.#state !== 'listening') return;
    try {
      const link = await this.#open();
      await this.#receiveHandledNames(link);
      await link.connection.flush();
    } catch (error) {
      this.#context?.reportError(error as Error);
    }
  }

  async stopReceiving(): Promise<void> {
    if (this.#state === 'listening') this.#state = 'stopping';
    await this.#stopReceiving();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state = 'closing';
    const link = await this.#link?.catch(() => undefined);
    if (link !== undefined) {
      // Stop taking messages first; those already here get their answers before the rest drains.
      await this.#stopReceiving();
      await Promise.allSettled([...this.#deliveries]);
      await link.close();
    }
    this.#state = 'closed';
    this.#subscriptions.clear();
    this.#routes.clear();
    this.#context?.reportStatus({ type: 'offline' });
  }

  /** Unsubscribes from every message name; messages already on their way still arrive. */
  async #stopReceiving(): Promise<void> {
    const drains = [...this.#subscriptions.values()].map((subscription) => subscription.drain());
    const failed = (await Promise.allSettled(drains)).filter((drain) => drain.status === 'rejected');
    for (const drain of failed) debug('unsubscribing failed: %o', drain.reason);
    await this.#durable?.stop();
  }

  /** Connects on first use: a relay that only sends never has to listen. */
  #open(): Promise<NatsLink> {
    if (this.#link === undefined && (this.#state === 'closing' || this.#state === 'closed')) {
      return Promise.reject(new RelayClosedError('the NATS transport is closed'));
    }
    this.#link ??= NatsLink.open({
      servers: this.#options.servers,
      connection: this.#options.connection,
      name: this.#requireContext().serviceName,
      onReply: (msg) => this.#track(this.#receiveReply(msg)),
      onStatus: (status) => this.#context?.reportStatus(status),
      onError: (error) => this.#context?.reportError(error),
    }).catch((error: Error) => {
      this.#link = undefined;
      throw error;
    });
    return this.#link;
  }

  /** JetStream is set up only for relays that send or handle durable messages. */
  #durableChannel(link: NatsLink): DurableChannel {
    this.#durable ??= new DurableChannel(link, this.#requireContext().serviceName, this.#options.durableAckWait);
    return this.#durable;
  }

  /** Subscribes to each handled name not subscribed yet: durable ones through JetStream. */
  async #receiveHandledNames(link: NatsLink): Promise<void> {
    const context = this.#requireContext();
    const queue = subjectToken(context.serviceName);
    const durable: Promise<void>[] = [];
    for (const name of context.handledNames()) {
      const subject = messageSubject(this.#options.subjectPrefix, name);
      if (this.#options.isDurable(name)) {
        durable.push(
          this.#durableChannel(link).consume(name, subject, (msg) => this.#track(this.#receiveDurable(name, msg))),
        );
        continue;
      }
      if (this.#subscriptions.has(name)) continue;
      const subscription = link.connection.subscribe(subject, {
        queue,
        callback: (error, msg) => {
          if (error === null) this.#track(this.#receiveMessage(name, msg));
          else context.reportError(error);
        },
      });
      this.#subscriptions.set(name, subscription);
      debug('%s subscribed to %s in queue group %s', context.serviceName, subject, queue);
    }
    await Promise.all(durable);
  }

  async #sendMessage(link: NatsLink, name: string, envelope: Envelope): Promise<SendReceipt> {
    const subject = messageSubject(this.#options.subjectPrefix, name);
    const data = encodeEnvelope(envelope);
    const received = this.#options.isDurable(name)
      ? await this.#durableChannel(link).publish(
          subject,
          data,
          envelope.requestId,
          link.replySubject(envelope.requestId),
        )
      : await link.publishRequest(subject, data, envelope.requestId);
    // NATS does not count receivers; it only says when there are none.
    return received ? {} : { receivers: 0 };
  }

  async #sendReply(link: NatsLink, outcome: string, envelope: Envelope & { responseTo: string }): Promise<SendReceipt> {
    const route = this.#routes.use(envelope.responseTo);
    if (route === undefined) throw new UnroutableReplyError(outcome, envelope.responseTo, this.#options.replyRouteTtl);
    if (envelope.more !== true) this.#routes.forget(envelope.responseTo);
    await link.publish(route, encodeEnvelope(envelope), { headers: outcomeHeaders(outcome) });
    return {};
  }

  async #receiveMessage(name: string, msg: Msg): Promise<void> {
    const handed = await this.#hand(name, msg.subject, msg.data, msg.reply);
    // A closing relay takes no new work: let the other instances of the service have it.
    if (handed?.delivery.kind === 'unavailable') void this.#stopReceiving();
  }

  /**
   * A durable message is acknowledged once its handler resolved, so JetStream keeps it for this
   * service until then: a process that dies mid-handler gets it again, and a relay that is
   * closing hands it back for another instance, or for this service once it is back. A handler
   * that threw has answered `exo.error` already; its message is not delivered again.
   */
  async #receiveDurable(name: string, msg: JsMsg): Promise<void> {
    const handed = await this.#hand(name, msg.subject, msg.data, msg.headers?.get(REPLY_TO_HEADER));
    switch (handed?.delivery.kind) {
      case 'accepted':
        // Not awaited here: closing waits for deliveries, and the relay bounds the handler drain.
        void acknowledgeWhenHandled(msg, handed.delivery.handled);
        return;
      case 'unavailable':
        void this.#stopReceiving();
        msg.nak();
        return;
      case 'unknown-message':
        msg.nak();
        return;
      default:
        // Malformed, or it broke its contract (the relay replied INVALID_PAYLOAD): trying again cannot help.
        msg.term();
    }
  }

  /** Decodes a message and gives it to the relay; `undefined` when it was malformed (and reported). */
  async #hand(
    name: string,
    subject: string,
    data: Uint8Array,
    replySubject: string | undefined,
  ): Promise<Handed | undefined> {
    const context = this.#requireContext();
    const parsed = decodeEnvelope(data);
    if (!parsed.ok) {
      context.reportError(new MalformedMessageError(subject, parsed.error));
      return undefined;
    }
    const { envelope } = parsed;
    // Every message carries a reply subject (it tells no responders apart), but nobody reads the
    // replies of a one-way message: keep no way back for it.
    const wantsReplies = replySubject !== undefined && replySubject !== '' && envelope.oneWay !== true;
    if (wantsReplies) this.#routes.remember(envelope.requestId, replySubject);
    let delivery = await context.deliver({ name, envelope });
    while (delivery.kind === 'busy') {
      await context.capacity();
      delivery = await context.deliver({ name, envelope });
    }
    return { envelope, delivery };
  }

  async #receiveReply(msg: Msg): Promise<void> {
    const context = this.#requireContext();
    const outcome = readOutcome(msg);
    if (outcome === undefined) {
      context.reportError(new MalformedMessageError(msg.subject, 'a reply without a readable Exo-Outcome header'));
      return;
    }
    const parsed = decodeEnvelope(msg.data);
    if (!parsed.ok) {
      context.reportError(new MalformedMessageError(msg.subject, parsed.error));
      return;
    }
    await context.deliver({ name: outcome, envelope: parsed.envelope });
  }

  #track(delivery: Promise<void>): void {
    this.#deliveries.add(delivery);
    void delivery.then(
      () => this.#deliveries.delete(delivery),
      (error: Error) => {
        this.#deliveries.delete(delivery);
        this.#context?.reportError(error);
      },
    );
  }

  #requireContext(): TransportContext {
    if (this.#context === undefined) throw new ConfigError('the NATS transport was not attached to a relay');
    return this.#context;
  }
}

/** Says what went wrong in the relay's terms: a message too big for the server is refused as over HTTP. */
function translatePublishError(name: string, error: unknown): unknown {
  if (!(error instanceof NatsError)) return error;
  if (error.code === NatsClientErrorCode.MaxPayloadExceeded) {
    return new MessageRejectedError(name, 413, `the message is larger than the NATS server's max_payload`);
  }
  if (error.code === NatsClientErrorCode.Disconnect || error.code === NatsClientErrorCode.ConnectionClosed) {
    return new NatsDisconnectedError(name, { cause: error });
  }
  return error;
}

async function acknowledgeWhenHandled(msg: JsMsg, handled: Promise<HandlerResult> | undefined): Promise<void> {
  const result = await handled;
  try {
    if (result === 'failed') msg.term();
    else msg.ack();
  } catch (error) {
    // The connection closed first: JetStream delivers the message again after its ack wait.
    debug('could not acknowledge a durable message: %s', (error as Error).message);
  }
}
