/**
 * Scenario 1 — fire-and-forget throughput, ~100 B JSON events, 1 and 64 concurrent senders.
 *
 * How: each sender hands an event to the system and waits until the system took it (ExoRelay's
 * `stream.sent`: the bus answered, or the NATS server confirmed with a flush) before the next; a
 * round ends when the receiving service got every event. Client, bus (ExoCom or the minimal
 * bus) and service run in this process; nats-server is a separate process.
 * Baselines: over HTTP the minimal bus in its 2-hop form (client → bus → service, the bus answers
 * before it forwards, as ExoCom does) and the 1-hop floor; over NATS a raw publish + flush, and
 * Moleculer's balanced `emit`.
 * What it cannot tell: how a service on another machine fares (loopback has no latency, and
 * all the hops share this process's one thread and the machine's two cores).
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
import { eventTrial, throughput } from '../harness/trials.js';
import { startMoleculer } from '../peers/moleculer.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

const id = 'fire-and-forget';
const concurrencies = [1, 64];

async function run(context: BenchContext): Promise<void> {
  const transports = [
    {
      transport: 'http',
      subject: systems.exoRelayExoCom,
      baseline: systems.minimalBus2,
      starters: [
        [systems.exoRelayExoCom, () => startExoRelayOverExoCom(singleService)],
        [systems.minimalBus2, () => startMinimalFourHopBus(singleService)],
        [systems.oneHop, () => startRawUndiciHttp()],
      ],
    },
    {
      transport: 'nats',
      subject: systems.exoRelayNats,
      baseline: systems.natsPublish,
      starters: [
        [systems.exoRelayNats, () => startExoRelayOverNats(context.natsUrl, singleService)],
        [systems.natsPublish, () => startRawNats(context.natsUrl, singleService, 'correlated')],
        [systems.moleculer, () => startMoleculer(context.natsUrl, singleService)],
      ],
    },
  ] as const;

  for (const { transport, subject, baseline, starters } of transports) {
    await withRigs(context, { scenario: id, transport }, starters, async (rigs) => {
      for (const concurrency of concurrencies) {
        const figures = await measureCase(context, {
          scenario: id,
          transport,
          case: `${concurrency} sender${concurrency === 1 ? '' : 's'}`,
          baseline,
          metrics: [throughput],
          trials: [...rigs].map(([system, rig]) =>
            eventTrial(system, rig, {
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
        );
        if (transport === 'nats') {
          context.report.judgeRatio(
            `${target} ahead of Moleculer`,
            subjectFigure,
            pick(figures, systems.moleculer, throughput),
            1,
          );
        }
      }
    });
  }
}

export const fireAndForget: Scenario = { id, title: '1. Fire-and-forget throughput', run };
