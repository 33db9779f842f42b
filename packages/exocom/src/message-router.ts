import { randomUUID } from 'node:crypto';
import {
  type Envelope,
  ERROR_OUTCOME,
  type ErrorReplyPayload,
  isReservedName,
  WireErrorCode,
} from '@exorelay/protocol';
import { debug } from './debug.js';
import type { OutgoingMessage } from './delivery.js';
import { DeliveryFailedError } from './errors.js';
import type { FlowEvent, FlowReceiver } from './flow-log.js';
import type { Instance } from './instance.js';
import type { LoadBalancer } from './load-balancer.js';
import { OwedReplies, type OwedRepliesOptions } from './owed-replies.js';
import type { ReplyRoute, ReplyRoutes } from './reply-routes.js';
import type { RoutingTable, Service } from './routing-table.js';

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
}

/** A message as it came in at `POST /send/NAME`. */
export interface IncomingMessage {
  name: string;
  envelope: Envelope;
  json: string;
  /** The `exorelay-instance` header: `host:port` (or event-stream id) of the sending instance, when the relay says. */
  instance: string | undefined;
}

export type RouteVerdict = { ok: true; receivers: number } | { ok: false; status: number; error: string };

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
  replyRoutes: ReplyRoutes;
  unknownSenders: UnknownSenders;
  /** How long, and how many, messages an event-stream instance is remembered to owe a reply to. */
  owedReplies: Omit<OwedRepliesOptions, 'now'>;
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

/**
 * Routes one message: to one instance of every service that receives its name, or — for a
 * reply — back to the instance that sent the request. Answers at once with the number of
 * receivers and delivers concurrently; a failed delivery is counted, logged, and answered to
 * the requester with a final `exo.error` reply, so nobody waits for a reply that cannot come.
 */
export class MessageRouter {
  readonly counters: ExoComCounters = {
    received: 0,
    delivered: 0,
    failed: 0,
    repliesRouted: 0,
    noReceivers: 0,
    errorReplies: 0,
  };
  readonly #options: MessageRouterOptions;
  /** Event-stream instance key → the messages it has not finally answered. */
  readonly #owed = new Map<string, OwedReplies>();
  #stopped = false;

  constructor(options: MessageRouterOptions) {
    this.#options = options;
  }

  /** The bus is closing: deliveries it cancels are neither counted nor answered. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * The bus forgot an event-stream instance: every message it got and has not finally answered
   * (and whose requester still waits) gets a `DELIVERY_FAILED` reply saying `reason`.
   */
  instanceForgotten(forgotten: { service: string; instance: string }, reason: string): void {
    const owed = this.#owed.get(forgotten.instance);
    this.#owed.delete(forgotten.instance);
    if (owed === undefined || this.#stopped) return;
    for (const { requestId, name, sender } of owed.takeAll()) {
      if (!this.#options.replyRoutes.has(requestId)) continue;
      this.#fail({ ...forgotten, name, publicName: name, requestId, sender, reason }, { tellRequester: true });
    }
  }

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
    this.counters.received += 1;
    const publicName = senderService?.translator.toPublic(name) ?? name;
    const translated = { ...message, name: publicName };
    const receivers =
      responseTo === undefined
        ? this.#routeMessage(translated, sender)
        : this.#routeReply(translated, responseTo, sender);
    return { ok: true, receivers };
  }

  #routeMessage(message: IncomingMessage, sender: string): number {
    const { name, envelope } = message;
    const receivers = this.#options.table.receiversOf(name);
    if (receivers.length === 0) {
      this.counters.noReceivers += 1;
      if (this.#options.flowObserved()) {
        this.#options.emitFlow({ kind: 'message', name, sender, requestId: envelope.requestId, receivers: [] });
      }
      return 0;
    }
    // Nobody reads the replies of a one-way message: keep no way back for them.
    const oneWay = envelope.oneWay === true;
    if (!oneWay) {
      this.#options.replyRoutes.record(envelope.requestId, {
        service: sender,
        instance: this.#identifySender(sender, message.instance),
        awaitingFinal: receivers.length,
      });
    }
    const flow: FlowReceiver[] | undefined = this.#options.flowObserved() ? [] : undefined;
    for (const { service, instances } of receivers) {
      const instance = this.#options.balancer.pick(service.name, instances);
      const outgoing = { name: service.translator.toInternal(name), envelope, json: message.json };
      flow?.push(flowReceiver(service, instance, outgoing.name));
      this.#deliver(instance, outgoing, { publicName: name, sender, reply: false, oneWay });
    }
    if (flow !== undefined) {
      this.#options.emitFlow({ kind: 'message', name, sender, requestId: envelope.requestId, receivers: flow });
    }
    return receivers.length;
  }

  #routeReply(message: IncomingMessage, responseTo: string, sender: string): number {
    const { name, envelope } = message;
    const final = envelope.more !== true;
    const route = this.#options.replyRoutes.take(responseTo, { final });
    const targets = route === undefined ? [] : this.#requesters(route);
    const observed = this.#options.flowObserved();
    const event = { kind: 'reply', name, sender, requestId: envelope.requestId, responseTo, final } as const;
    if (targets.length === 0) {
      debug('reply %s to %s from %s: no route back (unknown or expired request)', name, responseTo, sender);
      if (observed) this.#options.emitFlow({ ...event, receivers: [] });
      return 0;
    }
    if (final) this.#settleOwed(sender, message.instance, responseTo);
    const requester = this.#options.table.service(route!.service)!;
    const outgoing = { name: requester.translator.toInternal(name), envelope, json: message.json };
    const flow: FlowReceiver[] | undefined = observed ? [] : undefined;
    for (const instance of targets) {
      flow?.push(flowReceiver(requester, instance, outgoing.name));
      this.#deliver(instance, outgoing, { publicName: name, sender, reply: true, oneWay: false });
    }
    if (flow !== undefined) this.#options.emitFlow({ ...event, receivers: flow });
    return targets.length;
  }

  /**
   * The instance that should get replies to a message from `sender`: the one the relay names in
   * its `exorelay-instance` header, or the service's only instance. Without either, replies go to
   * every instance of the sender; relays ignore replies to requests they did not send.
   */
  #identifySender(sender: string, named: string | undefined): string | undefined {
    if (named !== undefined && this.#options.table.instance(named)?.serviceName === sender) return named;
    const instances = this.#options.table.instancesOf(sender);
    return instances.length === 1 ? instances[0]!.key : undefined;
  }

  #requesters(route: ReplyRoute): Instance[] {
    const named = route.instance === undefined ? undefined : this.#options.table.instance(route.instance);
    if (named !== undefined && named.serviceName === route.service) return [named];
    return this.#options.table.instancesOf(route.service);
  }

  /** An event-stream instance of `service` (the one the header names, if any) answered `requestId` finally. */
  #settleOwed(service: string, named: string | undefined, requestId: string): void {
    if (this.#owed.size === 0) return;
    const instance = named === undefined ? undefined : this.#options.table.instance(named);
    const candidates = instance?.serviceName === service ? [instance] : this.#options.table.instancesOf(service);
    for (const candidate of candidates) this.#owed.get(candidate.key)?.settle(requestId);
  }

  #owedBy(instance: Instance): OwedReplies {
    let owed = this.#owed.get(instance.key);
    if (owed === undefined) {
      owed = new OwedReplies(this.#options.owedReplies);
      this.#owed.set(instance.key, owed);
    }
    return owed;
  }

  #deliver(
    instance: Instance,
    message: OutgoingMessage,
    context: { publicName: string; sender: string; reply: boolean; oneWay: boolean },
  ) {
    instance.inFlight += 1;
    void instance.channel.deliver(message).then((outcome) => {
      instance.inFlight -= 1;
      if (this.#stopped) return;
      const { requestId } = message.envelope;
      if (outcome.kind === 'delivered') {
        this.counters.delivered += 1;
        if (context.reply) this.counters.repliesRouted += 1;
        // An event-stream instance that is forgotten before it answers leaves its requester waiting.
        else if (instance.eventStream !== undefined && !context.oneWay) {
          this.#owedBy(instance).add({ requestId, name: context.publicName, sender: context.sender });
        }
        this.#options.table.reportSuccess(instance);
        return;
      }
      if (outcome.kind === 'unreachable') this.#options.table.reportFailure(instance);
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
          reason: outcome.reason,
          status: outcome.status,
          cause: outcome.kind === 'unreachable' ? outcome.cause : undefined,
        },
        // A reply, or a one-way message, has nobody to tell.
        { tellRequester: !(context.reply || context.oneWay || refusedByContract) },
      );
    });
  }

  /** Counts and logs a failed delivery and, when asked to, tells the requester. */
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
    if (options.tellRequester) this.#replyFailure(error, { sender });
  }

  /** Tells the requester, as a final reply from the service that could not be reached. */
  #replyFailure(error: DeliveryFailedError, context: { sender: string }): void {
    const payload: ErrorReplyPayload = {
      code: WireErrorCode.DeliveryFailed,
      message: error.message,
      details: { service: error.serviceName, instance: error.instance, reason: error.reason, status: error.status },
    };
    // seq 0: the unreachable service never got the request, so it sent no reply before this one.
    const envelope: Envelope = {
      sender: error.serviceName,
      requestId: randomUUID(),
      responseTo: error.requestId,
      seq: 0,
      payload,
    };
    this.counters.errorReplies += 1;
    debug('telling %s that %s could not be reached', context.sender, error.serviceName);
    this.#routeReply(
      { name: ERROR_OUTCOME, envelope, json: JSON.stringify(envelope), instance: undefined },
      error.requestId,
      error.serviceName,
    );
  }
}

function flowReceiver(service: Service, instance: Instance, name: string): FlowReceiver {
  return { service: service.name, name, instance: instance.key, instances: service.instances.size };
}
