import { setTimeout as delay } from 'node:timers/promises';
import type { TransportStatus } from 'exorelay';
import {
  type ConnectionOptions,
  connect,
  createInbox,
  DebugEvents,
  ErrorCode,
  Events,
  type Msg,
  type NatsConnection,
  type Status,
} from 'nats';
import { debug } from './debug.js';
import { NatsAuthenticationError, NatsConnectionLostError, NatsServerError, NatsUnreachableError } from './errors.js';
import { subjectToken } from './subjects.js';
import { isNoRespondersStatus } from './wire.js';

export interface NatsLinkOptions {
  servers: string[];
  connection: Omit<ConnectionOptions, 'servers' | 'port'>;
  /** The client name the server shows, when `connection.name` is not set. */
  name: string;
  /** A reply arrived on this link's reply subject. */
  onReply: (msg: Msg) => void;
  /** The server said nobody subscribes to the message sent with reply subject `<inbox>.<token>`. */
  onNoResponders: (token: string) => void;
  /** Replies to messages sent before cannot be counted on: the connection stayed lost too long, or is gone. */
  onRepliesLost: (error: Error) => void;
  /** How long a lost connection may stay lost before `onRepliesLost`, in ms. */
  reconnectWait: number;
  onStatus: (status: TransportStatus) => void;
  onError: (error: Error) => void;
}

/**
 * One relay's connection to NATS: the nats.js connection, the relay's reply subject with its
 * single wildcard subscription, and the connection state. A message that may be answered goes
 * out with reply subject `<inbox>.<requestId>`; when no subscription matches, the server answers
 * there with an empty no-responders status (503), which arrives like any reply: no round trip
 * per message is needed to learn that nobody receives it.
 */
export class NatsLink {
  readonly connection: NatsConnection;
  readonly #options: NatsLinkOptions;
  readonly #inbox: string;
  /** Settles when a lost connection is back (or closed for good); `undefined` while connected. */
  #outage: { back: Promise<void>; end: () => void; repliesLost: NodeJS.Timeout } | undefined;
  /** Messages published by `publishProbed`, by reply token: did the server say nobody listens? */
  readonly #probes = new Map<string, { noResponders: boolean }>();
  #attempts = 0;
  #closing = false;

  static async open(options: NatsLinkOptions): Promise<NatsLink> {
    try {
      const connection = await connect({
        ...options.connection,
        name: options.connection.name ?? options.name,
        servers: options.servers,
      });
      return new NatsLink(connection, options);
    } catch (cause) {
      throw connectionFailure(options.servers, cause);
    }
  }

  private constructor(connection: NatsConnection, options: NatsLinkOptions) {
    this.connection = connection;
    this.#options = options;
    this.#inbox = createInbox(options.connection.inboxPrefix);
    connection.subscribe(`${this.#inbox}.*`, {
      callback: (error, msg) => (error === null ? this.#receive(msg) : options.onError(error)),
    });
    // A throwing 'status' listener must not end the watch, nor go unhandled.
    void this.#watchStatus().catch((error: Error) => options.onError(error));
    void this.#watchClosed().catch((error: Error) => options.onError(error));
  }

  /** The server this link is connected to now. */
  get address(): string {
    return `nats://${this.connection.getServer()}`;
  }

  /** Where replies to the message `requestId` go: this link's inbox. */
  replySubject(requestId: string): string {
    return `${this.#inbox}.${subjectToken(requestId)}`;
  }

  /**
   * Publishes with a reply subject and waits one round trip (PING/PONG): the server handles a
   * connection's protocol in order, so by the PONG its no-responders status, if any, is here.
   * Resolves whether a subscription matched. Costs a round trip: for the path after an outage only.
   */
  async publishProbed(subject: string, data: Uint8Array, requestId: string): Promise<boolean> {
    const token = subjectToken(requestId);
    const probe = { noResponders: false };
    this.#probes.set(token, probe);
    try {
      this.connection.publish(subject, data, { reply: `${this.#inbox}.${token}` });
      await this.connection.flush();
    } finally {
      this.#probes.delete(token);
    }
    return !probe.noResponders;
  }

  /** Whether messages published now go to a connected server. */
  get connected(): boolean {
    return this.#outage === undefined && !this.connection.isClosed();
  }

  /**
   * Waits while the connection is lost, up to `timeout` ms; resolves whether it is usable.
   * Rejects with the signal's reason when `signal` aborts.
   */
  async whenConnected(timeout: number, signal?: AbortSignal): Promise<boolean> {
    const outage = this.#outage;
    if (outage !== undefined) {
      const stop = new AbortController();
      const abort = () => stop.abort();
      signal?.addEventListener('abort', abort, { once: true });
      const waited = delay(timeout, undefined, { signal: stop.signal }).catch(() => {});
      await Promise.race([outage.back, waited]);
      stop.abort();
      signal?.removeEventListener('abort', abort);
      signal?.throwIfAborted();
    }
    return this.#outage === undefined && !this.connection.isClosed();
  }

  /**
   * Unsubscribes everything, lets messages already received reach their callbacks, sends what
   * is buffered and closes. A lost connection cannot drain, so it is closed right away.
   */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.connection.isClosed()) return;
    if (this.#outage === undefined) await this.connection.drain();
    else await this.connection.close();
  }

  #receive(msg: Msg): void {
    if (!isNoRespondersStatus(msg)) {
      this.#options.onReply(msg);
      return;
    }
    const token = msg.subject.slice(this.#inbox.length + 1);
    const probe = this.#probes.get(token);
    if (probe === undefined) this.#options.onNoResponders(token);
    else probe.noResponders = true;
  }

  async #watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      try {
        await this.#follow(status);
      } catch (error) {
        this.#options.onError(error as Error);
      }
    }
  }

  async #follow(status: Status): Promise<void> {
    switch (status.type) {
      case Events.Disconnect:
        debug('lost the connection to %s', status.data);
        this.#beginOutage();
        return;
      case DebugEvents.Reconnecting:
        this.#attempts += 1;
        this.#options.onStatus({ type: 'reconnecting', attempt: this.#attempts });
        return;
      case Events.Reconnect:
        await this.#reconnected();
        return;
      case Events.Error:
        this.#options.onError(new NatsServerError(String(status.data)));
        return;
      default:
        debug('connection status %s: %o', status.type, status.data);
    }
  }

  /** nats.js sends the subscriptions again on reconnect; one round trip makes sure they are in place. */
  async #reconnected(): Promise<void> {
    try {
      await this.connection.flush();
    } catch (error) {
      debug('the connection dropped again right after reconnecting: %s', (error as Error).message);
      return;
    }
    this.#attempts = 0;
    this.#endOutage();
    this.#options.onStatus({ type: 'online', address: this.address });
  }

  async #watchClosed(): Promise<void> {
    const error = await this.connection.closed();
    this.#endOutage();
    if (this.#closing) return;
    // The client gave up reconnecting (maxReconnectAttempts) or the server refused it for good.
    const lost = connectionFailure(this.#options.servers, error ?? new Error('connection closed'));
    this.#options.onStatus({ type: 'offline', error: lost });
    this.#options.onError(lost);
    this.#options.onRepliesLost(lost);
  }

  #beginOutage(): void {
    if (this.#outage !== undefined) return;
    let end!: () => void;
    const back = new Promise<void>((resolve) => {
      end = resolve;
    });
    const { servers, reconnectWait } = this.#options;
    // Sends give up after reconnectWait; so do the replies to what was sent before the outage.
    const repliesLost = setTimeout(
      () => this.#options.onRepliesLost(new NatsConnectionLostError(servers, reconnectWait)),
      reconnectWait,
    ).unref();
    this.#outage = { back, end, repliesLost };
  }

  #endOutage(): void {
    clearTimeout(this.#outage?.repliesLost);
    this.#outage?.end();
    this.#outage = undefined;
  }
}

/** What the server answers to credentials it does not take (nats.js `ErrorCode`). */
const authenticationFailures = new Set([
  ErrorCode.AuthorizationViolation,
  ErrorCode.AuthenticationExpired,
  ErrorCode.AuthenticationTimeout,
  ErrorCode.BadAuthentication,
]);

/** Refused credentials are not an outage: they get an error of their own, which says what to fix. */
function connectionFailure(servers: readonly string[], cause: unknown): NatsAuthenticationError | NatsUnreachableError {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && authenticationFailures.has(code as ErrorCode)) {
    return new NatsAuthenticationError(servers, code, { cause });
  }
  return new NatsUnreachableError(servers, { cause });
}
