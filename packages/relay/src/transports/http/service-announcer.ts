import type { ServiceDeregistration, ServiceRegistration } from '@exorelay/protocol';
import { debug } from '../../debug.js';
import type { ExoComClient } from './exocom-client.js';

/**
 * Tells the bus where this relay listens and what it handles (`POST /register`), again when
 * that changes, and every `interval` ms so a restarted bus learns it back. A bus that routes
 * from a configuration only answers 404; the relay then stops announcing.
 */
export class ServiceAnnouncer {
  #timer: NodeJS.Timeout | undefined;
  #supported = true;

  constructor(
    private readonly client: ExoComClient,
    private readonly registration: () => ServiceRegistration,
    private readonly interval: number,
  ) {}

  start(): void {
    this.announce();
    this.#timer = setInterval(() => this.announce(), this.interval).unref();
  }

  announce(): void {
    if (!this.#supported) return;
    const registration = this.registration();
    this.client.post('/register', registration).then(
      (answer) => {
        if (answer.status === 404) {
          debug('the bus does not take registrations (404); routing is up to its configuration');
          this.stop();
          this.#supported = false;
        } else if (answer.status >= 300) {
          debug('registering %s failed with %d: %s', registration.serviceName, answer.status, answer.text);
        }
      },
      (error: Error) => debug('registering %s failed: %s', registration.serviceName, error.message),
    );
  }

  /**
   * Stops announcing and tells the bus to route nothing new here — a registration that
   * receives no names — while it still knows the instance, so replies to its own requests find
   * it and what it was sent already is still answered. Resolves once the bus took it.
   */
  async withhold(): Promise<void> {
    const wasSupported = this.#supported;
    this.stop();
    if (!wasSupported) return;
    const registration = { ...this.registration(), receives: [] };
    try {
      const answer = await this.client.post('/register', registration);
      if (answer.status >= 300)
        debug('withholding %s failed with %d: %s', registration.serviceName, answer.status, answer.text);
    } catch (error) {
      debug('withholding %s failed: %s', registration.serviceName, (error as Error).message);
    }
  }

  /** Stops announcing and tells the bus to forget this instance. */
  async withdraw(deregistration: ServiceDeregistration): Promise<void> {
    const wasSupported = this.#supported;
    this.stop();
    if (!wasSupported) return;
    try {
      await this.client.post('/deregister', deregistration);
    } catch (error) {
      debug('deregistering failed: %s', (error as Error).message);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
