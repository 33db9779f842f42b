import { setTimeout as delay } from 'node:timers/promises';
import { type Figure, formatNumber, type Metric, type Report } from './report.js';
import type { Settings } from './settings.js';
import { median } from './statistics.js';

/** What one round of one system measured: metric name → value. */
export type Sample = Record<string, number>;

/** One system's part in a case. */
export interface Trial {
  system: string;
  /** Runs one round; `warmup` rounds are smaller and not reported. */
  run(phase: 'warmup' | 'measure'): Promise<Sample>;
}

/** What every scenario gets from the runner. */
export interface BenchContext {
  readonly settings: Settings;
  /** `nats://127.0.0.1:PORT` of the nats-server the run started. */
  readonly natsUrl: string;
  /** CPU time that nats-server used so far, in µs; `undefined` where it cannot be read. */
  natsCpuTime(): number | undefined;
  readonly report: Report;
  /** The transports to measure (`--transport http,nats`); `undefined` measures all. */
  readonly transports?: readonly string[];
  /** A progress line on stderr. */
  log(line: string): void;
}

export interface CaseOptions {
  scenario: string;
  transport: string;
  case: string;
  /** The system every figure of this case is compared with. */
  baseline: string;
  metrics: readonly Metric[];
  trials: readonly Trial[];
}

/**
 * Measures one case: a warm-up round per system, then `settings.rounds` rounds with the systems
 * interleaved (A B C, C B A …), so a noisy minute on a shared machine hits every system alike.
 * Records the median of each metric and its ratio to the baseline. A round that fails or takes
 * longer than `roundTimeoutMs` fails the case (recorded, and the run goes on).
 */
export async function measureCase(context: BenchContext, options: CaseOptions): Promise<Figure[]> {
  const { settings, report } = context;
  const label = `${options.scenario} · ${options.transport} · ${options.case}`;
  const started = performance.now();
  const samples = new Map<string, Sample[]>(options.trials.map((trial) => [trial.system, []]));
  let measuredFrom = 0;
  try {
    for (const trial of options.trials) await withTimeout(trial.run('warmup'), settings.roundTimeoutMs, trial.system);
    measuredFrom = monotonicSeconds();
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const trial of inRoundOrder(options.trials, round)) {
        samples.get(trial.system)?.push(await withTimeout(trial.run('measure'), settings.roundTimeoutMs, trial.system));
      }
    }
  } catch (error) {
    report.fail({ scenario: options.scenario, case: `${options.transport} · ${options.case}`, error: describe(error) });
    context.log(`  ✗ ${label}: ${describe(error)}`);
    return [];
  }
  const figures = toFigures(options, samples);
  for (const figure of figures) report.add(figure);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = figures
    .filter((figure) => figure.metric === options.metrics[0]?.name)
    .map((figure) => `${figure.system} ${formatNumber(figure.value)}`)
    .join(' · ');
  context.log(`  ✓ ${label} (${options.metrics[0]?.unit}): ${summary}  [${seconds} s]`);
  // For `perf script --time FROM,TO`: the rounds measured, without the warm-up.
  if (process.env.BENCH_PERF) context.log(`    measured ${measuredFrom.toFixed(3)},${monotonicSeconds().toFixed(3)}`);
  return figures;
}

/** Seconds on CLOCK_MONOTONIC, the clock `perf record -k CLOCK_MONOTONIC` stamps samples with. */
function monotonicSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/**
 * A B C in even rounds, C B A in odd ones: what one system leaves behind (garbage to collect,
 * a cooled cache, a neighbour's burst) falls on each system in turn, not always on the next.
 */
function inRoundOrder<T>(trials: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? trials : [...trials].reverse();
}

function toFigures(options: CaseOptions, samples: ReadonlyMap<string, Sample[]>): Figure[] {
  const figures: Figure[] = [];
  for (const metric of options.metrics) {
    const medianOf = (system: string) =>
      median((samples.get(system) ?? []).map((sample) => sample[metric.name] ?? NaN));
    const baselineValue = medianOf(options.baseline);
    for (const trial of options.trials) {
      const values = (samples.get(trial.system) ?? []).map((sample) => sample[metric.name] ?? NaN);
      // A detail a system does not have (a bus, for a NATS system) is no figure of it.
      if (metric.detail === true && !values.some(Number.isFinite)) continue;
      const value = median(values);
      figures.push({
        scenario: options.scenario,
        transport: options.transport,
        case: options.case,
        system: trial.system,
        metric: metric.name,
        unit: metric.unit,
        better: metric.better,
        value,
        samples: values,
        baseline: Number.isFinite(baselineValue) ? options.baseline : undefined,
        ratio: Number.isFinite(baselineValue) && baselineValue !== 0 ? value / baselineValue : undefined,
        ...(metric.detail === true ? { detail: true } : {}),
      });
    }
  }
  return figures;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  const timer = new AbortController();
  const expired = delay(ms, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`${what}: a round took longer than ${ms} ms`);
  });
  expired.catch(() => {});
  try {
    return await Promise.race([work, expired]);
  } finally {
    timer.abort();
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** One scenario of the issue: measures its cases and judges its targets. */
export interface Scenario {
  id: string;
  title: string;
  run(context: BenchContext): Promise<void>;
}
