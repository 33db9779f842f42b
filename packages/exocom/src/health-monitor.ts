import type { RoutingTable } from './routing-table.js';

/**
 * Asks every instance `GET /status` every `interval` ms (an event-stream instance's connection
 * tells its health instead). An instance that fails repeatedly is forgotten (registered) or
 * marked down (configured); a configured one that answers again is up.
 */
export class HealthMonitor {
  readonly #table: RoutingTable;
  readonly #interval: number;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;

  constructor(table: RoutingTable, interval: number) {
    this.#table = table;
    this.#interval = interval;
  }

  start(): void {
    this.#timer = setInterval(() => {
      // A slow round is not overlapped by the next one.
      this.#round ??= this.#probeAll().finally(() => {
        this.#round = undefined;
      });
    }, this.#interval).unref();
  }

  /** Stops probing and waits for a round under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round;
  }

  async #probeAll(): Promise<void> {
    await Promise.all(
      this.#table.allInstances().map(async (instance) => {
        const { channel } = instance;
        if (channel.probe === undefined) return;
        if (await channel.probe()) this.#table.reportSuccess(instance);
        else this.#table.reportFailure(instance);
      }),
    );
  }
}
