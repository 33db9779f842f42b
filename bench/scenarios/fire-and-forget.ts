/**
 * Scenario 1 — fire-and-forget throughput, ~100 B JSON events, 1 and 64 concurrent senders.
 *
 * How: each sender hands an event to the system and waits until the system took it (ExoRelay's
 * `stream.sent`: the bus answered, or the NATS server confirmed with a flush) before the next; a
 * round ends when the receiving service reported every event. Client, bus (ExoCom or the
 * minimal bus) and service each run in a process of their own; nats-server is a separate process.
 * CPU per message is the CPU time all the system's processes (nats-server's too, on Linux) used
 * in the round, per event.
 * Baselines: over HTTP the minimal bus in its 2-hop form (client → bus → service, the bus answers
 * before it forwards, as ExoCom does) and the 1-hop floor; ExoRelay also runs with
 * `delivery: 'sse'` (the bus writes each event to the stream the service's relay opened, instead
 * of POSTing it), reported beside the target, which is push delivery's; over NATS the raw client's
 * `publish()` at full speed (no flush per message: the client buffers and writes as it likes; one
 * flush ends the window), and Moleculer's balanced `emit`.
 * What it cannot tell: how a service on another machine fares (loopback has no latency, and
 * all the processes share the machine's cores).
 */
import { type BenchContext, measureCase, type Scenario } from '../harness/measure.js';
import { processEventTrial, processStarters } from '../harness/processes.js';
import { pick } from '../harness/report.js';
import { singleService } from '../harness/rig.js';
import { withRigs } from '../harness/rig-set.js';
import { roundCount } from '../harness/settings.js';
import { systems } from '../harness/systems.js';
import { compareCost, cpuMetrics, throughput } from '../harness/trials.js';

const id = 'fire-and-forget';
const concurrencies = [1, 64];

async function run(context: BenchContext): Promise<void> {
  const transports = [
    {
      transport: 'http',
      subject: systems.exoRelayExoCom,
      baseline: systems.minimalBus2,
      systems: [systems.exoRelayExoCom, systems.exoRelayExoComSse, systems.minimalBus2, systems.oneHop],
    },
    {
      transport: 'nats',
      subject: systems.exoRelayNats,
      baseline: systems.natsPublish,
      systems: [systems.exoRelayNats, systems.natsPublish, systems.moleculer],
    },
  ] as const;

  for (const { transport, subject, baseline, systems: names } of transports) {
    const starters = processStarters(context, names, singleService);
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      for (const concurrency of concurrencies) {
        const figures = await measureCase(context, {
          scenario: id,
          transport,
          case: `${concurrency} sender${concurrency === 1 ? '' : 's'}`,
          baseline,
          metrics: [throughput, ...cpuMetrics],
          trials: [...rigs].map(([system, rig]) =>
            processEventTrial(system, rig, {
              settings: context.settings,
              total: roundCount(context.settings, 'events', transport),
              concurrency,
              receivers: 1,
            }),
          ),
        });
        const reference = transport === 'http' ? 'its 2-hop equivalent' : 'raw nats publish';
        const target = `${subject} fire-and-forget, ${concurrency} sender(s),`;
        const subjectFigure = pick(figures, subject, throughput);
        context.report.judgeRatio(
          `${target} ≥ 0.8× ${reference}`,
          subjectFigure,
          pick(figures, baseline, throughput),
          0.8,
          compareCost(figures, subject, baseline),
        );
        if (transport === 'nats') {
          context.report.judgeRatio(
            `${target} ahead of Moleculer`,
            subjectFigure,
            pick(figures, systems.moleculer, throughput),
            1,
            compareCost(figures, subject, systems.moleculer),
          );
        }
      }
    });
  }
}

export const fireAndForget: Scenario = { id, title: '1. Fire-and-forget throughput', run };
