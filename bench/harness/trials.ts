import { CHUNK_BYTES, cycle, type OrderPlaced, orderEvents } from '../fixtures/payloads.js';
import { runClosedLoop } from './load.js';
import type { Sample, Trial } from './measure.js';
import { trackPeakMemory } from './memory.js';
import { type CostComparison, type Figure, type Metric, pick } from './report.js';
import type { Rig } from './rig.js';
import type { Settings } from './settings.js';
import { percentile } from './statistics.js';

/** Distinct payloads the loops cycle through. */
const payloads = orderEvents(1024);

export const throughput: Metric = { name: 'throughput', unit: 'msg/s', better: 'higher' };
export const deliveryRate: Metric = { name: 'deliveries', unit: 'deliveries/s', better: 'higher' };
export const latencyP50: Metric = { name: 'latency p50', unit: 'ms', better: 'lower' };
export const latencyP99: Metric = { name: 'latency p99', unit: 'ms', better: 'lower' };
/**
 * CPU time (user and system) per message of all the system's processes in a round: client, bus,
 * services, and for a NATS system nats-server (from `/proc`, so on Linux only; it serves one
 * system at a time). On two shared cores, throughput follows it once the processes are busy; it
 * also shows what a system costs where throughput cannot tell (1 caller).
 */
export const cpuPerMessage: Metric = { name: 'CPU per message', unit: 'µs', better: 'lower' };

/** The processes of a system whose CPU time is told apart: where a message's cost sits. */
export type CpuPart = 'bus' | 'services' | 'client' | 'nats-server';
const cpuParts: readonly CpuPart[] = ['bus', 'services', 'client', 'nats-server'];

/** CPU per message of one part of a system: kept in the results and named in a failed target, not in the table. */
export function cpuPerMessageOf(part: CpuPart): Metric {
  return { name: `${cpuPerMessage.name}, ${part}`, unit: cpuPerMessage.unit, better: 'lower', detail: true };
}

/** CPU per message in all and per part: the metrics a process rig's rounds report. */
export const cpuMetrics: readonly Metric[] = [cpuPerMessage, ...cpuParts.map(cpuPerMessageOf)];

/** CPU time per part of a system, in µs, as one reading. */
export type CpuTimes = Partial<Record<CpuPart, number>>;

/** A round's CPU per message, in all and per part, from the readings before and after it. */
export function cpuSample(before: CpuTimes, after: CpuTimes, count: number): Sample {
  const sample: Sample = {};
  let total = 0;
  for (const part of cpuParts) {
    const now = after[part];
    if (now === undefined) continue;
    const spent = now - (before[part] ?? 0);
    sample[cpuPerMessageOf(part).name] = spent / count;
    total += spent;
  }
  sample[cpuPerMessage.name] = total / count;
  return sample;
}

/**
 * What `subject` and `reference` spent per message in a case, in all and per part: the
 * physical cost behind a throughput ratio, shown beside a target that failed.
 */
export function compareCost(
  figures: readonly Figure[],
  subject: string,
  reference: string,
): CostComparison | undefined {
  const total = { subject: pick(figures, subject, cpuPerMessage), reference: pick(figures, reference, cpuPerMessage) };
  if (total.subject === undefined || total.reference === undefined) return undefined;
  const parts = cpuParts.flatMap((part) => {
    const metric = cpuPerMessageOf(part);
    const [ofSubject, ofReference] = [pick(figures, subject, metric), pick(figures, reference, metric)];
    return ofSubject === undefined || ofReference === undefined
      ? []
      : [{ part, subject: ofSubject.value, reference: ofReference.value }];
  });
  return { subject: total.subject.value, reference: total.reference.value, unit: cpuPerMessage.unit, parts };
}

/** How many operations a round does: all of them, or the warm-up's share (at least `warmupMessages`). */
export function countFor(settings: Settings, phase: 'warmup' | 'measure', total: number): number {
  if (phase === 'measure') return total;
  return Math.max(1, Math.ceil(total * settings.warmupShare), settings.warmupMessages);
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
  return {
    system,
    async run(phase): Promise<Sample> {
      const count = countFor(options.settings, phase, options.total);
      const delivered = rig.deliveries.reach(rig.deliveries.count + count * options.receivers);
      const started = performance.now();
      await sendEvents(rig, count, options.concurrency);
      await delivered;
      const sample = eventRates(count, options.receivers, performance.now() - started);
      rig.assertHealthy?.();
      return sample;
    },
  };
}

/** Events sent and deliveries made per second, over one fire-and-forget round. */
export function eventRates(count: number, receivers: number, elapsedMs: number): Sample {
  const seconds = elapsedMs / 1000;
  return { [throughput.name]: count / seconds, [deliveryRate.name]: (count * receivers) / seconds };
}

/** The senders' part of a fire-and-forget round: `count` events, then the end of the window. */
export async function sendEvents(rig: Rig, count: number, concurrency: number): Promise<void> {
  const next = cycle(payloads);
  await runClosedLoop({ total: count, concurrency, operation: () => rig.send(next()) });
  await rig.flush?.();
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
  return {
    system,
    run: (phase) =>
      askRequests(system, rig, {
        count: countFor(options.settings, phase, options.total),
        concurrency: options.concurrency,
        latencies: options.latencies === true,
      }),
  };
}

/** One request/reply round: `count` requests from `concurrency` callers. */
export async function askRequests(
  system: string,
  rig: Rig,
  options: { count: number; concurrency: number; latencies: boolean },
): Promise<Sample> {
  const next = cycle(payloads);
  const ask = async () => {
    const payload = next();
    const reply = (await rig.request(payload)) as OrderPlaced | undefined;
    if (reply?.id !== payload.id) throw new Error(`${system} answered ${JSON.stringify(reply)} to ${payload.id}`);
  };
  const result = await runClosedLoop({
    total: options.count,
    concurrency: options.concurrency,
    operation: ask,
    recordLatencies: options.latencies,
  });
  rig.assertHealthy?.();
  const sample: Sample = { [throughput.name]: options.count / (result.elapsedMs / 1000) };
  if (result.latenciesMs !== undefined) {
    sample[latencyP50.name] = percentile(result.latenciesMs, 50);
    sample[latencyP99.name] = percentile(result.latenciesMs, 99);
  }
  return sample;
}

export const chunkRate: Metric = { name: 'chunk rate', unit: 'chunks/s', better: 'higher' };
export const byteRate: Metric = { name: 'bandwidth', unit: 'MB/s', better: 'higher' };
export const peakHeap: Metric = { name: 'peak heap', unit: 'MiB', better: 'lower' };
export const peakRss: Metric = { name: 'peak RSS', unit: 'MiB', better: 'lower' };

/**
 * What a stream round measures: its speed, or the memory of the process that reads it.
 * - `speed`: chunks/s and MB/s.
 * - `memory`: peak heap above a reading after GC (what the stream made this process hold) and
 *   peak RSS, the process's whole resident size at its peak (a process never holds 0 bytes, and
 *   RSS rarely shrinks back to a baseline).
 *
 * Apart, because the reading after GC slows the streams that follow it. A full GC while no
 * message is alive frees the hidden classes of the messages' objects; the next objects get new
 * ones, and the code optimised for the old ones is thrown away ("wrong map"). Measured with
 * ExoRelay over NATS (2026-11-28): the client's CPU per chunk 4.5–5 µs in a warm process,
 * 11–14 µs in the stream right after the three forced GCs, 6.8 µs in the one after that; the raw
 * client 2.5–3 µs and 8–9 µs. Processes that serve do not force GCs between messages.
 */
export type StreamMeasure = 'speed' | 'memory';

/**
 * `streams` streamed requests of `chunks` chunk replies each, read to the end one after the
 * other (a memory round reads one); see {@link StreamMeasure}.
 */
export async function readStream(
  system: string,
  rig: Rig,
  options: { chunks: number; streams: number; awaited: boolean; measure: StreamMeasure },
): Promise<Sample> {
  const stream = options.awaited ? rig.streamAwaited : rig.stream;
  if (stream === undefined) throw new Error(`${system} cannot stream${options.awaited ? ' awaiting each chunk' : ''}`);
  const memory = options.measure === 'memory' ? await trackPeakMemory() : undefined;
  const streams = memory === undefined ? options.streams : 1;
  const started = performance.now();
  for (let index = 0; index < streams; index += 1) {
    const bytes = await stream.call(rig, options.chunks);
    if (bytes !== options.chunks * CHUNK_BYTES)
      throw new Error(`${system} delivered ${bytes} bytes of ${options.chunks * CHUNK_BYTES}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = memory?.stop();
  rig.assertHealthy?.();
  if (peak !== undefined) return { [peakHeap.name]: peak.heapGrowthMiB, [peakRss.name]: peak.rssMiB };
  const chunks = options.chunks * streams;
  return { [chunkRate.name]: chunks / seconds, [byteRate.name]: (chunks * CHUNK_BYTES) / seconds / 1e6 };
}
