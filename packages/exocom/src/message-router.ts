import { randomUUID } from 'node:crypto';
import {
  deliveryFailedReply,
  type Envelope,
  ERROR_OUTCOME,
  isReservedName,
  senderRequestKey,
} from '@exorelay/protocol';
import { LRUCache } from 'lru-cache';
import { debug } from './debug.js';
import { type DeliveryOutcome, OutgoingMessage } from './delivery.js';
import type { Dispatcher } from './dispatcher.js';
import { DeliveryFailedError } from './errors.js';
import type { FlowEvent, FlowReceiver } from './flow-log.js';
import { HeldSends, type HoldEnd, type WatchSender } from './held-sends.js';
import { type Instance, instanceKey, isAddressKey } from './instance.js';
import type { LoadBalancer } from './load-balancer.js';
import { nextSeqOf, noteOwed, noteSeq, type ReplyRoute, type ReplyRoutes, settleOwed } from './reply-routes.js';
import type { InstanceChange, RoutingTable, Service } from './routing-table.js';

/** What the bus has done since it started. */
export interface ExoComCounters {
  /** Messages and replies taken at `POST /send`. */
  received: number;
  /** Deliveries an instance accepted. */
  delivered: number;
  /** Deliveries that failed after retrying, or that an instance refused. */
  failed: number;
  /** Replies delivered back to their requester. */
  repliesRouted: number;
  /** Messages nobody receives. */
  noReceivers: number;
  /** `exo.error` replies with code `DELIVERY_FAILED` the bus sent. */
  errorReplies: number;
  /** Sends answered `503` because their receivers' queues stayed full for `maxSendWait`. */
  refusedBusy: number;
  /**
   * Sends whose answer waited for room at their receivers (the bus slowed their senders down),
   * or, for a reply, for the instance that asked to register.
   */
  heldSends: number;
  /** Sends the bus had routed already (same sender and `requestId`), answered again without routing. */
  duplicates: number;
}

/** A message as it came in at `POST /send/NAME`. */
export interface IncomingMessage {
  name: string;
  envelope: Envelope;
  json: string;
  /** The `exorelay-instance` header: `host:port` (or event-stream id) of the sending instance, when the relay says. */
  instance: string | undefined;
}

export type RouteVerdict =
  | { ok: true; receivers: number }
  /**
   * `retryAfter` (seconds) comes with a `503`: the receivers are busy, the sender may retry.
   * `blockedOn` lists the full instances whose room would let the message through;
   * `awaiting`, the unregistered instance whose registration would let a reply through.
   */
  | {
      ok: false;
      status: number;
      error: string;
      retryAfter?: number;
      blockedOn?: readonly Instance[];
      awaiting?: AwaitedInstance;
    };

/** A reply waits for the instance that sent its request to register. */
interface AwaitedInstance {
  key: string;
  responseTo: string;
}

/**
 * How the bus treats a sender it knows neither from the configuration nor from a registration.
 * - `accept`: route its messages (a relay that only sends never registers, and one that just
 *   started listening may send before its registration arrives).
 * - `reject`: answer 403, for a landscape that is closed to strangers.
 */
export type UnknownSenders = 'accept' | 'reject';

export interface MessageRouterOptions {
  table: RoutingTable;
  balancer: LoadBalancer;
  dispatcher: Dispatcher;
  replyRoutes: ReplyRoutes;
  /** How long, and how many, routed sends are remembered to ignore a sender's retry of the same one. */
  deduplication: { ttl: number; max: number };
  unknownSenders: UnknownSenders;
  /**
   * How long `POST /send` may wait for room at full receivers before it answers `503`, and a
   * reply for its requester's instance to register, in ms.
   */
  maxSendWait: number;
  /** Most sends that may wait at one instance, for its room or for its registration. */
  maxHeldPerInstance: number;
  emitFlow(event: FlowEvent): void;
  /** Whether anyone reads the flow log: building its events for nobody costs per message. */
  flowObserved(): boolean;
}

/** A failed delivery of one message to one instance. */
interface FailedDelivery {
  service: string;
  /** The instance's key: `host:port` or its event-stream id. */
  instance: string;
  /** The name the instance knows the message by. */
  name: string;
  publicName: string;
  requestId: string;
  sender: string;
  reason: string;
  status?: number;
  cause?: unknown;
}

interface DeliveryContext {
  publicName: string;
  sender: string;
  reply: boolean;
  oneWay: boolean;
}

/**
 * Routes one message: to one instance of every service that receives its name, or — for a
 * reply — back to the instance that sent the request. Answers with the number of receivers as
 * soon as the receivers have room (bounded: see {@link Dispatcher}) and delivers concurrently; a
 * failed delivery is counted, logged, and answered to the requester with a final `exo.error`
 * reply, so nobody waits for a reply that cannot come.
 */
export class MessageRouter {
  readonly counters: ExoComCounters = {
    received: 0,
    delivered: 0,
    failed: 0,
    repliesRouted: 0,
    noReceivers: 0,
    errorReplies: 0,
    refusedBusy: 0,
    heldSends: 0,
    duplicates: 0,
  };
  readonly #options: MessageRouterOptions;
  /** `sender\nrequestId` → receivers, of sends routed lately: a relay that retries after a reset must not send twice. */
  readonly #routed: LRUCache<string, number>;
  /** Instance key → the replies waiting for that instance to register. */
  readonly #awaitingRegistration: HeldSends<string>;
  /**
   * Addresses whose replies waited `maxSendWait` and that did not register: not waited for again
   * until they do (a relay that does not register, configured under another address).
   */
  readonly #unregistered = new LRUCache<string, true>({ max: 10_000 });
  #stopped = false;

  constructor(options: MessageRouterOptions) {
    this.#options = options;
    this.#routed = new LRUCache({ max: options.deduplication.max, ttl: options.deduplication.ttl });
    this.#awaitingRegistration = new HeldSends({ maxPerKey: options.maxHeldPerInstance });
  }

  /** The bus is closing: deliveries it cancels are neither counted nor answered. */
  stop(): void {
    this.#stopped = true;
    this.#awaitingRegistration.release();
  }

  /**
   * The bus gave up on an instance: every message it took and has not finally answered (and
   * whose requester still waits) gets a `DELIVERY_FAILED` reply saying `reason`.
   */
  #forget(forgotten: { service: string; instance: string }, reason: string): void {
    const owed = this.#releaseOwed(forgotten.instance);
    if (this.#stopped) return;
    for (const [requestId, { name, service: sender }] of owed) {
      this.#fail({ ...forgotten, name, publicName: name, requestId, sender, reason }, { tellRequester: true });
    }
  }

  /** `instance` answers nothing more: it owes no reply any more. Returns the routes it owed. */
  #releaseOwed(instance: string): [requestId: string, route: ReplyRoute][] {
    const owed = this.#options.replyRoutes.owedBy(instance);
    for (const [, route] of owed) settleOwed(route, instance);
    return owed;
  }

  /**
   * The routing table changed. An instance the bus gives up on (forgotten, or marked down)
   * leaves its requesters a `DELIVERY_FAILED` reply; one that deregistered drains its handlers
   * and replies itself — except an event-stream instance, whose stream the bus closes now.
   */
  instanceChanged(change: InstanceChange, reason: string): void {
    const { eventStream, service, host, port } = change.instance;
    const key = eventStream?.id ?? instanceKey(host, port);
    const givenUp =
      (change.type === 'removed' && (eventStream !== undefined || change.reason !== 'deregistration')) ||
      (change.type === 'updated' && change.reason === 'unreachable');
    if (givenUp) this.#forget({ service, instance: key }, reason);
    else if (change.type === 'removed') this.#releaseOwed(key);
    else {
      this.#unregistered.delete(key);
      this.#awaitingRegistration.wakeAll(key);
    }
  }

  /**
   * Routes a message, waiting (up to `maxSendWait`) while every instance of a receiver is full,
   * or while the instance a reply goes back to has not registered yet: the sender's answer comes
   * later, which slows it down to what the receivers take. Past that, or when too many sends wait
   * already, a full receiver means `503` with `retry-after`, and an instance that did not register
   * means the reply goes where the bus can send it, if anywhere.
   */
  routeWhenRoom(message: IncomingMessage, watchSender?: WatchSender): RouteVerdict | Promise<RouteVerdict> {
    // Most sends find room at once: they are answered without a promise.
    const verdict = this.route(message);
    if (!mayWait(verdict)) return verdict;
    return this.#routeWhenUnblocked(message, verdict, watchSender);
  }

  async #routeWhenUnblocked(
    message: IncomingMessage,
    blocked: RouteVerdict,
    watchSender: WatchSender | undefined,
  ): Promise<RouteVerdict> {
    const deadline = Date.now() + this.#options.maxSendWait;
    let held = false;
    for (let verdict = blocked; ; verdict = this.route(message)) {
      if (!mayWait(verdict)) return verdict;
      const left = deadline - Date.now();
      if (left > 0 && !this.#canHold(verdict)) return this.#refuse(verdict);
      if (left > 0 && !held) this.counters.heldSends += 1;
      held = true;
      const end: HoldEnd = left > 0 ? await this.#hold(verdict, left, watchSender) : 'timeout';
      if (this.#stopped || end === 'sender-gone') return this.#refuse(verdict);
      if (end === 'woken') continue;
      if (verdict.awaiting === undefined) return this.#refuse(verdict);
      this.#stopAwaiting(verdict.awaiting);
    }
  }

  #canHold(verdict: RouteVerdict & { ok: false }): boolean {
    return verdict.awaiting === undefined
      ? this.#options.dispatcher.canWaitForRoom(verdict.blockedOn!)
      : this.#awaitingRegistration.canHold([verdict.awaiting.key]);
  }

  #hold(
    verdict: RouteVerdict & { ok: false },
    timeout: number,
    watchSender: WatchSender | undefined,
  ): Promise<HoldEnd> {
    return verdict.awaiting === undefined
      ? this.#options.dispatcher.waitForRoom(verdict.blockedOn!, timeout, watchSender)
      : this.#awaitingRegistration.hold([verdict.awaiting.key], timeout, watchSender);
  }

  #refuse(verdict: RouteVerdict & { ok: false }): RouteVerdict {
    this.counters.refusedBusy += 1;
    const { blockedOn: _, awaiting: __, ...refusal } = verdict;
    return refusal;
  }

  /** The instance did not register in time: its replies go where the bus can send them, if anywhere. */
  #stopAwaiting({ key, responseTo }: AwaitedInstance): void {
    const route = this.#options.replyRoutes.peek(responseTo);
    if (route !== undefined) route.awaitsInstance = false;
    this.#unregistered.set(key, true);
    debug(
      'instance %s did not register within %d ms: its replies are routed without it',
      key,
      this.#options.maxSendWait,
    );
  }

  /** Routes a message now, or refuses it; a refusal with `blockedOn` may succeed once those instances have room. */
  route(message: IncomingMessage): RouteVerdict {
    const { name, envelope } = message;
    const sender = envelope.sender;
    if (sender === undefined || sender === '') {
      return { ok: false, status: 400, error: "missing sender: name the sending service in the envelope's 'sender'" };
    }
    const { responseTo } = envelope;
    if (isReservedName(name) && !(responseTo !== undefined && name === ERROR_OUTCOME)) {
      return {
        ok: false,
        status: 400,
        error: `'${name}' is a reserved name: names starting with 'exo.' belong to the protocol`,
      };
    }
    const senderService = this.#options.table.service(sender);
    if (senderService === undefined && this.#options.unknownSenders === 'reject') {
      return {
        ok: false,
        status: 403,
        error: `unknown sender '${sender}': configure the service or let it register before it sends`,
      };
    }
    const sendKey = senderRequestKey(sender, envelope.requestId);
    const routedBefore = this.#routed.get(sendKey);
    if (routedBefore !== undefined) {
      this.counters.duplicates += 1;
      debug('%s from %s: requestId %s was routed already, not routing it again', name, sender, envelope.requestId);
      return { ok: true, receivers: routedBefore };
    }
    const publicName = senderService?.translator.toPublic(name) ?? name;
    const translated = publicName === name ? message : { ...message, name: publicName };
    const verdict =
      responseTo === undefined
        ? this.#routeMessage(translated, sender)
        : this.#routeReply(translated, responseTo, sender);
    if (!verdict.ok) return verdict;
    this.counters.received += 1;
    this.#routed.set(sendKey, verdict.receivers);
    return verdict;
  }

  #routeMessage(message: IncomingMessage, sender: string): RouteVerdict {
    const { name, envelope } = message;
    const receivers = this.#options.table.receiversOf(name);
    if (receivers.length === 0) {
      this.counters.noReceivers += 1;
      if (this.#options.flowObserved()) {
        this.#options.emitFlow({ kind: 'message', name, sender, requestId: envelope.requestId, receivers: [] });
      }
      return { ok: true, receivers: 0 };
    }
    const full = receivers.find(
      ({ instances }) => !instances.some((instance) => this.#options.dispatcher.hasRoom(instance)),
    );
    if (full !== undefined) return this.#busy(`'${name}'`, full.service.name, full.instances);
    // Nobody reads the replies of a one-way message: keep no way back for them.
    const oneWay = envelope.oneWay === true;
    if (!oneWay) {
      const instance = this.#identifySender(sender, message.instance);
      this.#options.replyRoutes.record(envelope.requestId, {
        service: sender,
        name,
        instance,
        awaitsInstance: instance !== undefined && this.#options.table.instance(instance) === undefined,
        awaitingFinal: receivers.length,
      });
    }
    const flow: FlowReceiver[] | undefined = this.#options.flowObserved() ? [] : undefined;
    for (const { service, instances } of receivers) {
      const instance = this.#options.balancer.pick(service.name, instances);
      const outgoing = new OutgoingMessage(service.translator.toInternal(name), envelope, message.json);
      flow?.push(flowReceiver(service, instance, outgoing.name));
      const siblings = () => this.#instancesReceiving(name, service.name);
      this.#deliver(instance, outgoing, { publicName: name, sender, reply: false, oneWay }, siblings);
    }
    if (flow !== undefined) {
      const { requestId } = envelope;
      this.#options.emitFlow(
        oneWay
          ? { kind: 'message', name, sender, requestId, receivers: flow, oneWay }
          : { kind: 'message', name, sender, requestId, receivers: flow },
      );
    }
    return { ok: true, receivers: receivers.length };
  }

  /** `fromBus`: a reply the bus writes itself has nobody to push back on, so it is never refused. */
  #routeReply(message: IncomingMessage, responseTo: string, sender: string, { fromBus = false } = {}): RouteVerdict {
    const { name, envelope } = message;
    const final = envelope.more !== true;
    // Relays number every reply. One without `seq` comes from a 2016 peer, which sends several
    // replies without `more`: the bus cannot tell its last, so its route stays open until it expires.
    const closesRoute = final && typeof envelope.seq === 'number';
    const known = this.#options.replyRoutes.peek(responseTo);
    if (known?.awaitsInstance === true) {
      const awaited = this.#awaitRegistration(known, responseTo, { fromBus });
      if (awaited !== undefined) return awaited;
    }
    const candidates = known === undefined ? [] : this.#requesters(known);
    const full = candidates.length > 0 && !candidates.some((instance) => this.#options.dispatcher.hasRoom(instance));
    if (full && !fromBus) {
      return this.#busy(`the reply '${name}'`, known!.service, candidates);
    }
    const route = this.#options.replyRoutes.take(responseTo, { final: closesRoute });
    const targets = route === undefined ? [] : candidates;
    const observed = this.#options.flowObserved();
    const event = (receivers: FlowReceiver[]) =>
      ({ kind: 'reply', name, sender, requestId: envelope.requestId, responseTo, final, receivers }) as const;
    if (targets.length === 0) {
      const dropped = route === undefined ? undefined : describeNoAddress(route.service);
      debug(
        'reply %s to %s from %s: %s',
        name,
        responseTo,
        sender,
        dropped ?? 'no route back (unknown or expired request)',
      );
      if (observed) this.#options.emitFlow(dropped === undefined ? event([]) : { ...event([]), dropped });
      return { ok: true, receivers: 0 };
    }
    // A closed route is gone: no failure reply can be written in its name any more, so what it
    // owes and how its replies are numbered no longer matter.
    if (route!.awaitingFinal > 0) {
      if (typeof envelope.seq === 'number') noteSeq(route!, sender, envelope.seq);
      if (final) this.#settleOwed(route!, sender, message.instance);
    }
    const requester = this.#options.table.service(route!.service)!;
    const outgoing = new OutgoingMessage(requester.translator.toInternal(name), envelope, message.json);
    const flow: FlowReceiver[] | undefined = observed ? [] : undefined;
    for (const instance of targets) {
      flow?.push(flowReceiver(requester, instance, outgoing.name));
      this.#deliver(instance, outgoing, { publicName: name, sender, reply: true, oneWay: false });
    }
    if (flow !== undefined) this.#options.emitFlow(event(flow));
    return { ok: true, receivers: targets.length };
  }

  /** Every instance of `service` is full: the sender hears `503` and retries later, so the bus holds no more. */
  #busy(what: string, service: string, blockedOn: readonly Instance[]): RouteVerdict {
    debug('holding %s: every instance of %s is full', what, service);
    return {
      ok: false,
      status: 503,
      retryAfter: 1,
      blockedOn,
      error: `the bus is busy: it holds the most messages it may for every instance of '${service}', the receiver of ${what}; retry later`,
    };
  }

  /**
   * A reply whose requester named an instance that had not registered: refused with `awaiting`
   * while that instance is still unknown, so that the reply waits for it. A reply the bus
   * writes itself cannot wait and goes where it can.
   */
  #awaitRegistration(
    route: ReplyRoute,
    responseTo: string,
    { fromBus }: { fromBus: boolean },
  ): RouteVerdict | undefined {
    const key = route.instance!;
    if (this.#options.table.instance(key) !== undefined || this.#unregistered.has(key)) {
      route.awaitsInstance = false;
      return undefined;
    }
    if (fromBus) return undefined;
    debug('holding the reply to %s: the instance that asked, %s, has not registered yet', responseTo, key);
    return {
      ok: false,
      status: 503,
      retryAfter: 1,
      awaiting: { key, responseTo },
      error: `the bus is busy: the instance of '${route.service}' that sent request ${responseTo} (${key}) has not registered yet, and too many replies wait for it; retry later`,
    };
  }

  #instancesReceiving(publicName: string, service: string): readonly Instance[] {
    return (
      this.#options.table.receiversOf(publicName).find((receiver) => receiver.service.name === service)?.instances ?? []
    );
  }

  /**
   * The instance that should get replies to a message from `sender`: the one the relay names in
   * its `exorelay-instance` header (registered, or about to register under that address), or the
   * service's only instance. Without either, replies go to every instance of the sender; relays
   * ignore replies to requests they did not send.
   */
  #identifySender(sender: string, named: string | undefined): string | undefined {
    if (named !== undefined) {
      const instance = this.#options.table.instance(named);
      if (instance?.serviceName === sender) return named;
      // Not registered yet: it will register under the address it names, unless it did not before.
      if (instance === undefined && isAddressKey(named) && !this.#unregistered.has(named)) return named;
    }
    const instances = this.#options.table.instancesOf(sender);
    return instances.length === 1 ? instances[0]!.key : undefined;
  }

  #requesters(route: ReplyRoute): Instance[] {
    const named = route.instance === undefined ? undefined : this.#options.table.instance(route.instance);
    if (named !== undefined && named.serviceName === route.service) return [named];
    return this.#options.table.instancesOf(route.service);
  }

  /** An instance of `service` (the one the header names, if any) sent its final reply on `route`. */
  #settleOwed(route: ReplyRoute, service: string, named: string | undefined): void {
    if (route.owedBy === undefined) return;
    if (named !== undefined && settleOwed(route, named)) return;
    // One instance of a service takes each message: the one that owes is the one that answered.
    const owing = route.owedBy.find((key) => this.#options.table.instance(key)?.serviceName === service);
    if (owing !== undefined) settleOwed(route, owing);
  }

  #deliver(
    instance: Instance,
    message: OutgoingMessage,
    context: DeliveryContext,
    siblings?: () => readonly Instance[],
  ): void {
    void this.#options.dispatcher.dispatch(instance, message, siblings).then(({ instance: target, outcome }) => {
      if (!this.#stopped) this.#delivered(target, message, context, outcome);
    });
  }

  #delivered(instance: Instance, message: OutgoingMessage, context: DeliveryContext, outcome: DeliveryOutcome): void {
    const { requestId } = message.envelope;
    if (outcome.kind === 'delivered') {
      this.counters.delivered += 1;
      if (context.reply) this.counters.repliesRouted += 1;
      // An instance the bus gives up on before it answers would leave its requester waiting.
      // Its final reply may have overtaken this answer already: then its route is gone.
      else if (!context.oneWay) {
        const route = this.#options.replyRoutes.peek(requestId);
        if (route !== undefined) noteOwed(route, instance.key);
      }
      this.#options.table.reportSuccess(instance);
      return;
    }
    // A receiver that answered 422 tells the requester itself (INVALID_PAYLOAD).
    const refusedByContract = outcome.kind === 'refused' && outcome.status === 422;
    this.#fail(
      {
        service: instance.serviceName,
        instance: instance.key,
        name: message.name,
        publicName: context.publicName,
        requestId,
        sender: context.sender,
        reason: outcome.kind === 'busy' ? `${instance.serviceName} is busy: ${outcome.reason}` : outcome.reason,
        status: outcome.kind === 'refused' || outcome.kind === 'failed' ? outcome.status : undefined,
        cause: outcome.kind === 'not-reached' || outcome.kind === 'failed' ? outcome.cause : undefined,
      },
      // A reply, or a one-way message, has nobody to tell.
      { tellRequester: !(context.reply || context.oneWay || refusedByContract) },
    );
  }

  /**
   * The one place a failed delivery is counted and logged and, when asked to, answered to the
   * requester: a final `DELIVERY_FAILED` reply in the name of the service that could not take
   * it, numbered after the replies that service already sent.
   */
  #fail(failure: FailedDelivery, options: { tellRequester: boolean }): void {
    const { service: serviceName, instance, publicName, requestId, sender } = failure;
    this.counters.failed += 1;
    const error = new DeliveryFailedError(
      publicName,
      requestId,
      serviceName,
      instance,
      failure.reason,
      failure.status,
      { cause: failure.cause },
    );
    debug('%s', error.message);
    this.#options.emitFlow({
      kind: 'delivery-failed',
      name: publicName,
      sender,
      requestId,
      receiver: {
        service: serviceName,
        name: failure.name,
        instance,
        instances: this.#options.table.service(serviceName)?.instances.size ?? 0,
      },
      error,
    });
    if (!options.tellRequester) return;
    const route = this.#options.replyRoutes.peek(requestId);
    if (route === undefined) return;
    const reply = deliveryFailedReply(
      {
        messageName: publicName,
        requestId,
        service: serviceName,
        reason: failure.reason,
        seq: nextSeqOf(route, serviceName),
        details: { instance, status: failure.status },
      },
      randomUUID(),
    );
    this.counters.errorReplies += 1;
    debug('telling %s that %s could not take %s', sender, serviceName, publicName);
    const envelope: Envelope = reply.envelope;
    this.#routeReply(
      { name: reply.name, envelope, json: JSON.stringify(envelope), instance: undefined },
      requestId,
      serviceName,
      { fromBus: true },
    );
  }
}

/** Whether a refusal may turn into a route once something changes: room at an instance, or its registration. */
function mayWait(verdict: RouteVerdict): verdict is RouteVerdict & { ok: false } {
  return !verdict.ok && (verdict.blockedOn !== undefined || verdict.awaiting !== undefined);
}

/** Why a reply to `service` reached nobody although its request was routed: the bus has no address for it. */
function describeNoAddress(service: string): string {
  return `reply for '${service}' dropped: '${service}' has no address; list it in the configuration or let it register`;
}

function flowReceiver(service: Service, instance: Instance, name: string): FlowReceiver {
  return { service: service.name, name, instance: instance.key, instances: service.instances.size };
}
