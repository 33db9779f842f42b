import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type EventStreamDeregistration,
  type EventStreamRegistration,
  INSTANCE_HEADER,
  isReservedName,
  parseEventStreamQuery,
} from '@exorelay/protocol';
import { debug } from './debug.js';
import { EventStreamChannel } from './event-stream-channel.js';
import type { EndpointAnswer } from './http-server.js';
import type { Instance } from './instance.js';
import type { Parsed } from './registration.js';
import type { InstanceChangeReason, RoutingTable } from './routing-table.js';

/** Delivery over Server-Sent Events: how often to send heartbeats, and how much to keep for a reconnect. */
export interface EventStreamOptions {
  /**
   * How often every open stream gets a heartbeat comment, in ms, so idle connections stay
   * open through proxies and a dead one shows on both sides.
   * @default 15000
   */
  heartbeatInterval?: number;
  /**
   * How long an instance may stay away (its stream closed) and still be replayed what it
   * missed, in ms; also how long written events are kept for such a replay. An instance away
   * longer is forgotten, and the requests it still owed replies to get `DELIVERY_FAILED`.
   * @default 60000
   */
  retention?: number;
  /**
   * Most events held per instance. When events it has not read fill this, it is disconnected
   * as a slow consumer and further messages to it fail with `DELIVERY_FAILED`.
   * @default 10000
   */
  maxBufferedEvents?: number;
  /**
   * Most bytes of events held per instance, with the same consequences as `maxBufferedEvents`.
   * @default 16777216
   */
  maxBufferedBytes?: number;
  /**
   * Most bytes all event streams together may hold. Each stream may fill its `maxBufferedBytes`,
   * so the bus takes at most `maxTotalBufferedBytes / maxBufferedBytes` streams at once; beyond
   * that a new stream is refused with `503` and `retry-after` (a reconnect of a known instance
   * is not new). Lower `maxBufferedBytes` to take more streams.
   * @default 1073741824 (1 GiB: 64 streams of 16 MiB)
   */
  maxTotalBufferedBytes?: number;
}

/** What `GET /events` asks for. */
interface EventStreamRequest {
  service: string;
  /**
   * The names it handles; `undefined` when the URL names none: a plain EventSource client,
   * which gets what the configuration says the service receives.
   */
  receives: string[] | undefined;
  /** The id of an instance that reconnects: `instance=`, or the `ID` of a `Last-Event-ID: ID:N`. */
  instance: string | undefined;
  /** The id of the last event it received (`Last-Event-ID`); 0 for none. */
  lastEventId: number;
}

/**
 * The bus's side of `GET /events`: registers an instance per stream, resumes a stream that
 * reconnects with its instance id and `Last-Event-ID`, takes `/register` and `/deregister` for
 * such instances, sends heartbeats, and forgets instances that stay away. Delivery itself is
 * the {@link EventStreamChannel}'s.
 */
export class EventStreams {
  readonly #table: RoutingTable;
  readonly #options: Required<EventStreamOptions>;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(table: RoutingTable, options: Required<EventStreamOptions>) {
    this.#table = table;
    this.#options = options;
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatInterval).unref();
  }

  /**
   * Answers `GET /events`: takes the response over, or refuses with the answer to send. `refuse`
   * says whether the caller may act as the service it names.
   */
  open(
    request: IncomingMessage,
    response: ServerResponse,
    refuse: (service: string) => EndpointAnswer | undefined,
  ): EndpointAnswer | undefined {
    const parsed = parseEventStreamRequest(request);
    if (!parsed.ok) return { status: 400, text: parsed.error };
    const { service, receives, instance: id, lastEventId } = parsed.value;
    // Before anything about an instance is looked at: knowing an id must not let anyone resume it.
    const unauthorized = refuse(service);
    if (unauthorized !== undefined) return unauthorized;
    const known = id === undefined ? undefined : this.#table.instance(id);
    const refusal = known === undefined ? undefined : refuseTakeover(known, service);
    if (refusal !== undefined) return refusal;
    const host = request.socket.remoteAddress ?? 'unknown';
    const names = new Set(receives ?? this.#table.configuredReceivesOf(service));
    const resumed = known !== undefined && this.#resume(known, lastEventId);
    if (!resumed) {
      const full = this.#refuseBeyondBound();
      if (full !== undefined) return full;
    }
    const stream = resumed ? known.eventStream! : this.#createChannel({ idsNameInstance: receives === undefined });
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // A stream ends only when one side gives up; its connection is not reused.
      connection: 'close',
      // Tells nginx and its kin not to buffer the stream.
      'x-accel-buffering': 'no',
      [INSTANCE_HEADER]: stream.id,
    });
    response.flushHeaders();
    stream.connect(response, resumed ? lastEventId : 0);
    // Reported once connected, so that the instance event says so.
    if (resumed) this.#table.updateEventStream(known, { receives: names, up: true, host }, 'connected');
    else this.#table.addEventStream(service, host, names, stream);
    debug('%s %s event stream %s from %s', service, resumed ? 'resumed' : 'opened', stream.id, host);
    return undefined;
  }

  /** `POST /register` of an event-stream instance: the names it handles now. */
  register(registration: EventStreamRegistration): EndpointAnswer {
    const found = this.#find(registration);
    if (!found.ok) return found.answer;
    this.#table.updateEventStream(found.instance, { receives: new Set(registration.receives) }, 'registration');
    return { status: 200, text: `registered ${registration.serviceName} as event stream ${registration.instance}` };
  }

  /** `POST /deregister` of an event-stream instance: it closes; forget it now rather than wait. */
  deregister(deregistration: EventStreamDeregistration): EndpointAnswer {
    const found = this.#find(deregistration);
    if (!found.ok) return { status: 200, text: 'not registered' };
    this.#table.remove(found.instance, 'deregistration');
    return { status: 200, text: 'deregistered' };
  }

  /** Stops the heartbeats and ends every stream, so the HTTP server can close. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.all(this.#streams().map((instance) => instance.channel.close()));
  }

  #createChannel({ idsNameInstance }: { idsNameInstance: boolean }): EventStreamChannel {
    const id = randomUUID();
    const instance = () => this.#table.instance(id);
    return new EventStreamChannel({
      id,
      idsNameInstance,
      limits: {
        maxEvents: this.#options.maxBufferedEvents,
        maxBytes: this.#options.maxBufferedBytes,
        retention: this.#options.retention,
      },
      onDisconnect: (reason) => {
        const disconnected = instance();
        if (disconnected !== undefined) this.#table.updateEventStream(disconnected, { up: false }, reason);
      },
      onExpire: () => {
        const expired = instance();
        if (expired !== undefined) this.#table.remove(expired, 'expired');
      },
    });
  }

  /** Every stream may fill its buffer: a new one is taken only while all of them full stay within the bus-wide bound. */
  #refuseBeyondBound(): EndpointAnswer | undefined {
    const { maxTotalBufferedBytes, maxBufferedBytes } = this.#options;
    const most = Math.floor(maxTotalBufferedBytes / maxBufferedBytes);
    if (this.#streams().length < most) return undefined;
    return {
      status: 503,
      headers: { 'retry-after': '5' },
      text: `the bus holds the most event streams it may (${most}: eventStreams.maxTotalBufferedBytes ${maxTotalBufferedBytes} / maxBufferedBytes ${maxBufferedBytes}); retry later`,
    };
  }

  /** Whether `instance` can pick up where the consumer left; if not, it is forgotten now. */
  #resume(instance: Instance, lastEventId: number): boolean {
    const resumable = instance.eventStream!.canResume(lastEventId);
    if (resumable.ok) return true;
    debug('event stream %s cannot be resumed (%s): forgetting it', instance.key, resumable.reason);
    this.#table.remove(instance, 'expired');
    return false;
  }

  #find(target: EventStreamDeregistration): { ok: true; instance: Instance } | { ok: false; answer: EndpointAnswer } {
    const instance = this.#table.instance(target.instance);
    if (instance === undefined || instance.eventStream === undefined) {
      return {
        ok: false,
        answer: {
          status: 404,
          text: `no event-stream instance '${target.instance}': open GET /events?service=${encodeURIComponent(target.serviceName)} again`,
        },
      };
    }
    const refusal = refuseTakeover(instance, target.serviceName);
    return refusal === undefined ? { ok: true, instance } : { ok: false, answer: refusal };
  }

  #beat(): void {
    for (const instance of this.#streams()) instance.eventStream!.heartbeat();
  }

  #streams(): Instance[] {
    return this.#table.allInstances().filter((instance) => instance.eventStream !== undefined);
  }
}

/** Why the bus gave up on an instance, for the `DELIVERY_FAILED` replies to what it owed. */
export function describeForgetting(
  reason: InstanceChangeReason,
  settings: { eventStreams: { retention: number }; failureThreshold: number },
): string {
  switch (reason) {
    case 'expired':
      return `its event stream stayed away too long to be resumed (more than ${settings.eventStreams.retention} ms, or past the events the bus still held), so the bus forgot it before it answered`;
    case 'deregistration':
      return 'it closed before it answered';
    case 'unreachable':
      return `it stopped answering (${settings.failureThreshold} failed deliveries or health checks in a row) before it answered`;
    default:
      return `the bus forgot it (${reason}) before it answered`;
  }
}

/** An instance id may only be taken up by its own service, and only for an event-stream instance. */
function refuseTakeover(instance: Instance, service: string): EndpointAnswer | undefined {
  if (instance.eventStream === undefined) {
    return { status: 409, text: `'${instance.key}' is not an event-stream instance` };
  }
  if (instance.serviceName !== service) {
    return {
      status: 409,
      text: `event stream ${instance.key} belongs to service '${instance.serviceName}', not '${service}'`,
    };
  }
  return undefined;
}

function parseEventStreamRequest(request: IncomingMessage): Parsed<EventStreamRequest> {
  const parsed = parseEventStreamQuery(new URL(request.url ?? '/', 'http://exocom').searchParams);
  if (!parsed.ok) return parsed;
  const { serviceName: service, receives, instance } = parsed.query;
  const reserved = receives.find((name) => isReservedName(name));
  if (reserved !== undefined) {
    return {
      ok: false,
      error: `receives lists '${reserved}', a reserved name: names starting with 'exo.' belong to the protocol and no handler may take them`,
    };
  }
  const header = request.headers['last-event-id'];
  const lastEvent = parseLastEventId(header);
  if (lastEvent === undefined) {
    return {
      ok: false,
      error: `Last-Event-ID must be the id of an event this bus sent (N or INSTANCE:N, N an integer ≥ 0), got '${header}'`,
    };
  }
  if (instance !== undefined && lastEvent.instance !== undefined && lastEvent.instance !== instance) {
    return {
      ok: false,
      error: `Last-Event-ID names instance '${lastEvent.instance}' but instance= names '${instance}': send one, or the same in both`,
    };
  }
  const named = new URL(request.url ?? '/', 'http://exocom').searchParams.has('receives');
  return {
    ok: true,
    value: {
      service,
      receives: named ? [...receives] : undefined,
      instance: instance ?? lastEvent.instance,
      lastEventId: lastEvent.id,
    },
  };
}

/** `N`, or `INSTANCE:N` as the bus writes ids for plain EventSource clients; absent is 0. */
function parseLastEventId(header: string | string[] | undefined): { id: number; instance?: string } | undefined {
  if (Array.isArray(header)) return undefined;
  if (header === undefined || header === '') return { id: 0 };
  const match = /^(?:(.+):)?(\d+)$/.exec(header);
  if (match === null) return undefined;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id)) return undefined;
  return match[1] === undefined ? { id } : { id, instance: match[1] };
}
