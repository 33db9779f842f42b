/**
 * Scenario 3 — streaming: one request answered by `chunks` (10 000) chunk replies of 1 KiB.
 *
 * How: the client sends one request and reads its reply stream to the end (over NATS, a round
 * reads `natsScale` such streams one after the other); the replier sends
 * the chunks with at most STREAM_WINDOW (32) unsettled, awaiting the transport as a producer
 * that respects backpressure does. A second case has the replier await every
 * `reply.progress(…)` before the next (a window of one): what a handler written the plain way
 * gets. Chunks/s and MB/s (chunk payload bytes, 10^6 per MB) over the whole stream. Client, bus
 * and replier each run in a process of their own; the figures are the client's, the process
 * that holds the stream as it arrives: its peak heap above a reading after GC, and its peak
 * RSS (sampled every 5 ms), measured in rounds of their own after the speed rounds, since the
 * forced GC slows the streams that follow it (see `StreamMeasure`). ExoRelay restores the
 * replier's order (seq) on the client; the baselines only count. CPU per message is per chunk,
 * in all and per process.
 * Baselines: over HTTP the minimal 4-hop bus, the replier POSTing every chunk through it (32 in
 * flight); over NATS the raw client, the replier publishing every chunk to the request's reply
 * subject without waiting. The awaited case compares with the same baselines: their chunk rate
 * is what the wire allows. Moleculer has no chunk replies (it streams Node streams), so it is
 * not in this scenario.
 * What it cannot tell: the replier's memory, and throughput over a real network.
 */
import { type BenchContext, measureCase, type Scenario } from '../harness/measure.js';
import { processStarters, processStreamTrial } from '../harness/processes.js';
import { pick } from '../harness/report.js';
import { singleService } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import { systems } from '../harness/systems.js';
import {
  byteRate,
  chunkRate,
  compareCost,
  cpuMetrics,
  peakHeap,
  peakRss,
  type StreamMeasure,
} from '../harness/trials.js';

const id = 'reply-stream';

async function run(context: BenchContext): Promise<void> {
  const { settings, report } = context;
  const transports = [
    { transport: 'http', subject: systems.exoRelayExoCom, baseline: systems.minimalBus4 },
    { transport: 'nats', subject: systems.exoRelayNats, baseline: systems.natsCorrelated },
  ] as const;
  const chunks = settings.chunks.toLocaleString('en-US');
  for (const { transport, subject, baseline } of transports) {
    const starters = processStarters(context, [subject, baseline], singleService);
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      const measureStreams = (awaited: boolean, measure: StreamMeasure) =>
        measureCase(context, {
          scenario: id,
          transport,
          case: `${chunks} × 1 KiB${awaited ? ', every progress awaited' : ''}`,
          baseline,
          metrics: measure === 'speed' ? [chunkRate, byteRate, ...cpuMetrics] : [peakHeap, peakRss],
          trials: [...rigs].map(([system, rig]) =>
            processStreamTrial(system, rig, {
              settings,
              chunks: settings.chunks,
              // NATS streams 10 000 chunks in about 0.1 s here: a round reads several, as NATS
              // cases send more messages a round, since a round much shorter than a second is noise.
              streams: transport === 'nats' ? settings.natsScale : 1,
              awaited: awaited && system === subject,
              measure,
            }),
          ),
        });
      for (const awaited of [false, true]) {
        const figures = await measureStreams(awaited, 'speed');
        if (transport !== 'nats') continue;
        const least = awaited ? 0.5 : 0.8;
        report.judgeRatio(
          `${subject} streaming${awaited ? ', every progress awaited,' : ''} ≥ ${least}× the raw correlated stream`,
          pick(figures, subject, chunkRate),
          pick(figures, baseline, chunkRate),
          least,
          compareCost(figures, subject, baseline),
        );
      }
      for (const awaited of [false, true]) await measureStreams(awaited, 'memory');
    });
  }
}

export const replyStream: Scenario = { id, title: '3. Streaming replies', run };
