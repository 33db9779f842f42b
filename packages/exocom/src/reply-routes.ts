/** Where the replies to one forwarded message go back to. */
export interface ReplyRoute {
  /** The service that sent the message. */
  service: string;
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
   * Responding service → the `seq` its next reply gets: the highest routed + 1. A failure reply
   * the bus writes for it takes this number, so a requester that already got progress keeps it.
   * Made by the first numbered reply that leaves the route open: most routes close with their
   * first reply and never need it.
   */
  nextSeq: Map<string, number> | undefined;
  expiresAt: number;
}

export interface ReplyRoutesOptions {
  /** Most routes kept; the oldest go first. */
  maxEntries: number;
  /** How long a route lives after the message or its last reply, in ms. */
  ttl: number;
  /** The clock, in ms. */
  now?: () => number;
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
 * Bounded in size and time without a timer per message: a `Map` iterates in insertion order and
 * every write re-inserts with a later expiry, so the oldest entries are always first and the
 * sweep stops at the first live one. A route leaves as soon as every receiver sent its final
 * reply; routes of fire-and-forget messages leave by age or size.
 */
export class ReplyRoutes {
  readonly #routes = new Map<string, ReplyRoute>();
  readonly #options: Required<ReplyRoutesOptions>;

  constructor(options: ReplyRoutesOptions) {
    this.#options = { now: Date.now, ...options };
  }

  /** Routes still live; expired ones are swept first. */
  get size(): number {
    this.#sweep();
    return this.#routes.size;
  }

  record(requestId: string, route: Omit<ReplyRoute, 'expiresAt' | 'nextSeq'>): void {
    this.#sweep();
    this.#routes.delete(requestId);
    this.#routes.set(requestId, {
      service: route.service,
      instance: route.instance,
      awaitsInstance: route.awaitsInstance,
      awaitingFinal: route.awaitingFinal,
      nextSeq: undefined,
      expiresAt: this.#options.now() + this.#options.ttl,
    });
    if (this.#routes.size > this.#options.maxEntries) this.#routes.delete(this.#routes.keys().next().value!);
  }

  /**
   * The route of a reply to `requestId`, refreshed for the replies still to come; a final reply
   * counts down its sender's share and the route leaves when no final reply is owed any more.
   */
  take(requestId: string, options: { final: boolean }): ReplyRoute | undefined {
    this.#sweep();
    const route = this.#routes.get(requestId);
    if (route === undefined) return undefined;
    this.#routes.delete(requestId);
    if (options.final) route.awaitingFinal -= 1;
    if (route.awaitingFinal > 0) {
      route.expiresAt = this.#options.now() + this.#options.ttl;
      this.#routes.set(requestId, route);
    }
    return route;
  }

  /** The route of replies to `requestId`, if they still have somewhere to go; does not refresh it. */
  peek(requestId: string): ReplyRoute | undefined {
    this.#sweep();
    return this.#routes.get(requestId);
  }

  clear(): void {
    this.#routes.clear();
  }

  #sweep(): void {
    const now = this.#options.now();
    for (const [requestId, route] of this.#routes) {
      if (route.expiresAt > now) return;
      this.#routes.delete(requestId);
    }
  }
}
