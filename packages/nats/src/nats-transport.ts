import { setTimeout as delay } from 'node:timers/promises';
import { type Envelope, isReply, NamedEnvelope } from '@exorelay/protocol';
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
import { type JsMsg, type Msg, ErrorCode as NatsClientErrorCode, NatsError } from 'nats';
import { BusyBacklog } from './busy-backlog.js';
import { debug } from './debug.js';
import { DurableChannel, REPLY_TO_HEADER } from './durable.js';
import { MalformedMessageError, NatsDisconnectedError, UnroutableReplyError } from './errors.js';
import { InFlight } from './in-flight.js';
import { NatsLink } from './nats-link.js';
import {
  type NatsTransportOptions,
  type ResolvedNatsTransportOptions,
  resolveNatsTransportOptions,
} from './options.js';
import { QueueSubscriptions } from './queue-subscriptions.js';
import { ReplyBatch } from './reply-batch.js';
import { ReplyRoutes } from './reply-routes.js';
import { messageSubject, subjectToken } from './subjects.js';
import { decodeEnvelope, decodeReply, encodeEnvelope, encodeReply } from './wire.js';

/** The NATS transport, with a count of its state for leak checks and monitoring. */
export interface NatsTransport extends Transport {
  /** Messages received whose replies this relay may still send: their way back is kept. */
  readonly replyRoutes: number;
  /**
   * Resolves once NATS routes here exactly the message names the relay handles and can take
   * now: after `registerHandler`/`unregisterHandler`, and after the relay became saturated or
   * had room again (see `maxConcurrentHandlers`).
   */
  subscriptionsSettled(): Promise<void>;
}

/**
 * Runs a relay over NATS instead of ExoCom: same API, same semantics. Each handled message
 * name is a subject, subscribed with a queue group named after the service, so every service
 * that handles a name gets each message and its instances share the load.
 *
 * @example
 * const relay = new ExoRelay({ serviceName: 'users', transport: natsTransport({ servers: 'nats://127.0.0.1:4222' }) })
 */
export function natsTransport(options: NatsTransportOptions): NatsTransport {
  return new NatsTransportImpl(resolveNatsTransportOptions(options));
}

/** The receipt of a core NATS send: NATS does not count receivers (`undefined`: at least one, or unknown). */
const SENT: SendReceipt = Object.freeze({});
/** `SENT`, settled: one promise for every core send, none made per message. */
const SENT_PROMISE = Promise.resolve(SENT);

/** How long the relay must stay saturated before it leaves its queue groups, in ms. */
const SATURATION_GRACE_MS = 50;

type State = 'idle' | 'listening' | 'stopping' | 'closing' | 'closed';

class NatsTransportImpl implements NatsTransport {
  readonly kind = 'nats';
  readonly answersRefusals = false;
  /** Core NATS delivers a message once or drops it; JetStream may deliver a durable one again. */
  readonly deliversOnce: boolean;
  readonly #options: ResolvedNatsTransportOptions;
  readonly #routes: ReplyRoutes;
  /** Message name → its subject: encoding a name costs more than a lookup. */
  readonly #subjects: BoundedCache<string>;
  /** Progress replies waiting for the end of the event loop's turn, to go out in one write. */
  readonly #replyBatch = new ReplyBatch({
    publishNow: (message) => this.#publishReplyNow(message),
    sendWhenConnected: (message) => this.#sendWhenConnected(message),
  });
  /** Messages being handed to the relay, so that close() can wait for their answers. */
  readonly #inFlight = new InFlight();
  #context: TransportContext | undefined;
  #backlog: BusyBacklog | undefined;
  #link: Promise<NatsLink> | undefined;
  /** The link once connected, for the synchronous path of `send`. */
  #openLink: NatsLink | undefined;
  #subscriptions: QueueSubscriptions | undefined;
  /** The last update of the subscriptions, settled or not. */
  #subscriptionsSettled: Promise<void> = Promise.resolve();
  #durable: DurableChannel | undefined;
  #state: State = 'idle';
  /** The relay has run `maxConcurrentHandlers` handlers for a while: stay out of the queue groups. */
  #saturated = false;
  #saturatedSince: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedNatsTransportOptions) {
    this.#options = options;
    this.#routes = new ReplyRoutes(options.replyRouteTtl);
    this.#subjects = new BoundedCache((name) => messageSubject(options.subjectPrefix, name));
    this.deliversOnce = !options.hasDurableNames;
  }

  get replyRoutes(): number {
    return this.#routes.size;
  }

  attach(context: TransportContext): void {
    this.#context = context;
    this.#backlog = new BusyBacklog(context);
  }

  async listen({ port }: { port?: number }): Promise<ListenInfo> {
    const context = this.#requireContext();
    if (port !== undefined && port !== 0) debug('%s: NATS binds no port; ignoring port %d', context.serviceName, port);
    const link = await this.#open();
    this.#state = 'listening';
    try {
      await Promise.all([this.#updateSubscriptions(link), this.#updateDurable(link)]);
    } catch (error) {
      // A relay that failed to listen receives nothing, not half of its names.
      this.#state = 'idle';
      await this.#leave(link);
      throw error;
    }
    const address = link.address;
    context.reportStatus({ type: 'online', address });
    return { address };
  }

  send(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    if (isReply(message.envelope) && this.#replyBatch.takes(message)) return this.#replyBatch.add(message);
    return this.#sendNow(message, options);
  }

  #sendNow(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    const link = this.#connectedLink();
    if (link === undefined) return this.#sendWhenConnected(message, options);
    try {
      return this.#publish(link, message);
    } catch (error) {
      return Promise.reject(translatePublishError(message.name, error));
    }
  }

  /** The link, while messages published now go to a connected server. */
  #connectedLink(): NatsLink | undefined {
    const link = this.#openLink;
    return link === undefined || !link.connected || this.#state === 'closed' ? undefined : link;
  }

  /** Publishes a reply of a batch at once, if connected (see `ReplyPublisher`). */
  #publishReplyNow(message: NamedEnvelope): SendReceipt | undefined {
    const link = this.#connectedLink();
    if (link === undefined) return undefined;
    try {
      this.#publishReply(link, message.name, message.envelope as Envelope & { responseTo: string });
    } catch (error) {
      throw translatePublishError(message.name, error);
    }
    return SENT;
  }

  async handledNamesChanged(): Promise<void> {
    const link = this.#openLink;
    if (this.#state !== 'listening' || link === undefined) return;
    const updates = await Promise.allSettled([this.#updateSubscriptions(link), this.#updateDurable(link)]);
    for (const update of updates) if (update.status === 'rejected') this.#context?.reportError(update.reason as Error);
  }

  /**
   * Quick handlers make the relay saturated and free again within microseconds, and with no
   * other instance NATS drops what nobody subscribes to: so only a relay that stays saturated
   * for `SATURATION_GRACE_MS` leaves its queue groups. What arrives until then waits in the backlog.
   */
  saturationChanged(saturated: boolean): void {
    clearTimeout(this.#saturatedSince);
    this.#saturatedSince = undefined;
    if (saturated) {
      this.#saturatedSince = setTimeout(() => this.#followSaturation(true), SATURATION_GRACE_MS).unref();
    } else if (this.#saturated) {
      this.#followSaturation(false);
    }
  }

  #followSaturation(saturated: boolean): void {
    this.#saturated = saturated;
    const link = this.#openLink;
    if (this.#state !== 'listening' || link === undefined) return;
    this.#updateSubscriptions(link).catch((error: Error) => debug('could not follow saturation: %s', error.message));
  }

  subscriptionsSettled(): Promise<void> {
    return this.#subscriptionsSettled;
  }

  async stopReceiving(): Promise<void> {
    if (this.#state === 'listening') this.#state = 'stopping';
    const link = this.#openLink;
    if (link !== undefined) await this.#leave(link);
    // Messages that arrived before NATS stopped routing here are the relay's, busy or not.
    await this.#backlog?.emptied();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#state === 'listening') await this.stopReceiving();
    this.#state = 'closing';
    const link = await this.#link?.catch(() => undefined);
    if (link !== undefined) {
      await this.#leave(link);
      await this.#inFlight.idle();
      await link.close();
    }
    this.#state = 'closed';
    clearTimeout(this.#saturatedSince);
    this.#openLink = undefined;
    this.#routes.clear();
    this.#context?.reportStatus({ type: 'offline' });
  }

  /** Leaves every queue group and stops the durable consumers; messages already on their way still arrive. */
  async #leave(link: NatsLink): Promise<void> {
    await Promise.all([
      this.#updateSubscriptions(link).catch((error: Error) => debug('unsubscribing failed: %s', error.message)),
      this.#durable?.stop(),
    ]);
  }

  /** Makes the core subscriptions match the names the relay handles and can take now. */
  #updateSubscriptions(link: NatsLink): Promise<void> {
    const context = this.#requireContext();
    this.#subscriptions ??= new QueueSubscriptions({
      connection: link.connection,
      queue: subjectToken(context.serviceName),
      receive: (name, msg) => void this.#receiveMessage(name, msg),
      onError: (error) => context.reportError(error),
    });
    const wanted = new Map<string, string>();
    if (this.#state === 'listening' && !this.#saturated) {
      for (const name of context.handledNames()) {
        if (!this.#options.isDurable(name)) wanted.set(name, this.#subject(name));
      }
    }
    const updated = this.#subscriptions.update(wanted, link.connected);
    this.#subscriptionsSettled = updated.catch(() => {});
    return updated;
  }

  /** Consumes each handled durable name through JetStream, and stops consuming the others. */
  async #updateDurable(link: NatsLink): Promise<void> {
    const handled = this.#requireContext()
      .handledNames()
      .filter((name) => this.#options.isDurable(name));
    const stale = (this.#durable?.names() ?? []).filter((name) => !handled.includes(name));
    await Promise.all([
      ...stale.map((name) => this.#durable?.stopConsuming(name)),
      ...handled.map((name) =>
        this.#durableChannel(link).consume(name, this.#subject(name), (msg) => void this.#receiveDurable(name, msg)),
      ),
    ]);
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
      reconnectWait: this.#options.reconnectWait,
      onReply: (msg) => this.#receiveReply(msg),
      onNoResponders: (token) => this.#context?.noResponders(requestIdOf(token)),
      onRepliesLost: (error) => this.#context?.repliesLost(error),
      onStatus: (status) => this.#context?.reportStatus(status),
      onError: (error) => this.#context?.reportError(error),
    }).then(
      (link) => {
        this.#openLink = link;
        return link;
      },
      (error: Error) => {
        this.#link = undefined;
        throw error;
      },
    );
    return this.#link;
  }

  /** JetStream is set up only for relays that send or handle durable messages. */
  #durableChannel(link: NatsLink): DurableChannel {
    this.#durable ??= new DurableChannel(link, this.#requireContext().serviceName, this.#options.durableAckWait);
    return this.#durable;
  }

  /** Waits while the connection is lost (up to `reconnectWait`), then sends. */
  async #sendWhenConnected(message: NamedEnvelope, options?: { signal?: AbortSignal }): Promise<SendReceipt> {
    if (this.#state === 'closed') throw new RelayClosedError('the NATS transport is closed');
    const giveUpAt = performance.now() + this.#options.reconnectWait;
    const link = await this.#open();
    const heldBack = !link.connected;
    if (!(await link.whenConnected(this.#options.reconnectWait, options?.signal))) {
      throw new NatsDisconnectedError(message.name);
    }
    try {
      return heldBack && !this.#isDurableMessage(message)
        ? await this.#publishAfterOutage(link, message, giveUpAt, options?.signal)
        : await this.#publish(link, message);
    } catch (error) {
      throw translatePublishError(message.name, error);
    }
  }

  /**
   * A message (or reply) held through an outage goes out the moment this relay is back, when
   * its receivers may not have resubscribed yet: NATS would drop it. So it goes out probed, and
   * again while nobody subscribes, until `reconnectWait` (counted from the send) is over.
   */
  async #publishAfterOutage(
    link: NatsLink,
    message: NamedEnvelope,
    giveUpAt: number,
    signal: AbortSignal | undefined,
  ): Promise<SendReceipt> {
    const { name, envelope } = message;
    const outgoing = isReply(envelope)
      ? { subject: this.#takeRoute(name, envelope), data: encodeReply(name, envelope) }
      : { subject: this.#subject(name), data: encodeEnvelope(envelope) };
    for (let pause = 25; ; pause = Math.min(pause * 2, 500)) {
      if (await link.publishProbed(outgoing.subject, outgoing.data, envelope.requestId)) return SENT;
      if (performance.now() + pause > giveUpAt) return { receivers: 0 };
      await delay(pause, undefined, { signal });
      if (!(await link.whenConnected(Math.max(0, giveUpAt - performance.now()), signal))) {
        throw new NatsDisconnectedError(name);
      }
    }
  }

  #isDurableMessage(message: NamedEnvelope): boolean {
    return this.#options.isDurable(message.name) && !isReply(message.envelope);
  }

  /**
   * Hands a message to the connected client. Core NATS messages are sent once written to the
   * connection: a request's no-responders status arrives later, on its reply subject, and a
   * one-way message carries no reply subject at all. Durable ones wait for JetStream to store them.
   */
  #publish(link: NatsLink, message: NamedEnvelope): Promise<SendReceipt> {
    const { name, envelope } = message;
    if (isReply(envelope)) {
      this.#publishReply(link, name, envelope);
      return SENT_PROMISE;
    }
    const subject = this.#subject(name);
    const data = encodeEnvelope(envelope);
    if (this.#options.isDurable(name)) {
      return this.#publishDurable(link, subject, data, envelope).catch((error: unknown) => {
        throw translatePublishError(name, error);
      });
    }
    if (envelope.oneWay === true) link.connection.publish(subject, data);
    else link.connection.publish(subject, data, { reply: link.replySubject(envelope.requestId) });
    return SENT_PROMISE;
  }

  async #publishDurable(link: NatsLink, subject: string, data: Uint8Array, envelope: Envelope): Promise<SendReceipt> {
    const { requestId } = envelope;
    const stored = await this.#durableChannel(link).publish(subject, data, requestId, link.replySubject(requestId));
    // NATS does not count receivers; JetStream only says when no stream keeps the subject.
    return stored ? {} : { receivers: 0 };
  }

  #publishReply(link: NatsLink, outcome: string, envelope: Envelope & { responseTo: string }): void {
    const route = this.#takeRoute(outcome, envelope);
    link.connection.publish(route, encodeReply(outcome, envelope));
  }

  /** The reply subject a reply goes to; a final reply forgets it. */
  #takeRoute(outcome: string, envelope: Envelope & { responseTo?: string }): string {
    const responseTo = envelope.responseTo ?? '';
    const route = this.#routes.use(responseTo);
    if (route === undefined) throw new UnroutableReplyError(outcome, responseTo, this.#options.replyRouteTtl);
    if (envelope.more !== true) this.#routes.forget(responseTo);
    return route;
  }

  #subject(name: string): string {
    return this.#subjects.get(name);
  }

  #receiveMessage(name: string, msg: Msg): void {
    this.#inFlight.enter();
    // One reaction per message, with callbacks made once: this runs for every message a service takes.
    this.#hand(name, msg.subject, msg.data, msg.reply).then(this.#handed, this.#handingFailed);
  }

  readonly #handed = (delivery: Delivery | undefined): void => {
    // A closing relay takes no new work: let the other instances of the service have it.
    if (delivery?.kind === 'unavailable' && this.#openLink !== undefined) {
      this.#leave(this.#openLink)
        .catch((error: Error) => this.#context?.reportError(error))
        .finally(() => this.#inFlight.leave());
      return;
    }
    this.#inFlight.leave();
  };

  readonly #handingFailed = (error: Error): void => {
    this.#inFlight.leave();
    this.#context?.reportError(error);
  };

  /**
   * A durable message is acknowledged once its handler resolved, so JetStream keeps it for this
   * service until then: a process that dies mid-handler gets it again, and a relay that is
   * closing hands it back for another instance, or for this service once it is back. A handler
   * that threw has answered `exo.error` already; its message is not delivered again.
   */
  async #receiveDurable(name: string, msg: JsMsg): Promise<void> {
    this.#inFlight.enter();
    try {
      const delivery = await this.#hand(name, msg.subject, msg.data, msg.headers?.get(REPLY_TO_HEADER));
      this.#settleDurable(msg, delivery);
    } catch (error) {
      this.#context?.reportError(error as Error);
    } finally {
      this.#inFlight.leave();
    }
  }

  #settleDurable(msg: JsMsg, delivery: Delivery | undefined): void {
    switch (delivery?.kind) {
      case 'accepted':
        // Not awaited here: closing waits for deliveries, and the relay bounds the handler drain.
        void acknowledgeWhenHandled(msg, delivery.handled);
        return;
      case 'unavailable':
        if (this.#openLink !== undefined) void this.#leave(this.#openLink);
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

  /** Decodes a message and gives it to the relay: its verdict, or `undefined` when it was malformed (and reported). */
  #hand(
    name: string,
    subject: string,
    data: Uint8Array,
    replySubject: string | undefined,
  ): Promise<Delivery | undefined> {
    const context = this.#requireContext();
    const parsed = decodeEnvelope(data);
    if (!parsed.ok) {
      context.reportError(new MalformedMessageError(subject, parsed.error));
      return Promise.resolve(undefined);
    }
    const { envelope } = parsed;
    // Nobody reads the replies of a one-way message: keep no way back for it.
    const wantsReplies = replySubject !== undefined && replySubject !== '' && envelope.oneWay !== true;
    if (wantsReplies) this.#routes.remember(envelope.requestId, replySubject);
    const message = new NamedEnvelope(name, envelope);
    const backlog = this.#requireBacklog();
    // Behind messages that wait for room already, a message waits too: they keep their order.
    if (backlog.size > 0) return backlog.hand(message);
    return context.deliver(message).then((delivery) => (delivery.kind === 'busy' ? backlog.hand(message) : delivery));
  }

  #receiveReply(msg: Msg): void {
    const context = this.#requireContext();
    const parsed = decodeReply(msg.data);
    if (!parsed.ok) {
      context.reportError(new MalformedMessageError(msg.subject, parsed.error));
      return;
    }
    // Never rejects; a reply's verdict changes nothing here.
    void context.deliver(new NamedEnvelope(parsed.outcome, parsed.envelope));
  }

  #requireBacklog(): BusyBacklog {
    if (this.#backlog === undefined) throw new ConfigError('the NATS transport was not attached to a relay');
    return this.#backlog;
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

/** The request id a reply token stands for: tokens percent-encode what subjects cannot hold. */
function requestIdOf(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** A memo of values made from names, bounded since names come from the network. */
class BoundedCache<V> {
  readonly #values = new Map<string, V>();
  readonly #make: (key: string) => V;

  constructor(make: (key: string) => V) {
    this.#make = make;
  }

  get(key: string): V {
    let value = this.#values.get(key);
    if (value === undefined) {
      if (this.#values.size >= 1_000) this.#values.clear();
      value = this.#make(key);
      this.#values.set(key, value);
    }
    return value;
  }
}
