import type { InstanceChannel } from './delivery.js';
import type { EventStreamChannel, EventStreamSnapshot } from './event-stream-channel.js';

/** Where the bus learned about an instance. */
export type InstanceSource = 'configuration' | 'registration' | 'event-stream';

/** An instance as `/status` and the `instance` event show it. */
export interface InstanceSnapshot {
  service: string;
  /** For an event-stream instance: the address its stream was opened from. */
  host: string;
  /** 0 for an event-stream instance: it has no port, the bus writes to its stream. */
  port: number;
  /** The names it handles, as the service knows them (before translation). */
  receives: string[];
  sources: InstanceSource[];
  /** `false` after repeated failed deliveries or health checks, or while its event stream is disconnected; the bus prefers other instances. */
  up: boolean;
  /** Deliveries under way now. */
  inFlight: number;
  consecutiveFailures: number;
  /** Only for an instance that receives over Server-Sent Events (`GET /events`). */
  eventStream?: EventStreamSnapshot;
}

const nothing: ReadonlySet<string> = new Set();

/** One running copy of a service: reachable at `host:port`, or reading an event stream. */
export class Instance {
  /** `host:port`, or the id the bus gave an event-stream instance; relays send it as `exorelay-instance`. */
  readonly key: string;
  readonly serviceName: string;
  /** Updated when an event-stream instance reconnects from another address. */
  host: string;
  readonly port: number;
  #channel: InstanceChannel;
  /** Set when the instance receives over an event stream instead of `POST /run/NAME`. */
  readonly eventStream: EventStreamChannel | undefined;
  /** What the configuration says it handles; `undefined` when it is not configured. */
  configuredReceives: ReadonlySet<string> | undefined;
  /** What it said when it registered; `undefined` when it is not (or no longer) registered. */
  registeredReceives: ReadonlySet<string> | undefined;
  up = true;
  inFlight = 0;
  consecutiveFailures = 0;

  /** Pass `eventStream` for an instance that reads `GET /events`: it is also its channel, and its id the key. */
  constructor(
    serviceName: string,
    host: string,
    port: number,
    channel: InstanceChannel,
    eventStream?: EventStreamChannel,
  ) {
    this.key = eventStream?.id ?? instanceKey(host, port);
    this.serviceName = serviceName;
    this.host = host;
    this.port = port;
    this.#channel = channel;
    this.eventStream = eventStream;
  }

  /** How the bus reaches it; replaced when its service's delivery setting changes. */
  get channel(): InstanceChannel {
    return this.#channel;
  }

  /** Delivers through `channel` from now on; returns the previous one, for the caller to retire. */
  replaceChannel(channel: InstanceChannel): InstanceChannel {
    const previous = this.#channel;
    this.#channel = channel;
    return previous;
  }

  /** A registration knows the handlers that exist now, so it wins over the configuration. */
  get receives(): ReadonlySet<string> {
    return this.registeredReceives ?? this.configuredReceives ?? nothing;
  }

  get isConfigured(): boolean {
    return this.configuredReceives !== undefined;
  }

  get isRegistered(): boolean {
    return this.registeredReceives !== undefined;
  }

  snapshot(): InstanceSnapshot {
    const snapshot: InstanceSnapshot = {
      service: this.serviceName,
      host: this.host,
      port: this.port,
      receives: [...this.receives],
      sources: this.#sources(),
      up: this.up,
      inFlight: this.inFlight,
      consecutiveFailures: this.consecutiveFailures,
    };
    if (this.eventStream !== undefined) snapshot.eventStream = this.eventStream.snapshot();
    return snapshot;
  }

  #sources(): InstanceSource[] {
    if (this.eventStream !== undefined) return ['event-stream'];
    const sources: InstanceSource[] = [];
    if (this.isConfigured) sources.push('configuration');
    if (this.isRegistered) sources.push('registration');
    return sources;
  }
}

export function instanceKey(host: string, port: number): string {
  return `${host}:${port}`;
}

/**
 * Whether `key` is an address an instance registers under (`host:port`, which it chooses),
 * rather than an event-stream id, which the bus hands out and which no instance can bring back.
 */
export function isAddressKey(key: string): boolean {
  return /:\d+$/.test(key);
}
