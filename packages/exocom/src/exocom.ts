import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DEFAULT_BODY_LIMIT } from '@exorelay/protocol';
import { BusAuth, type Caller, type ExoComAuthOptions, isLoopback } from './auth.js';
import { DashboardFeed } from './dashboard/dashboard-feed.js';
import { dashboardViews } from './dashboard/dashboard-views.js';
import { debug } from './debug.js';
import { type DeliveryTlsOptions, HttpInstanceChannel } from './delivery.js';
import { Dispatcher } from './dispatcher.js';
import { ConfigError, isExoComError, TimeoutError } from './errors.js';
import { describeForgetting, type EventStreamOptions, EventStreams } from './event-streams.js';
import type { FlowEvent } from './flow-log.js';
import { HealthMonitor } from './health-monitor.js';
import { type BusEndpoints, BusHttpServer, type BusTlsOptions, type EndpointAnswer } from './http-server.js';
import { type InstanceSnapshot, instanceKey } from './instance.js';
import { isPort, parseLandscape, type ServiceConfig, type ServiceDeliveryTls } from './landscape.js';
import { LoadBalancer, type LoadBalancing } from './load-balancer.js';
import { type ExoComCounters, MessageRouter, type RouteVerdict, type UnknownSenders } from './message-router.js';
import { BusMetrics } from './metrics.js';
import { isEventStreamRegistration, parseDeregistration, parseRegistration } from './registration.js';
import { ReplyRoutes } from './reply-routes.js';
import { type InstanceChange, RoutingTable, type ServiceSnapshot } from './routing-table.js';

/** Options of `startExoCom()`: where it listens, the landscape, delivery and backpressure limits. */
export interface ExoComOptions {
  /**
   * The port to listen on; 0 picks a free one (read it from `bus.port`).
   * @default 3100
   */
  port?: number;
  /**
   * The address to listen on. Use `'0.0.0.0'` to let other machines in.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * The landscape configuration, as in `POST /services` or `exocom --config`.
   * @example services: [{ name: 'users', host: '127.0.0.1', port: 4001, receives: ['users.create'] }]
   */
  services?: ServiceConfig[];
  /**
   * How one instance of a service with several is chosen.
   * @default 'round-robin'
   */
  loadBalancing?: LoadBalancing;
  /**
   * Largest accepted request body, in bytes; larger ones get 413.
   * @default 1048576
   */
  bodyLimit?: number;
  /**
   * Extra delivery attempts at an instance the message provably did not reach (connection
   * refused, connect timeout) when no other instance of its service can take it; backoff
   * `retryDelay`, ×2, ×4 … Nothing else is retried: the handler may have run, and handlers run
   * at most once.
   * @default 2
   */
  deliveryRetries?: number;
  /** @default 50 */
  retryDelay?: number;
  /**
   * Most deliveries under way to one instance at a time.
   * @default 256
   */
  maxInFlightPerInstance?: number;
  /**
   * Most messages held for one instance beyond those under way. When every instance of a
   * receiving service is full, `POST /send` answers `503` with `retry-after`, and senders retry.
   * @default 1024
   */
  maxQueuedPerInstance?: number;
  /**
   * How long `POST /send` waits, in ms, for room when every instance of a receiver is full,
   * before it answers `503` with `retry-after`. The wait itself slows the sender down. A reply
   * to an instance that named itself but has not registered yet waits as long for its
   * registration.
   * @default 5000
   */
  maxSendWait?: number;
  /**
   * Longest a message waits, in ms, for instances that answer `503` (saturated or closing) and
   * have no free sibling; after that its requester gets `DELIVERY_FAILED` (`… is busy`).
   * @default 5000
   */
  maxBusyWait?: number;
  /**
   * How long the bus remembers a routed send, in ms, to answer a sender's retry of the same
   * `(sender, requestId)` without routing it again.
   * @default 60000
   */
  deduplicationTtl?: number;
  /**
   * Most sends remembered for de-duplication; the oldest are dropped first.
   * @default 100000
   */
  maxDeduplicated?: number;
  /**
   * How long one delivery attempt waits for the instance's answer, in ms.
   * @default 10000
   */
  deliveryTimeout?: number;
  /**
   * Most keep-alive connections to one instance.
   * @default 16
   */
  connectionsPerInstance?: number;
  /**
   * How often every instance is asked `GET /status`, in ms; 0 switches health checks off.
   * @default 10000
   */
  healthCheckInterval?: number;
  /**
   * Failed deliveries or health checks in a row after which a registered instance is forgotten
   * and a configured one is marked down.
   * @default 3
   */
  failureThreshold?: number;
  /**
   * How long the bus remembers where to send replies to a message, in ms after the message or
   * its latest reply.
   * @default 300000
   */
  replyRouteTtl?: number;
  /**
   * Most reply routes remembered; the oldest are dropped first, half of them or more kept.
   * @default 100000
   */
  maxReplyRoutes?: number;
  /**
   * What to do with messages from a service the bus knows neither from the configuration nor
   * from a registration.
   * @default 'accept'
   */
  unknownSenders?: UnknownSenders;
  /**
   * Delivery over Server-Sent Events to instances that read `GET /events` instead of taking
   * `POST /run/NAME`: heartbeats, and what is kept for an instance that reconnects.
   * @example eventStreams: { heartbeatInterval: 5000, retention: 120000 }
   */
  eventStreams?: EventStreamOptions;
  /**
   * Count messages per name and time replies for `GET /metrics` (Prometheus text format). Per-name
   * counts need the flow events, which the bus otherwise builds only while someone listens.
   * @default true
   */
  metrics?: boolean;
  /**
   * Credentials: each service presents its own (`authorization: Bearer TOKEN`) and may only act
   * as itself; `admin` may change the landscape; the bus presents `bus` on `POST /run/NAME`.
   * Without it the bus trusts everyone who can reach it, and so refuses to listen beyond
   * loopback unless `insecure` is set. See docs/security.md.
   * @example auth: { services: { users: process.env.USERS_TOKEN! }, admin: process.env.EXOCOM_ADMIN_TOKEN }
   */
  auth?: ExoComAuthOptions;
  /**
   * Listen on a non-loopback `host` without `auth`: everyone who can reach the port may then
   * register, send as any service and replace the landscape.
   * @default false
   */
  insecure?: boolean;
  /**
   * With `auth`, serve `/dashboard` and `/metrics` without the admin credential (a browser cannot
   * send one). They show service names, instance addresses and message names, never payloads:
   * set it only where everyone who can reach the port may see that.
   * @default false
   */
  publicDashboard?: boolean;
  /**
   * Serve HTTPS: `cert` and `key` (PEM); with `ca`, every caller must present a client
   * certificate that `ca` signed (mTLS). Relays connect with `tls: { ca }` (and their `cert`/`key`).
   * @example tls: { cert: readFileSync('bus.pem'), key: readFileSync('bus-key.pem') }
   */
  tls?: BusTlsOptions;
  /**
   * Deliver `POST /run/NAME` (and health checks) over HTTPS, to relays that serve it
   * (`http: { inbound: { tls } }`): `ca` to trust their certificates, `cert` and `key` to present
   * to relays that require the bus's client certificate (mTLS). Applies to every HTTP instance
   * whose service's landscape entry does not give its own `deliveryTls` (`false` for plain HTTP,
   * or `{ ca, servername }`).
   * @example deliveryTls: { ca: readFileSync('ca.pem'), cert: readFileSync('bus.pem'), key: readFileSync('bus-key.pem') }
   */
  deliveryTls?: DeliveryTlsOptions;
}

/** What `GET /status` answers a caller without a credential on a bus with `auth`: no ids, addresses or payloads. */
export interface ExoComPublicStatus {
  status: 'online';
  port: number;
  instance: string;
  services: { name: string; instances: number; up: number }[];
  counters: ExoComCounters;
}

/** What `GET /status` answers. */
export interface ExoComStatus {
  status: 'online';
  port: number;
  /** Drawn at start; also sent as the `exocom-instance` header on every answer, so relays notice a restarted bus. */
  instance: string;
  services: ServiceSnapshot[];
  /** Public message name → the services that receive it. */
  routes: Record<string, string[]>;
  counters: ExoComCounters;
  /** Requests whose replies the bus still knows where to send. */
  replyRoutes: number;
}

/** The events an `ExoCom` emits. */
export interface ExoComEvents {
  /** A message or reply was routed, or a delivery failed; `formatFlowEvent` prints it. */
  flow: [event: FlowEvent];
  /** An instance joined, changed or left; `formatInstanceChange` prints it. */
  instance: [change: InstanceChange];
}

/** Which instance `waitForInstance` waits for. */
export interface InstanceQuery {
  service: string;
  /** Only the instance listening on this port. */
  port?: number;
  /** Only the event-stream instance with this id (the `exorelay-instance` header of its stream). */
  id?: string;
  /** Only once it handles all of these names (as the service knows them). */
  receives?: string[];
}

/**
 * The ExoCom message bus. Start it with {@link startExoCom}; close it with `close()` or
 * `await using`.
 */
export class ExoCom extends EventEmitter<ExoComEvents> implements AsyncDisposable {
  readonly #server: BusHttpServer;
  readonly #table: RoutingTable;
  readonly #router: MessageRouter;
  readonly #replyRoutes: ReplyRoutes;
  readonly #streams: EventStreams;
  readonly #health: HealthMonitor | undefined;
  readonly #dashboard: DashboardFeed;
  readonly #metrics: BusMetrics | undefined;
  readonly #dispatcher: Dispatcher;
  /** Drawn at start; sent with every answer as `exocom-instance`. */
  readonly instance: string;
  #closing: Promise<void> | undefined;

  private constructor(parts: {
    instance: string;
    dispatcher: Dispatcher;
    server: BusHttpServer;
    table: RoutingTable;
    router: MessageRouter;
    replyRoutes: ReplyRoutes;
    streams: EventStreams;
    health: HealthMonitor | undefined;
    dashboard: DashboardFeed;
    metrics: BusMetrics | undefined;
  }) {
    super();
    this.#dashboard = parts.dashboard;
    this.#metrics = parts.metrics;
    this.instance = parts.instance;
    this.#dispatcher = parts.dispatcher;
    this.#server = parts.server;
    this.#table = parts.table;
    this.#router = parts.router;
    this.#replyRoutes = parts.replyRoutes;
    this.#streams = parts.streams;
    this.#health = parts.health;
  }

  /** @internal Use {@link startExoCom}. */
  static async start(options: ExoComOptions = {}): Promise<ExoCom> {
    const settings = resolveOptions(options);
    const auth = new BusAuth(settings.auth);
    if (!(auth.enabled || settings.insecure || isLoopback(settings.host))) {
      throw new ConfigError(
        `refusing to listen on ${settings.host} without credentials: configure auth (EXOCOM_TOKENS_FILE) or pass --insecure`,
      );
    }
    if (auth.certificatesAuthenticate && settings.tls?.ca === undefined) {
      throw new ConfigError(
        'auth.clientCertificates needs tls.ca: without it the bus asks for no client certificate (CLI: --tls-ca)',
      );
    }
    const landscape = parseLandscape(settings.services);
    const busInstance = randomUUID();
    let bus: ExoCom | undefined;
    let router: MessageRouter | undefined;
    let dispatcher: Dispatcher | undefined;
    const table = new RoutingTable({
      failureThreshold: settings.failureThreshold,
      createChannel: ({ host, port, deliveryTls }) =>
        new HttpInstanceChannel({
          host,
          port,
          connections: settings.connectionsPerInstance,
          timeout: settings.deliveryTimeout,
          token: auth.bus,
          tls: deliveryTlsOf(deliveryTls, settings.deliveryTls),
        }),
      onChange: (change) => {
        router?.instanceChanged(change, describeForgetting(change.reason, settings));
        if (bus !== undefined) bus.#emitSafely('instance', change);
      },
      onRemove: (instance) => dispatcher?.instanceRemoved(instance),
    });
    dispatcher = new Dispatcher({
      maxInFlightPerInstance: settings.maxInFlightPerInstance,
      maxQueuedPerInstance: settings.maxQueuedPerInstance,
      connectRetries: settings.deliveryRetries,
      retryDelay: settings.retryDelay,
      maxBusyWait: settings.maxBusyWait,
      isCurrent: (instance) => table.instance(instance.key) === instance,
      reportUnreachable: (instance) => table.reportFailure(instance),
    });
    const replyRoutes = new ReplyRoutes({ maxEntries: settings.maxReplyRoutes, ttl: settings.replyRouteTtl });
    router = new MessageRouter({
      table,
      balancer: new LoadBalancer(settings.loadBalancing),
      dispatcher,
      replyRoutes,
      deduplication: { ttl: settings.deduplicationTtl, max: settings.maxDeduplicated },
      maxSendWait: settings.maxSendWait,
      maxHeldPerInstance: settings.maxQueuedPerInstance,
      unknownSenders: settings.unknownSenders,
      emitFlow: (event) => {
        if (bus !== undefined) bus.#emitSafely('flow', event);
      },
      flowObserved: () => bus !== undefined && bus.listenerCount('flow') > 0,
    });
    const streams = new EventStreams(table, settings.eventStreams);
    const metrics = settings.metrics
      ? new BusMetrics({
          counters: () => ({ ...router.counters }),
          services: () => table.services(),
          replyRoutes: () => replyRoutes.size,
        })
      : undefined;
    const dashboard = new DashboardFeed({
      status: () => bus!.status(),
      subscribe: (listeners) => bus!.#listen(listeners),
    });
    // Configured before it listens, so the first message already finds the configured landscape.
    table.configure(landscape);
    let server: BusHttpServer;
    try {
      server = await BusHttpServer.start({
        host: settings.host,
        port: settings.port,
        bodyLimit: settings.bodyLimit,
        tls: settings.tls,
        busInstance,
        identify: (credentials) => auth.identify(credentials),
        endpoints: {
          ...endpoints({ table, router, streams, auth, status: () => bus!.status() }),
          views: dashboardViews({ dashboard, metrics }),
          refuseView: (caller) =>
            settings.publicDashboard
              ? undefined
              : auth.refuseUnlessAdmin(caller, 'reading the dashboard or the metrics'),
        },
      });
    } catch (error) {
      await streams.close();
      await table.close();
      throw error;
    }
    const health =
      settings.healthCheckInterval > 0 ? new HealthMonitor(table, settings.healthCheckInterval) : undefined;
    bus = new ExoCom({
      instance: busInstance,
      dispatcher,
      server,
      table,
      router,
      replyRoutes,
      streams,
      health,
      dashboard,
      metrics,
    });
    if (metrics !== undefined)
      bus.#listen({
        flow: (event) => metrics.observeFlow(event),
        instance: (change) => metrics.observeInstance(change),
      });
    health?.start();
    debug('listening on %s:%d', settings.host, server.port);
    return bus;
  }

  /** The bound port. */
  get port(): number {
    return this.#server.port;
  }

  get counters(): Readonly<ExoComCounters> {
    return { ...this.#router.counters };
  }

  /** Replaces the landscape configuration, as `POST /services` does; registrations stay. */
  configure(services: ServiceConfig[]): void {
    this.#table.configure(parseLandscape(services));
  }

  /** What `GET /status` answers. */
  status(): ExoComStatus {
    return {
      status: 'online',
      port: this.port,
      instance: this.instance,
      services: this.#table.services(),
      routes: this.#table.routes(),
      counters: this.counters,
      replyRoutes: this.#replyRoutes.size,
    };
  }

  /**
   * Resolves once an instance that matches `query` is in the routing table (configured or
   * registered), so messages to its names reach it.
   *
   * @example
   * await relay.listen(0)
   * await bus.waitForInstance({ service: 'users', port: relay.port, receives: ['users.create'] })
   */
  async waitForInstance(
    query: InstanceQuery,
    options: { timeout?: number; signal?: AbortSignal } = {},
  ): Promise<InstanceSnapshot> {
    const { timeout = 5000, signal } = options;
    const matching = () =>
      this.#table
        .instancesOf(query.service)
        .map((instance) => instance.snapshot())
        .find((instance) => matches(instance, query));
    const found = matching();
    if (found !== undefined) return found;
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const finish = (outcome: { instance: InstanceSnapshot } | { error: unknown }) => {
        clearTimeout(timer);
        this.off('instance', onChange);
        signal?.removeEventListener('abort', onAbort);
        if ('instance' in outcome) resolve(outcome.instance);
        else reject(outcome.error);
      };
      const onChange = () => {
        const instance = matching();
        if (instance !== undefined) finish({ instance });
      };
      const onAbort = () => finish({ error: signal?.reason });
      const timer = setTimeout(
        () => finish({ error: new TimeoutError(`an instance of '${query.service}'`, timeout) }),
        timeout,
      );
      this.on('instance', onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Stops listening, ends every event stream, stops health checks, cancels deliveries under
   * way, and frees every connection.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Closes the bus, as `close()` does: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    // Event streams never end by themselves; the server closes once every connection has.
    this.#dashboard.close();
    await this.#streams.close();
    // Sends waiting for room are answered now (503), or the server would wait for them.
    this.#dispatcher.stop();
    await this.#server.close();
    this.#router.stop();
    await this.#health?.stop();
    await this.#table.close();
    this.#replyRoutes.clear();
    this.#metrics?.close();
    debug('closed');
  }

  /** Listens to `flow` and `instance` until the returned function is called. */
  #listen(listeners: { flow(event: FlowEvent): void; instance(change: InstanceChange): void }): () => void {
    this.on('flow', listeners.flow).on('instance', listeners.instance);
    return () => this.off('flow', listeners.flow).off('instance', listeners.instance);
  }

  /** A throwing listener must not break routing: its error becomes a process warning. */
  #emitSafely<E extends keyof ExoComEvents>(event: E, ...args: ExoComEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: ExoComEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      process.emitWarning(error as Error);
    }
  }
}

/**
 * Starts an ExoCom bus in this process and resolves once it listens.
 *
 * @example
 * await using bus = await startExoCom({ port: 0 })
 * const relay = new ExoRelay({ serviceName: 'users', exocomPort: bus.port })
 */
export function startExoCom(options?: ExoComOptions): Promise<ExoCom> {
  return ExoCom.start(options);
}

function endpoints(bus: {
  table: RoutingTable;
  router: MessageRouter;
  streams: EventStreams;
  auth: BusAuth;
  status: () => ExoComStatus;
}): BusEndpoints {
  const text = (status: number, message: string): EndpointAnswer => ({ status, text: message });
  const { auth } = bus;
  return {
    send(message) {
      const { watchSender, caller, ...incoming } = message;
      const refusal = refuseSend(bus, caller, incoming.name, incoming.envelope);
      if (refusal !== undefined) return refusal;
      const verdict = bus.router.routeWhenRoom(incoming, watchSender);
      return verdict instanceof Promise ? verdict.then(answerToSend) : answerToSend(verdict);
    },
    register(body, caller) {
      const parsed = parseRegistration(body);
      if (!parsed.ok) return text(400, parsed.error);
      const registration = parsed.value;
      const refusal = refuseRegistration(bus, caller, registration);
      if (refusal !== undefined) return refusal;
      if (isEventStreamRegistration(registration)) return bus.streams.register(registration);
      bus.table.register(registration);
      return text(200, `registered ${registration.serviceName} at ${registration.host}:${registration.port}`);
    },
    deregister(body, caller) {
      const parsed = parseDeregistration(body);
      if (!parsed.ok) return text(400, parsed.error);
      const deregistration = parsed.value;
      const refusal = auth.refuseUnlessService(caller, deregistration.serviceName, 'deregister');
      if (refusal !== undefined) return refusal;
      if (isEventStreamRegistration(deregistration)) return bus.streams.deregister(deregistration);
      return text(200, bus.table.deregister(deregistration) ? 'deregistered' : 'not registered');
    },
    events: (request, response, caller) =>
      bus.streams.open(request, response, (service) =>
        auth.refuseUnlessService(caller, service, 'open or resume an event stream'),
      ),
    configure(body, caller) {
      const refusal = auth.refuseUnlessAdmin(caller, 'change the landscape');
      if (refusal !== undefined) return refusal;
      try {
        bus.table.configure(parseLandscape(body));
        return text(200, 'configured');
      } catch (error) {
        if (isExoComError(error)) return text(400, error.message);
        throw error;
      }
    },
    services: (caller) =>
      mayInspect(caller)
        ? { status: 200, json: bus.table.services() }
        : { status: 200, json: publicStatus(bus.status()).services },
    status: (caller) => ({ status: 200, json: mayInspect(caller) ? bus.status() : publicStatus(bus.status()) }),
  };
}

/** What `POST /send/NAME` answers: `{ receivers: N }`, or the refusal and when to retry. */
function answerToSend(verdict: RouteVerdict): EndpointAnswer {
  if (verdict.ok) return { status: 200, json: { receivers: verdict.receivers } };
  const headers = verdict.retryAfter === undefined ? undefined : { 'retry-after': String(verdict.retryAfter) };
  return { status: verdict.status, text: verdict.error, headers };
}

/** A caller with any credential (or any caller of an open bus) sees instances; others see counts. */
function mayInspect(caller: Caller): boolean {
  return caller.kind !== 'anonymous' && caller.kind !== 'contradictory';
}

function publicStatus(status: ExoComStatus): ExoComPublicStatus {
  return {
    status: status.status,
    port: status.port,
    instance: status.instance,
    services: status.services.map((service) => ({
      name: service.name,
      instances: service.instances.length,
      up: service.instances.filter((instance) => instance.up).length,
    })),
    counters: status.counters,
  };
}

/** A message may only be sent as the caller's own service, and only under a name its `sends` lists (when configured). */
function refuseSend(
  bus: { table: RoutingTable; auth: BusAuth },
  caller: Caller,
  name: string,
  envelope: { sender?: unknown; responseTo?: unknown },
): EndpointAnswer | undefined {
  if (!bus.auth.enabled) return undefined;
  // Without a sender the router answers 400; the credential is still checked first.
  const sender = typeof envelope.sender === 'string' ? envelope.sender : '';
  const refusal = bus.auth.refuseUnlessService(caller, sender, `send '${name}'`);
  if (refusal !== undefined) return refusal;
  if (envelope.responseTo !== undefined) return undefined;
  const service = bus.table.service(sender);
  if (service === undefined || service.sends.length === 0) return undefined;
  if (service.sends.includes(name) || service.sends.includes(service.translator.toPublic(name))) return undefined;
  return {
    status: 403,
    text: `'${sender}' may not send '${name}': the configuration's sends for it does not list it`,
  };
}

/**
 * A service registers only itself, never at an address another service holds, and only the
 * names the configuration says it receives (when it says).
 */
function refuseRegistration(
  bus: { table: RoutingTable; auth: BusAuth },
  caller: Caller,
  registration: { serviceName: string; receives: string[]; host?: string; port?: number },
): EndpointAnswer | undefined {
  if (!bus.auth.enabled) return undefined;
  const { serviceName } = registration;
  const refusal = bus.auth.refuseUnlessService(caller, serviceName, 'register');
  if (refusal !== undefined) return refusal;
  if (registration.host !== undefined && registration.port !== undefined) {
    const holder = bus.table.instance(instanceKey(registration.host, registration.port));
    if (holder !== undefined && holder.serviceName !== serviceName) {
      return {
        status: 403,
        text: `${registration.host}:${registration.port} belongs to '${holder.serviceName}': '${serviceName}' may not register there`,
      };
    }
  }
  const allowed = bus.table.configuredReceivesOf(serviceName);
  if (allowed.length === 0) return undefined;
  const service = bus.table.service(serviceName);
  const refused = registration.receives.find(
    (received) => !allowed.includes(received) && !allowed.includes(service?.translator.toPublic(received) ?? received),
  );
  if (refused === undefined) return undefined;
  return {
    status: 403,
    text: `'${serviceName}' may not receive '${refused}': the configuration's receives for it does not list it`,
  };
}

/**
 * How one service's instances are reached: its own setting from the landscape, else the bus's.
 * Its own HTTPS keeps the bus's client certificate and, unless it names one, the bus's CA.
 */
function deliveryTlsOf(
  service: ServiceDeliveryTls | undefined,
  bus: DeliveryTlsOptions | undefined,
): (DeliveryTlsOptions & { servername?: string }) | undefined {
  if (service === undefined) return bus;
  if (service === false) return undefined;
  return { ...bus, ...service };
}

function matches(instance: InstanceSnapshot, query: InstanceQuery): boolean {
  if (query.port !== undefined && instance.port !== query.port) return false;
  if (query.id !== undefined && instance.eventStream?.id !== query.id) return false;
  return (query.receives ?? []).every((name) => instance.receives.includes(name));
}

type Settings = Required<Omit<ExoComOptions, 'services' | 'eventStreams' | 'auth' | 'tls' | 'deliveryTls'>> & {
  services: unknown;
  deliveryTls: DeliveryTlsOptions | undefined;
  tls: BusTlsOptions | undefined;
  auth: ExoComAuthOptions | undefined;
  eventStreams: Required<EventStreamOptions>;
};

function resolveOptions(options: ExoComOptions): Settings {
  if (typeof options !== 'object' || options === null) throw new ConfigError('startExoCom takes an options object');
  const { eventStreams = {} } = options;
  if (typeof eventStreams !== 'object' || eventStreams === null) {
    throw new ConfigError('eventStreams must be an object: { heartbeatInterval, retention, … }');
  }
  const settings: Settings = {
    port: 3100,
    host: '127.0.0.1',
    services: [],
    loadBalancing: 'round-robin',
    bodyLimit: DEFAULT_BODY_LIMIT,
    deliveryRetries: 2,
    retryDelay: 50,
    maxInFlightPerInstance: 256,
    maxQueuedPerInstance: 1024,
    maxBusyWait: 5000,
    maxSendWait: 5000,
    deduplicationTtl: 60_000,
    maxDeduplicated: 100_000,
    deliveryTimeout: 10_000,
    connectionsPerInstance: 16,
    healthCheckInterval: 10_000,
    failureThreshold: 3,
    replyRouteTtl: 300_000,
    maxReplyRoutes: 100_000,
    unknownSenders: 'accept',
    metrics: true,
    insecure: false,
    publicDashboard: false,
    auth: undefined,
    tls: undefined,
    deliveryTls: undefined,
    ...withoutUndefined(options),
    eventStreams: {
      heartbeatInterval: 15_000,
      retention: 60_000,
      maxBufferedEvents: 10_000,
      maxBufferedBytes: 16 * 1024 * 1024,
      maxTotalBufferedBytes: 1024 * 1024 * 1024,
      ...withoutUndefined(eventStreams),
    },
  };
  if (!(settings.port === 0 || isPort(settings.port))) {
    throw new ConfigError(`port must be a port number or 0, got ${String(settings.port)}`);
  }
  if (!['round-robin', 'least-in-flight'].includes(settings.loadBalancing)) {
    throw new ConfigError(`loadBalancing must be 'round-robin' or 'least-in-flight', got '${settings.loadBalancing}'`);
  }
  if (!['accept', 'reject'].includes(settings.unknownSenders)) {
    throw new ConfigError(`unknownSenders must be 'accept' or 'reject', got '${settings.unknownSenders}'`);
  }
  for (const name of [
    'bodyLimit',
    'retryDelay',
    'deliveryTimeout',
    'connectionsPerInstance',
    'failureThreshold',
    'replyRouteTtl',
    'maxReplyRoutes',
    'maxInFlightPerInstance',
    'maxQueuedPerInstance',
    'maxBusyWait',
    'maxSendWait',
    'deduplicationTtl',
    'maxDeduplicated',
  ] as const) {
    if (!(Number.isFinite(settings[name]) && settings[name] > 0)) {
      throw new ConfigError(`${name} must be a positive number, got ${String(settings[name])}`);
    }
  }
  for (const [name, value] of Object.entries(settings.eventStreams)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new ConfigError(`eventStreams.${name} must be a positive number, got ${String(value)}`);
    }
  }
  if (settings.eventStreams.maxTotalBufferedBytes < settings.eventStreams.maxBufferedBytes) {
    throw new ConfigError(
      `eventStreams.maxTotalBufferedBytes (${settings.eventStreams.maxTotalBufferedBytes}) must be at least maxBufferedBytes (${settings.eventStreams.maxBufferedBytes}), or no stream could open`,
    );
  }
  for (const name of ['deliveryRetries', 'healthCheckInterval'] as const) {
    if (!(Number.isInteger(settings[name]) && settings[name] >= 0)) {
      throw new ConfigError(`${name} must be 0 or a positive integer, got ${String(settings[name])}`);
    }
  }
  return settings;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
