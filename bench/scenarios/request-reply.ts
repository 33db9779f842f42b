/**
 * Scenario 2 — request/reply: throughput at 1, 16 and 256 concurrent callers, and latency
 * p50/p99 at 1 caller.
 *
 * How: each caller sends a ~100 B JSON request to the echo service and awaits the reply (checked
 * against the request) before the next. Client, bus and service each run in a process of their
 * own (`harness/processes.ts`); nats-server is a separate process too. The client process
 * times the round; latency is per request, `performance.now()` around it. CPU per message is
 * the CPU time all the system's processes (nats-server's too, on Linux) used in the round, per
 * request.
 * Baselines: over HTTP the minimal 4-hop bus (client → bus → service → bus → client) and the
 * 1-hop floor; ExoRelay also runs with `delivery: 'sse'` (the bus writes to an SSE stream each
 * relay opened). Over NATS the raw client's hand-rolled correlation (the floor), its
 * `request()`, and Moleculer's `call`.
 * What it cannot tell: latency across a real network (loopback adds next to nothing), or
 * throughput when the processes do not share two cores.
 */
import { type BenchContext, measureCase, type Scenario } from '../harness/measure.js';
import { processRequestTrial, processStarters } from '../harness/processes.js';
import { pick } from '../harness/report.js';
import { singleService } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import { roundCount } from '../harness/settings.js';
import { systems } from '../harness/systems.js';
import { compareCost, cpuMetrics, latencyP50, latencyP99, throughput } from '../harness/trials.js';

const id = 'request-reply';
const concurrencies = [1, 16, 256];

async function run(context: BenchContext): Promise<void> {
  const { settings, report } = context;
  const transports = [
    {
      transport: 'http',
      subject: systems.exoRelayExoCom,
      baseline: systems.minimalBus4,
      systems: [systems.exoRelayExoCom, systems.exoRelayExoComSse, systems.minimalBus4, systems.oneHop],
    },
    {
      transport: 'nats',
      subject: systems.exoRelayNats,
      baseline: systems.natsCorrelated,
      systems: [systems.exoRelayNats, systems.natsCorrelated, systems.natsRequest, systems.moleculer],
    },
  ] as const;

  for (const { transport, subject, baseline, systems: names } of transports) {
    const starters = processStarters(context, names, singleService);
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      for (const concurrency of concurrencies) {
        const sequential = concurrency === 1;
        // The targets judge speed; CPU per message is reported beside it, to explain it.
        const judged = sequential ? [throughput, latencyP50, latencyP99] : [throughput];
        const metrics = [...judged, ...cpuMetrics];
        const figures = await measureCase(context, {
          scenario: id,
          transport,
          case: `${concurrency} caller${sequential ? '' : 's'}`,
          baseline,
          metrics,
          trials: [...rigs].map(([system, rig]) =>
            processRequestTrial(system, rig, {
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
          compareCost(figures, subject, baseline),
        );
        if (transport === 'http') {
          report.judgeRatio(
            `${systems.exoRelayExoComSse} request/reply, ${concurrency} caller(s), ≥ 1.0× the minimal 4-hop bus`,
            pick(figures, systems.exoRelayExoComSse, throughput),
            pick(figures, baseline, throughput),
            1,
            compareCost(figures, systems.exoRelayExoComSse, baseline),
          );
          continue;
        }
        report.judgeRatio(
          `${target} ≥ 0.8× raw nats request()`,
          pick(figures, subject, throughput),
          pick(figures, systems.natsRequest, throughput),
          0.8,
          compareCost(figures, subject, systems.natsRequest),
        );
        for (const metric of judged) {
          report.judgeRatio(
            `${target} ${metric.name} ahead of Moleculer`,
            pick(figures, subject, metric),
            pick(figures, systems.moleculer, metric),
            1,
            compareCost(figures, subject, systems.moleculer),
          );
        }
      }
    });
  }
}

export const requestReply: Scenario = { id, title: '2. Request/reply', run };
