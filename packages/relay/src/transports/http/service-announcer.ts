import type { ServiceDeregistration, ServiceRegistration } from '@exorelay/protocol';
import pRetry, { AbortError } from 'p-retry';
import { debug } from '../../debug.js';
import { ExoComUnreachableError, MessageRejectedError } from '../../errors.js';
import type { TransportContext } from '../../transport.js';
import { type ExoComClient, isRetriable } from './exocom-client.js';

export interface ServiceAnnouncerOptions {
  client: ExoComClient;
  context: TransportContext;
  registration: () => ServiceRegistration;
  /** How often to repeat the announcement, in ms. */
  interval: number;
  /** First wait before trying to register again while the bus cannot be reached, in ms. */
  retryDelay: number;
  /** Largest wait between two attempts, in ms. */
  maxRetryDelay: number;
}

/**
 * Tells the bus where this relay listens and what it handles (`POST /register`), again when
 * that changes, and every `interval` ms so a restarted bus learns it back. A bus that routes
 * from a configuration only answers 404; the relay then stops announcing.
 */
export class ServiceAnnouncer {
  readonly #options: ServiceAnnouncerOptions;
  #timer: NodeJS.Timeout | undefined;
  #announcing: Promise<void> = Promise.resolve();
  /** False once the bus said it takes no registrations (404). */
  #supported = true;
  /** True once the relay withholds or withdraws: nothing is announced any more. */
  #stopped = false;

  constructor(options: ServiceAnnouncerOptions) {
    this.#options = options;
  }

  /**
   * Registers, and resolves once the bus took the registration (or routes from its
   * configuration only). While the bus cannot be reached it tries again with backoff and
   * reports `reconnecting` with the reason; `signal` gives up. A refused registration rejects.
   */
  async start(signal?: AbortSignal): Promise<void> {
    const { client, context, retryDelay, maxRetryDelay } = this.#options;
    await pRetry(() => this.#register(), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: retryDelay,
      maxTimeout: maxRetryDelay,
      signal,
      onFailedAttempt: ({ attemptNumber, error }) => {
        debug('registering at %s failed (attempt %d): %s', client.address, attemptNumber, error.message);
        context.reportStatus({ type: 'reconnecting', attempt: attemptNumber, error });
      },
    });
    if (this.#supported && !this.#stopped)
      this.#timer = setInterval(() => this.announce(), this.#options.interval).unref();
  }

  /**
   * Announces the names handled now, after the announcements before it, and resolves once the
   * bus took it; failures are only logged, the next announcement repeats it.
   */
  announce(): Promise<void> {
    this.#announcing = this.#announcing.then(() => {
      if (!this.#supported || this.#stopped) return;
      return this.#register().catch((error: Error) => debug('registering failed: %s', error.message));
    });
    return this.#announcing;
  }

  /**
   * Stops announcing and tells the bus to route nothing new here — a registration that
   * receives no names — while it still knows the instance, so replies to its own requests find
   * it and what it was sent already is still answered. Resolves once the bus took it.
   */
  async withhold(): Promise<void> {
    this.stop();
    if (!this.#supported) return;
    const registration = { ...this.#options.registration(), receives: [] };
    try {
      const answer = await this.#options.client.post('/register', registration);
      if (answer.status >= 300) debug('withholding failed with %d: %s', answer.status, answer.text);
    } catch (error) {
      debug('withholding %s failed: %s', registration.serviceName, (error as Error).message);
    }
  }

  /** Stops announcing and tells the bus to forget this instance. */
  async withdraw(deregistration: ServiceDeregistration): Promise<void> {
    this.stop();
    if (!this.#supported) return;
    try {
      await this.#options.client.post('/deregister', deregistration);
    } catch (error) {
      debug('deregistering failed: %s', (error as Error).message);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stopped = true;
  }

  async #register(): Promise<void> {
    const { client } = this.#options;
    const registration = this.#options.registration();
    let answer: Awaited<ReturnType<ExoComClient['post']>>;
    try {
      answer = await client.post('/register', registration);
    } catch (error) {
      if (!isRetriable(error)) throw new AbortError(error as Error);
      throw new ExoComUnreachableError(client.host, client.port, '/register', { cause: error });
    }
    if (answer.status === 404) {
      debug('the bus does not take registrations (404); routing is up to its configuration');
      this.#supported = false;
      clearInterval(this.#timer);
      return;
    }
    if (answer.status >= 500) throw new MessageRejectedError('/register', answer.status, answer.text);
    // The bus refused this registration for good (a reserved name, a credential): say so.
    if (answer.status >= 300) throw new AbortError(new MessageRejectedError('/register', answer.status, answer.text));
  }
}
