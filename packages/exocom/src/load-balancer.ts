import type { Instance } from './instance.js';

/**
 * How the bus picks one instance of a service for a message.
 * - `round-robin`: each instance in turn.
 * - `least-in-flight`: the instance with the fewest deliveries under way (ties in turn).
 */
export type LoadBalancing = 'round-robin' | 'least-in-flight';

/** Picks the instance of a service that gets the next message. Instances that are down are used only when all are. */
export class LoadBalancer {
  readonly #strategy: LoadBalancing;
  readonly #turns = new Map<string, number>();

  constructor(strategy: LoadBalancing) {
    this.#strategy = strategy;
  }

  /** `instances` is never empty: the routing table lists only services that have one. */
  pick(serviceName: string, instances: readonly Instance[]): Instance {
    const up = instances.filter((instance) => instance.up);
    const candidates = up.length > 0 ? up : instances;
    const turn = this.#turns.get(serviceName) ?? 0;
    this.#turns.set(serviceName, turn + 1);
    const start = turn % candidates.length;
    if (this.#strategy === 'round-robin') return candidates[start]!;
    let best = candidates[start]!;
    for (let offset = 1; offset < candidates.length; offset += 1) {
      const candidate = candidates[(start + offset) % candidates.length]!;
      if (candidate.inFlight < best.inFlight) best = candidate;
    }
    return best;
  }
}
