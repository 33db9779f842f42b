/**
 * Scenario 3 — streaming: one request answered by `chunks` (10 000) chunk replies of 1 KiB.
 *
 * How: the client sends one request and reads its reply stream to the end; the replier sends
 * the chunks with at most STREAM_WINDOW (32) unsettled, awaiting the transport as a producer
 * that respects backpressure does. Chunks/s and MB/s (chunk payload bytes, 10^6 per MB) over
 * the whole stream. Peak memory: heap and RSS sampled every 5 ms, above a reading after GC.
 * Client, bus and replier run in this process, so the peak is the whole process's: an upper
 * bound of what the sender holds. ExoRelay restores the replier's order (seq) on the client;
 * the baselines only count.
 * Baselines: over HTTP the minimal 4-hop bus, the replier POSTing every chunk through it; over
 * NATS the raw client, the replier publishing every chunk to the request's reply subject.
 * Moleculer has no chunk replies (it streams Node streams), so it is not in this scenario.
 * What it cannot tell: the sender's own share of the peak, and throughput over a real network.
 */
import { startMinimalFourHopBus } from '../baselines/minimal-4hop-bus.js';
import { startRawNats } from '../baselines/raw-nats.js';
import { CHUNK_BYTES } from '../fixtures/payloads.js';
import { type BenchContext, measureCase, type Sample, type Scenario, type Trial } from '../harness/measure.js';
import { trackPeakMemory } from '../harness/memory.js';
import type { Metric } from '../harness/report.js';
import { type Rig, singleService } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import type { Settings } from '../harness/settings.js';
import { systems } from '../harness/systems.js';
import { countFor } from '../harness/trials.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

const id = 'reply-stream';

const chunkRate: Metric = { name: 'chunk rate', unit: 'chunks/s', better: 'higher' };
const byteRate: Metric = { name: 'bandwidth', unit: 'MB/s', better: 'higher' };
const peakHeap: Metric = { name: 'peak heap', unit: 'MiB', better: 'lower' };
const peakRss: Metric = { name: 'peak RSS', unit: 'MiB', better: 'lower' };

function streamTrial(system: string, rig: Rig, settings: Settings): Trial {
  return {
    system,
    async run(phase): Promise<Sample> {
      if (rig.stream === undefined) throw new Error(`${system} cannot stream`);
      const chunks = countFor(settings, phase, settings.chunks);
      const memory = await trackPeakMemory();
      const started = performance.now();
      const bytes = await rig.stream(chunks);
      const seconds = (performance.now() - started) / 1000;
      const peak = memory.stop();
      rig.assertHealthy?.();
      if (bytes !== chunks * CHUNK_BYTES)
        throw new Error(`${system} delivered ${bytes} bytes of ${chunks * CHUNK_BYTES}`);
      return {
        [chunkRate.name]: chunks / seconds,
        [byteRate.name]: bytes / seconds / 1e6,
        [peakHeap.name]: peak.heapUsedMiB,
        [peakRss.name]: peak.rssMiB,
      };
    },
  };
}

async function run(context: BenchContext): Promise<void> {
  const transports = [
    {
      transport: 'http',
      baseline: systems.minimalBus4,
      starters: [
        [systems.exoRelayExoCom, () => startExoRelayOverExoCom(singleService)],
        [systems.minimalBus4, () => startMinimalFourHopBus(singleService)],
      ],
    },
    {
      transport: 'nats',
      baseline: systems.natsCorrelated,
      starters: [
        [systems.exoRelayNats, () => startExoRelayOverNats(context.natsUrl, singleService)],
        [systems.natsCorrelated, () => startRawNats(context.natsUrl, singleService, 'correlated')],
      ],
    },
  ] as const;
  for (const { transport, baseline, starters } of transports) {
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      await measureCase(context, {
        scenario: id,
        transport,
        case: `${context.settings.chunks.toLocaleString('en-US')} × 1 KiB`,
        baseline,
        metrics: [chunkRate, byteRate, peakHeap, peakRss],
        trials: [...rigs].map(([system, rig]) => streamTrial(system, rig, context.settings)),
      });
    });
  }
}

export const replyStream: Scenario = { id, title: '3. Streaming replies', run };
