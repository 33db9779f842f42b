import pRetry from 'p-retry';
import { debug } from '../../debug.js';
import { ExoComUnreachableError, RepliesLostError } from '../../errors.js';
import type { TransportContext } from '../../transport.js';
import type { ExoComClient } from './exocom-client.js';

export interface BusWatchOptions {
  /** How often to ask whether the bus is there, in ms. */
  interval: number;
  /** Largest wait between two attempts to reach a bus that is gone, in ms. */
  maxRetryDelay: number;
  /** The bus answers again: announce this relay to it anew; resolves once the bus routes to it. */
  onBack(): Promise<void>;
}

/**
 * Notices that the bus died or restarted, within seconds, and tells the relay that replies to
 * what it sent before cannot come (the bus kept their routes in memory). A bus is gone when a
 * socket to it breaks and it refuses connections, or when it does not answer the periodic
 * check; it restarted when its answers name another bus instance.
 */
export class BusWatch {
  readonly #client: ExoComClient;
  readonly #context: TransportContext;
  readonly #options: BusWatchOptions;
  readonly #stopped = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #busInstance: string | undefined;
  #checking: Promise<void> | undefined;
  #gone = false;

  constructor(client: ExoComClient, context: TransportContext, options: BusWatchOptions) {
    this.#client = client;
    this.#context = context;
    this.#options = options;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.check(), this.#options.interval).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#stopped.abort();
  }

  /** An answer named the bus instance that gave it. */
  busInstanceSeen(instance: string): void {
    const known = this.#busInstance;
    this.#busInstance = instance;
    // An answer to a send can come before the next check does: the bus is back now, and a relay
    // that waited for its check would stay unregistered, its replies dropped, until then.
    if (known === undefined && this.#gone) void this.#cameBack();
    if (known === undefined || known === instance) return;
    debug('the bus at %s restarted (%s, was %s)', this.#client.address, instance, known);
    this.#context.repliesLost(new RepliesLostError(this.#client.address, 'restarted'));
    void this.#options.onBack();
  }

  /** Asks the bus whether it is there; one check at a time. */
  check(): void {
    if (this.#stopped.signal.aborted) return;
    this.#checking ??= this.#check().finally(() => {
      this.#checking = undefined;
    });
  }

  async #check(): Promise<void> {
    if ((await this.#probe()) !== 'refused') return;
    this.#wentAway();
    try {
      await pRetry(
        async () => {
          if (this.#gone && (await this.#probe()) !== 'answered') throw this.#unreachable();
        },
        {
          retries: Number.POSITIVE_INFINITY,
          minTimeout: 100,
          maxTimeout: this.#options.maxRetryDelay,
          signal: this.#stopped.signal,
          unref: true,
          onFailedAttempt: ({ attemptNumber, error }) =>
            this.#context.reportStatus({ type: 'reconnecting', attempt: attemptNumber, error }),
        },
      );
    } catch {
      return; // stopped
    }
    await this.#cameBack();
  }

  /** Announces this relay to the bus that answers again, once however the relay learned of it. */
  async #cameBack(): Promise<void> {
    if (!this.#gone) return;
    this.#gone = false;
    await this.#options.onBack();
    this.#context.reportStatus({ type: 'online', address: `http://${this.#client.address}` });
  }

  #probe(): Promise<'answered' | 'refused' | 'silent'> {
    return this.#client.probe(this.#options.interval);
  }

  #wentAway(): void {
    if (this.#gone) return;
    this.#gone = true;
    // The restarted bus is a new instance; its first answer must not count as a second restart.
    this.#busInstance = undefined;
    debug('the bus at %s cannot be reached', this.#client.address);
    this.#context.repliesLost(new RepliesLostError(this.#client.address, 'unreachable'));
  }

  #unreachable(): ExoComUnreachableError {
    return new ExoComUnreachableError(this.#client.host, this.#client.port, 'HEAD /status');
  }
}
