/**
 * Scenario 2 — request/reply: throughput at 1, 16 and 256 concurrent callers, and latency
 * p50/p99 at 1 caller.
 *
 * How: each caller sends a ~100 B JSON request to the echo service and awaits the reply (checked
 * against the request) before the next. Client, bus and service run in this process;
 * nats-server is a separate process. Latency is per request, `performance.now()` around it.
 * Baselines: over HTTP the minimal 4-hop bus (client → bus → service → bus → client) and the
 * 1-hop floor; over NATS the raw client's hand-rolled correlation (the floor), its `request()`,
 * and Moleculer's `call`.
 * What it cannot tell: latency across a real network (loopback adds next to nothing), or
 * throughput with client and service on separate cores or machines.
 */
import { startMinimalFourHopBus } from '../baselines/minimal-4hop-bus.js';
import { startRawNats } from '../baselines/raw-nats.js';
import { startRawUndiciHttp } from '../baselines/raw-undici-http.js';
import { type BenchContext, measureCase, type Scenario } from '../harness/measure.js';
import { pick } from '../harness/report.js';
import { singleService } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import { roundCount } from '../harness/settings.js';
import { systems } from '../harness/systems.js';
import { latencyP50, latencyP99, requestTrial, throughput } from '../harness/trials.js';
import { startMoleculer } from '../peers/moleculer.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

const id = 'request-reply';
const concurrencies = [1, 16, 256];

async function run(context: BenchContext): Promise<void> {
  const { settings, report } = context;
  const transports = [
    {
      transport: 'http',
      subject: systems.exoRelayExoCom,
      baseline: systems.minimalBus4,
      starters: [
        [systems.exoRelayExoCom, () => startExoRelayOverExoCom(singleService)],
        [systems.minimalBus4, () => startMinimalFourHopBus(singleService)],
        [systems.oneHop, () => startRawUndiciHttp()],
      ],
    },
    {
      transport: 'nats',
      subject: systems.exoRelayNats,
      baseline: systems.natsCorrelated,
      starters: [
        [systems.exoRelayNats, () => startExoRelayOverNats(context.natsUrl, singleService)],
        [systems.natsCorrelated, () => startRawNats(context.natsUrl, singleService, 'correlated')],
        [systems.natsRequest, () => startRawNats(context.natsUrl, singleService, 'request()')],
        [systems.moleculer, () => startMoleculer(context.natsUrl, singleService)],
      ],
    },
  ] as const;

  for (const { transport, subject, baseline, starters } of transports) {
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      for (const concurrency of concurrencies) {
        const sequential = concurrency === 1;
        const metrics = sequential ? [throughput, latencyP50, latencyP99] : [throughput];
        const figures = await measureCase(context, {
          scenario: id,
          transport,
          case: `${concurrency} caller${sequential ? '' : 's'}`,
          baseline,
          metrics,
          trials: [...rigs].map(([system, rig]) =>
            requestTrial(system, rig, {
              settings,
              total: roundCount(settings, sequential ? 'sequentialRequests' : 'requests', transport),
              concurrency,
              latencies: sequential,
            }),
          ),
        });
        const target = `${subject} request/reply, ${concurrency} caller(s),`;
        const floor = transport === 'http' ? 'the minimal 4-hop bus' : 'raw nats correlated (the floor)';
        report.judgeRatio(
          `${target} ≥ 0.8× ${floor}`,
          pick(figures, subject, throughput),
          pick(figures, baseline, throughput),
          0.8,
        );
        if (transport !== 'nats') continue;
        report.judgeRatio(
          `${target} ≥ 0.8× raw nats request()`,
          pick(figures, subject, throughput),
          pick(figures, systems.natsRequest, throughput),
          0.8,
        );
        for (const metric of metrics) {
          report.judgeRatio(
            `${target} ${metric.name} ahead of Moleculer`,
            pick(figures, subject, metric),
            pick(figures, systems.moleculer, metric),
            1,
          );
        }
      }
    });
  }
}

export const requestReply: Scenario = { id, title: '2. Request/reply', run };
