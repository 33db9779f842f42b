import { setTimeout as delay } from 'node:timers/promises';
import type { TransportStatus } from 'exorelay';
import {
  type ConnectionOptions,
  connect,
  createInbox,
  DebugEvents,
  Events,
  type Msg,
  type NatsConnection,
  type Status,
} from 'nats';
import { debug } from './debug.js';
import { NatsServerError, NatsUnreachableError } from './errors.js';
import { FlushBatch } from './flush-batch.js';
import { subjectToken } from './subjects.js';
import { isNoRespondersStatus } from './wire.js';

export interface NatsLinkOptions {
  servers: string[];
  connection: Omit<ConnectionOptions, 'servers' | 'port'>;
  /** The client name the server shows, when `connection.name` is not set. */
  name: string;
  /** A reply arrived on this link's reply subject. */
  onReply: (msg: Msg) => void;
  onStatus: (status: TransportStatus) => void;
  onError: (error: Error) => void;
}

/**
 * One relay's connection to NATS: the nats.js connection, the relay's reply subject with its
 * single wildcard subscription, and the connection state. Every message goes out with reply
 * subject `<inbox>.<requestId>`; when no subscription matches, the server answers there with a
 * no-responders status (503) before it answers the next PING, which is how `publish` learns
 * that nobody receives a message without waiting for anything but one round trip.
 */
export class NatsLink {
  readonly connection: NatsConnection;
  readonly #options: NatsLinkOptions;
  readonly #inbox: string;
  readonly #flushes: FlushBatch;
  /** Publishes waiting for their flush, by reply token: did the server say nobody listens? */
  readonly #unanswered = new Map<string, { noResponders: boolean }>();
  /** Settles when a lost connection is back (or closed for good); `undefined` while connected. */
  #outage: { back: Promise<void>; end: () => void } | undefined;
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
      throw new NatsUnreachableError(options.servers, { cause });
    }
  }

  private constructor(connection: NatsConnection, options: NatsLinkOptions) {
    this.connection = connection;
    this.#options = options;
    this.#inbox = createInbox(options.connection.inboxPrefix);
    this.#flushes = new FlushBatch(() => connection.flush());
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

  /** Publishes a message that may be answered; resolves `false` when no subscription matched. */
  async publishRequest(subject: string, data: Uint8Array, requestId: string): Promise<boolean> {
    const token = subjectToken(requestId);
    const verdict = { noResponders: false };
    this.#unanswered.set(token, verdict);
    try {
      this.connection.publish(subject, data, { reply: `${this.#inbox}.${token}` });
      await this.#flushes.afterPublish();
    } finally {
      this.#unanswered.delete(token);
    }
    return !verdict.noResponders;
  }

  /** Publishes and resolves once the server has processed the message. */
  async publish(subject: string, data: Uint8Array, options: Parameters<NatsConnection['publish']>[2]): Promise<void> {
    this.connection.publish(subject, data, options);
    await this.#flushes.afterPublish();
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
    const verdict = this.#unanswered.get(msg.subject.slice(this.#inbox.length + 1));
    if (verdict === undefined) debug('a late no-responders status on %s', msg.subject);
    else verdict.noResponders = true;
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
    const lost = new NatsUnreachableError(this.#options.servers, { cause: error ?? new Error('connection closed') });
    this.#options.onStatus({ type: 'offline', error: lost });
    this.#options.onError(lost);
  }

  #beginOutage(): void {
    if (this.#outage !== undefined) return;
    let end!: () => void;
    const back = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.#outage = { back, end };
  }

  #endOutage(): void {
    this.#outage?.end();
    this.#outage = undefined;
  }
}
