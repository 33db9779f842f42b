/** How one closed-loop run went. */
export interface LoadResult {
  elapsedMs: number;
  /** One entry per operation, in ms, when latencies were asked for. */
  latenciesMs: Float64Array | undefined;
}

export interface ClosedLoopOptions {
  /** Operations to run in all. */
  total: number;
  /** Most operations in flight at once: each of `concurrency` workers starts the next as soon as its last one settled. */
  concurrency: number;
  operation: (index: number) => Promise<unknown>;
  /** Time every operation (costs two `performance.now()` calls each). */
  recordLatencies?: boolean;
}

/**
 * Runs `total` operations with `concurrency` workers, each awaiting its operation before it starts
 * the next: a closed loop, so the system sets the pace and nothing queues up unbounded.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const { total, concurrency, operation } = options;
  const latenciesMs = options.recordLatencies === true ? new Float64Array(total) : undefined;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      const started = performance.now();
      await operation(index);
      if (latenciesMs !== undefined) latenciesMs[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { elapsedMs: performance.now() - started, latenciesMs };
}

/**
 * Sends `count` items through `sendOne` with at most `window` unsettled at once, in order of
 * starting: how a streaming producer respects backpressure yet keeps the pipe full. When the
 * window is full it waits for the oldest item, as TCP does: constant work per item, where racing
 * the whole window cost one reaction per item in flight, for every item.
 */
export async function pipelined(count: number, window: number, sendOne: (index: number) => Promise<unknown>) {
  const inFlight: Promise<unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const sent = sendOne(index);
    // A later item may fail while an older one is awaited: that failure is seen when its turn comes.
    sent.catch(() => {});
    inFlight.push(sent);
    if (inFlight.length >= window) await inFlight.shift();
  }
  await Promise.all(inFlight);
}
