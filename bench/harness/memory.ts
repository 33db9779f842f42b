const mebibyte = 1024 * 1024;

/** Collects garbage thoroughly when the process runs with --expose-gc; a no-op otherwise. */
export async function collectGarbage(): Promise<void> {
  if (typeof globalThis.gc !== 'function') return;
  // Several passes with turns in between: finalizers and weak callbacks free more on the next pass.
  for (let pass = 0; pass < 3; pass += 1) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface MemoryReading {
  heapUsedMiB: number;
  rssMiB: number;
}

export function readMemory(): MemoryReading {
  const usage = process.memoryUsage();
  return { heapUsedMiB: usage.heapUsed / mebibyte, rssMiB: usage.rss / mebibyte };
}

export interface PeakMemory {
  /** Peak heap above the reading after GC before the run: what the run made the process hold. */
  heapGrowthMiB: number;
  /** Peak resident size of the whole process during the run. */
  rssMiB: number;
}

/**
 * Samples heap and RSS every few ms while a run goes on, from a reading taken after GC.
 */
export async function trackPeakMemory(): Promise<{ stop(): PeakMemory }> {
  await collectGarbage();
  const start = readMemory();
  let peak = start;
  const sample = () => {
    const now = readMemory();
    peak = { heapUsedMiB: Math.max(peak.heapUsedMiB, now.heapUsedMiB), rssMiB: Math.max(peak.rssMiB, now.rssMiB) };
  };
  const timer = setInterval(sample, 5);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { heapGrowthMiB: peak.heapUsedMiB - start.heapUsedMiB, rssMiB: peak.rssMiB };
    },
  };
}
