import { ConfigError } from 'exorelay';
import type { ConnectionOptions } from 'nats';
import { type DurableNames, durablePredicate } from './durable.js';
import { subjectPrefixProblem } from './subjects.js';

/** Options of `natsTransport()`: the servers, the connection, subjects and durable names. */
export interface NatsTransportOptions {
  /**
   * The NATS server(s) to connect to; the client fails over between them and learns the rest
   * of a cluster from the server it reaches.
   * @example 'nats://127.0.0.1:4222'
   * @example ['nats://nats-a:4222', 'nats://nats-b:4222']
   */
  servers: string | readonly string[];
  /**
   * First tokens of every subject this transport uses: message `users.create` travels on
   * `<subjectPrefix>.users.create`. Relays talk to each other only under the same prefix.
   * @default 'exorelay'
   * @example subjectPrefix: 'acme.staging'
   */
  subjectPrefix?: string;
  /**
   * How long a send waits for a lost connection to come back before it fails with a
   * `NatsDisconnectedError`, in ms.
   * @default 10000
   */
  reconnectWait?: number;
  /**
   * How long a handler may stay silent and still reply: the way back to a requester is kept
   * at least this long after the message arrived or the handler's last reply, in ms.
   * @default 120000
   */
  replyRouteTtl?: number;
  /**
   * Further options of the nats.js client (credentials, TLS, reconnect policy …). `servers`
   * is taken from above; `name` defaults to the service name.
   * @default { maxReconnectAttempts: -1 } (never stop reconnecting)
   * @example connection: { user: 'orders', pass: process.env.NATS_PASSWORD, reconnectTimeWait: 500 }
   */
  connection?: Omit<ConnectionOptions, 'servers' | 'port'>;
  /**
   * Messages that must reach services that are down when they are sent: they go through
   * JetStream (the server needs `-js`) and each service acknowledges them once its handler
   * resolved. Every relay of a landscape must agree on these names; contracts declare them once.
   * @default none
   * @example durable: contracts // from @exorelay/contracts: the messages declared `durable: true`
   * @example durable: ['user signed up']
   */
  durable?: DurableNames;
  /**
   * How long JetStream waits for a durable message's acknowledgement (sent once its handler
   * resolved) before it delivers the message again, in ms.
   * @default 30000
   */
  durableAckWait?: number;
}

export interface ResolvedNatsTransportOptions {
  servers: string[];
  subjectPrefix: string;
  reconnectWait: number;
  replyRouteTtl: number;
  connection: Omit<ConnectionOptions, 'servers' | 'port'>;
  isDurable: (name: string) => boolean;
  /** Whether any name may be durable: JetStream redelivers what was not acknowledged in time. */
  hasDurableNames: boolean;
  durableAckWait: number;
}

/** Checks the options and fills in defaults; mistakes raise exorelay's `ConfigError`. */
export function resolveNatsTransportOptions(options: NatsTransportOptions): ResolvedNatsTransportOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('natsTransport needs an options object');
  const servers = typeof options.servers === 'string' ? [options.servers] : [...(options.servers ?? [])];
  if (servers.length === 0 || servers.some((server) => typeof server !== 'string' || server === '')) {
    throw new ConfigError(
      `natsTransport needs servers, e.g. 'nats://127.0.0.1:4222', got ${JSON.stringify(options.servers)}`,
    );
  }
  const subjectPrefix = options.subjectPrefix ?? 'exorelay';
  const problem = subjectPrefixProblem(subjectPrefix);
  if (problem !== undefined) throw new ConfigError(problem);
  return {
    servers,
    subjectPrefix,
    reconnectWait: positive('reconnectWait', options.reconnectWait, 10_000),
    replyRouteTtl: positive('replyRouteTtl', options.replyRouteTtl, 120_000),
    connection: { maxReconnectAttempts: -1, ...options.connection },
    isDurable: durablePredicate(options.durable),
    hasDurableNames: options.durable !== undefined,
    durableAckWait: positive('durableAckWait', options.durableAckWait, 30_000),
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new ConfigError(`natsTransport option ${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}
