import { EventEmitter, once, setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { debug } from './debug.js';
import { LinkedSet } from './linked-set.js';
import type { HandlerResult } from './transport.js';

/**
 * The handlers running now, bounded by `maxConcurrent`: the relay refuses work beyond it (HTTP
 * 503 + `retry-after`), so a burst waits in the bus or at the sender instead of in this process.
 * Every handler gets the one signal that aborts when `close()` stops waiting for the handlers
 * still running — one for all, as they are all given up at once, and no listener per message.
 */
export class HandlerPool {
  /** What to do for each running handler if `close()` gives up on it. */
  readonly #running = new LinkedSet<() => void>();
  readonly #room = new EventEmitter();
  readonly #givenUp = new AbortController();

  constructor(
    readonly maxConcurrent: number,
    private readonly onSaturationChange: (saturated: boolean) => void,
  ) {
    // Every transport waiting for room is one listener, every running handler one on the signal.
    this.#room.setMaxListeners(0);
    setMaxListeners(0, this.#givenUp.signal);
  }

  get active(): number {
    return this.#running.size;
  }

  get saturated(): boolean {
    return this.#running.size >= this.maxConcurrent;
  }

  /**
   * Runs one handler; its settled result is what `HandlerPool` tracks. Never rejects.
   * `onGivenUp` runs if `close()` stops waiting for it, just before its signal aborts.
   */
  run(handler: (signal: AbortSignal) => Promise<HandlerResult>, onGivenUp: () => void): Promise<HandlerResult> {
    const run = handler(this.#givenUp.signal);
    const running = this.#running.add(onGivenUp);
    if (this.#running.size === this.maxConcurrent) this.onSaturationChange(true);
    void run.then(() => {
      const wasSaturated = this.saturated;
      this.#running.delete(running);
      if (wasSaturated && !this.saturated) this.onSaturationChange(false);
      this.#room.emit('room');
    });
    return run;
  }

  /** Resolves once fewer than `maxConcurrent` handlers run. */
  async capacity(signal?: AbortSignal): Promise<void> {
    while (this.saturated) await once(this.#room, 'room', { signal });
  }

  /** Waits for the running handlers, at most `timeout` ms; then aborts the signals of the rest. */
  async drain(timeout: number): Promise<void> {
    if (this.#running.size === 0) return;
    const timer = new AbortController();
    const finished = await Promise.race([
      this.#allFinished(timer.signal),
      delay(timeout, false, { signal: timer.signal }).catch(() => true),
    ]);
    timer.abort();
    if (finished) return;
    debug('close: %d handlers still running after %d ms; aborting their signals', this.#running.size, timeout);
    for (const onGivenUp of this.#running.values()) onGivenUp();
    this.#givenUp.abort();
  }

  /** Resolves once no handler runs, including handlers started while waiting; or when `signal` aborts. */
  async #allFinished(signal: AbortSignal): Promise<boolean> {
    try {
      while (this.#running.size > 0) await once(this.#room, 'room', { signal });
      return true;
    } catch {
      // Aborted: the race is decided, and nobody listens for room any more.
      return false;
    }
  }
}
