/**
 * How much each scenario does. `full` is what docs/performance.md reports and takes 14–20
 * minutes on a 2-core machine; `quick` (CI) only proves every scenario still runs, in a few minutes.
 */
export interface Settings {
  mode: 'full' | 'quick';
  /** Measured rounds per case; figures are their medians. One smaller warm-up round comes first. */
  rounds: number;
  /**
   * Measured rounds per case of scenario 4, whose two rigs share one event loop in rounds of
   * 0.3–3 s: two identical rigs read −7 to +14 % apart as the median of 5 rounds.
   */
  validationRounds: number;
  /** Share of a round's count the warm-up round uses. */
  warmupShare: number;
  /**
   * Fewest messages (events, requests or chunks) a warm-up round sends. V8 compiles a process's
   * hot paths over its first few thousand messages: after a 500-request warm-up, the first
   * measured round at 1 caller cost every system about twice the CPU of its later ones.
   */
  warmupMessages: number;
  /** Events per round of scenario 1 (and the fan-out of scenario 5). */
  events: number;
  /** Requests per round at concurrency ≥ 16 (scenarios 2, 4 and 5). */
  requests: number;
  /** Requests per round at concurrency 1 (throughput and latency). */
  sequentialRequests: number;
  /**
   * NATS cases send this many times the events and requests above, and read this many streams a
   * round: NATS moves several times more messages a second here, and a round much shorter than
   * a second is mostly noise.
   */
  natsScale: number;
  /** Receiving services of the fan-out cases (scenario 5), each in a process of its own. */
  fanOut: readonly number[];
  /** Chunk replies per streamed request (scenario 3). */
  chunks: number;
  /**
   * Scenario 6, per transport: `fill`'s events and requests first, enough to fill the bounded
   * memories (ExoCom remembers its last 100 000 sends, a relay its last 50 000 deliveries, to
   * take each at most once); then `events`, then `requests`, between the two memory readings.
   */
  soak: Record<'http' | 'nats', Soak>;
  /** A case round that takes longer fails, so a lost message cannot hang the run. */
  roundTimeoutMs: number;
  /** The same for one transport's whole soak (scenario 6). */
  soakTimeoutMs: number;
}

export interface Soak {
  fill: { events: number; requests: number };
  events: number;
  requests: number;
}

/** 110 000 sends fill ExoCom's memory of 100 000; 55 000 requests, every relay's of 50 000 deliveries. */
const fillBoundedMemories = { events: 110_000, requests: 55_000 };

export const fullSettings: Settings = {
  mode: 'full',
  // Rounds on this shared machine differ by more than 10 %: five give a median worth reading.
  rounds: 5,
  validationRounds: 15,
  warmupShare: 0.25,
  warmupMessages: 5_000,
  events: 10_000,
  requests: 6_000,
  sequentialRequests: 2_000,
  natsScale: 4,
  fanOut: [1, 4, 16],
  chunks: 10_000,
  // Over HTTP, 1 000 000 events take 4–5 minutes here: the longest scenario of the run.
  soak: {
    http: { fill: fillBoundedMemories, events: 1_000_000, requests: 100_000 },
    nats: { fill: fillBoundedMemories, events: 1_000_000, requests: 100_000 },
  },
  roundTimeoutMs: 120_000,
  soakTimeoutMs: 900_000,
};

export const quickSettings: Settings = {
  mode: 'quick',
  rounds: 1,
  validationRounds: 1,
  warmupShare: 0.25,
  warmupMessages: 0,
  events: 1_000,
  requests: 500,
  sequentialRequests: 100,
  natsScale: 1,
  fanOut: [1, 4],
  chunks: 1_000,
  soak: {
    http: { fill: { events: 2_000, requests: 1_000 }, events: 10_000, requests: 2_000 },
    nats: { fill: { events: 2_000, requests: 1_000 }, events: 10_000, requests: 2_000 },
  },
  roundTimeoutMs: 30_000,
  soakTimeoutMs: 60_000,
};

/** Events or requests per round of a case over `transport`. */
export function roundCount(
  settings: Settings,
  what: 'events' | 'requests' | 'sequentialRequests',
  transport: string,
): number {
  return settings[what] * (transport === 'nats' ? settings.natsScale : 1);
}
