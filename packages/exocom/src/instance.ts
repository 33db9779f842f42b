import type { InstanceChannel } from './delivery.js';

/** Where the bus learned about an instance. */
export type InstanceSource = 'configuration' | 'registration';

/** An instance as `/status` and the `instance` event show it. */
export interface InstanceSnapshot {
  service: string;
  host: string;
  port: number;
  /** The names it handles, as the service knows them (before translation). */
  receives: string[];
  sources: InstanceSource[];
  /** `false` after repeated failed deliveries or health checks; the bus prefers other instances. */
  up: boolean;
  /** Deliveries under way now. */
  inFlight: number;
  consecutiveFailures: number;
}

const nothing: ReadonlySet<string> = new Set();

/** One running copy of a service, reachable at `host:port`. */
export class Instance {
  readonly key: string;
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  readonly channel: InstanceChannel;
  /** What the configuration says it handles; `undefined` when it is not configured. */
  configuredReceives: ReadonlySet<string> | undefined;
  /** What it said when it registered; `undefined` when it is not (or no longer) registered. */
  registeredReceives: ReadonlySet<string> | undefined;
  up = true;
  inFlight = 0;
  consecutiveFailures = 0;

  constructor(serviceName: string, host: string, port: number, channel: InstanceChannel) {
    this.key = instanceKey(host, port);
    this.serviceName = serviceName;
    this.host = host;
    this.port = port;
    this.channel = channel;
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
    const sources: InstanceSource[] = [];
    if (this.isConfigured) sources.push('configuration');
    if (this.isRegistered) sources.push('registration');
    return {
      service: this.serviceName,
      host: this.host,
      port: this.port,
      receives: [...this.receives],
      sources,
      up: this.up,
      inFlight: this.inFlight,
      consecutiveFailures: this.consecutiveFailures,
    };
  }
}

export function instanceKey(host: string, port: number): string {
  return `${host}:${port}`;
}
