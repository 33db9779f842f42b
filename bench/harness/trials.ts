import { cycle, type OrderPlaced, orderEvents } from '../fixtures/payloads.js';
import { runClosedLoop } from './load.js';
import type { Sample, Trial } from './measure.js';
import type { Metric } from './report.js';
import type { Rig } from './rig.js';
import type { Settings } from './settings.js';
import { percentile } from './statistics.js';

/** Distinct payloads the loops cycle through. */
const payloads = orderEvents(1024);

export const throughput: Metric = { name: 'throughput', unit: 'msg/s', better: 'higher' };
export const deliveryRate: Metric = { name: 'deliveries', unit: 'deliveries/s', better: 'higher' };
export const latencyP50: Metric = { name: 'latency p50', unit: 'ms', better: 'lower' };
export const latencyP99: Metric = { name: 'latency p99', unit: 'ms', better: 'lower' };

/** How many operations a round does: all of them, or the warm-up's share. */
export function countFor(settings: Settings, phase: 'warmup' | 'measure', total: number): number {
  return phase === 'warmup' ? Math.max(1, Math.ceil(total * settings.warmupShare)) : total;
}

/**
 * Fire-and-forget: `concurrency` senders each hand an event to the system and wait until it
 * took it before they send the next; the round ends when every receiving service got every
 * event. Throughput counts events sent; deliveries counts events × receivers.
 */
export function eventTrial(
  system: string,
  rig: Rig,
  options: { settings: Settings; total: number; concurrency: number; receivers: number },
): Trial {
  const next = cycle(payloads);
  return {
    system,
    async run(phase): Promise<Sample> {
      const count = countFor(options.settings, phase, options.total);
      const delivered = rig.deliveries.reach(rig.deliveries.count + count * options.receivers);
      const started = performance.now();
      await runClosedLoop({ total: count, concurrency: options.concurrency, operation: () => rig.send(next()) });
      await delivered;
      const seconds = (performance.now() - started) / 1000;
      rig.assertHealthy?.();
      return { [throughput.name]: count / seconds, [deliveryRate.name]: (count * options.receivers) / seconds };
    },
  };
}

/**
 * Request/reply: `concurrency` callers each send a request and wait for its reply before the
 * next. Every reply is checked against its request, so a broken system cannot look fast.
 */
export function requestTrial(
  system: string,
  rig: Rig,
  options: { settings: Settings; total: number; concurrency: number; latencies?: boolean },
): Trial {
  const next = cycle(payloads);
  const ask = async () => {
    const payload = next();
    const reply = (await rig.request(payload)) as OrderPlaced | undefined;
    if (reply?.id !== payload.id) throw new Error(`${system} answered ${JSON.stringify(reply)} to ${payload.id}`);
  };
  return {
    system,
    async run(phase): Promise<Sample> {
      const count = countFor(options.settings, phase, options.total);
      const result = await runClosedLoop({
        total: count,
        concurrency: options.concurrency,
        operation: ask,
        recordLatencies: options.latencies,
      });
      rig.assertHealthy?.();
      const sample: Sample = { [throughput.name]: count / (result.elapsedMs / 1000) };
      if (result.latenciesMs !== undefined) {
        sample[latencyP50.name] = percentile(result.latenciesMs, 50);
        sample[latencyP99.name] = percentile(result.latenciesMs, 99);
      }
      return sample;
    },
  };
}
