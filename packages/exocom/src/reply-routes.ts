import type QuickLRU from 'quick-lru';
import { boundedLru, liveEntries } from './bounded-lru.js';

/** Where the replies to one forwarded message go back to. */
export interface ReplyRoute {
  /** The service that sent the message. */
  service: string;
  /** The message's public name: a `DELIVERY_FAILED` reply the bus writes names it. */
  name: string;
  /** `host:port` of the instance that sent it, when the bus could tell. */
  instance: string | undefined;
  /**
   * The sending instance named itself but had not registered yet (a relay that sends in the
   * moment between listening and registering, or right after the bus restarted): its replies
   * wait for its registration rather than go to an instance that would ignore them.
   */
  awaitsInstance: boolean;
  /** Receiving services that have not sent their final reply yet. */
  awaitingFinal: number;
  /**
   * Keys of the instances that took the message and have not sent their final reply: the bus
   * answers for them with `DELIVERY_FAILED` when it gives up on one (an HTTP `/run` answers when
   * the handler starts, an event stream when the event is written; the reply comes later, if at
   * all). Made by the first accepted delivery.
   */
  owedBy: string[] | undefined;
  /**
   * Responding service → the `seq` its next reply gets: the highest routed + 1. A failure reply
   * the bus writes for it takes this number, so a requester that already got progress keeps it.
   * Made by the first numbered reply that leaves the route open: most routes close with their
   * first reply and never need it.
   */
  nextSeq: Map<string, number> | undefined;
}

export interface ReplyRoutesOptions {
  /** Most routes kept; the oldest go first. */
  maxEntries: number;
  /** How long a route lives after the message or its last reply, in ms. */
  ttl: number;
}

/** The `seq` a reply the bus writes in the name of `service` takes: after every reply `service` sent. */
export function nextSeqOf(route: ReplyRoute, service: string): number {
  return route.nextSeq?.get(service) ?? 0;
}

/** Notes that `service` sent the reply numbered `seq` on a route that stays open. */
export function noteSeq(route: ReplyRoute, service: string, seq: number): void {
  route.nextSeq ??= new Map();
  route.nextSeq.set(service, Math.max(route.nextSeq.get(service) ?? 0, seq + 1));
}

/**
 * requestId → the instance that sent it, so replies go back to the very instance that asked.
 * Bounded in size and time. A route leaves as soon as every receiver sent its final reply; routes
 * of messages nobody answers (a 2016 relay's events) leave by age or size.
 *
 * Every operation takes constant time, however full: a `Map` swept from its oldest entry walks
 * the holes its deletions leave (tens of µs a message once 100 000 routes were held), and
 * `lru-cache` clears all its preallocated slots when its last entry leaves (≈ 0.7 ms a request
 * at one caller, whose only route comes and goes); see `boundedLru`.
 */
export class ReplyRoutes {
  readonly #routes: QuickLRU<string, ReplyRoute>;

  constructor(options: ReplyRoutesOptions) {
    this.#routes = boundedLru(options.maxEntries, options.ttl);
  }

  /** Routes still live. */
  get size(): number {
    return liveEntries(this.#routes);
  }

  record(requestId: string, route: Omit<ReplyRoute, 'nextSeq' | 'owedBy'>): void {
    this.#routes.set(requestId, {
      service: route.service,
      name: route.name,
      instance: route.instance,
      awaitsInstance: route.awaitsInstance,
      awaitingFinal: route.awaitingFinal,
      owedBy: undefined,
      nextSeq: undefined,
    });
  }

  /**
   * The route of a reply to `requestId`, refreshed for the replies still to come; a final reply
   * counts down its sender's share and the route leaves when no final reply is owed any more.
   */
  take(requestId: string, options: { final: boolean }): ReplyRoute | undefined {
    const route = this.#routes.peek(requestId);
    if (route === undefined) return undefined;
    if (options.final) route.awaitingFinal -= 1;
    if (route.awaitingFinal > 0) this.#routes.set(requestId, route);
    else this.#routes.delete(requestId);
    return route;
  }

  /** The route of replies to `requestId`, if they still have somewhere to go; does not refresh it. */
  peek(requestId: string): ReplyRoute | undefined {
    return this.#routes.peek(requestId);
  }

  /** The live routes whose message `instance` took and has not finally answered, oldest first. */
  owedBy(instance: string): [requestId: string, route: ReplyRoute][] {
    const owed: [string, ReplyRoute][] = [];
    for (const [requestId, route] of this.#routes.entriesAscending()) {
      if (route.owedBy?.includes(instance)) owed.push([requestId, route]);
    }
    return owed;
  }

  clear(): void {
    this.#routes.clear();
  }
}

/** `instance` took the message of `route`: it owes a final reply. */
export function noteOwed(route: ReplyRoute, instance: string): void {
  route.owedBy ??= [];
  route.owedBy.push(instance);
}

/** `instance` owes no final reply on `route` any more; whether it owed one. */
export function settleOwed(route: ReplyRoute, instance: string): boolean {
  const index = route.owedBy?.indexOf(instance) ?? -1;
  if (index < 0) return false;
  route.owedBy!.splice(index, 1);
  return true;
}
