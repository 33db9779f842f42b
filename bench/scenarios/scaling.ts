/**
 * Scenario 5 — scaling: request/reply throughput with 1, 2 and 4 instances of the receiving
 * service, and fire-and-forget fan-out to 1, 4 and 16 receiving services.
 *
 * How: scenario 2's loop at 64 callers against `instances` relays of the echo service (ExoCom
 * balances round robin, NATS by queue group); scenario 1's loop at 64 senders with `receivers`
 * services each getting every event, a round ending when all deliveries arrived. Fan-out rounds
 * keep the deliveries per round constant. Every instance and service runs in this process.
 * Baselines: the same topology on the minimal bus (4 hops for requests, round robin over a fixed
 * list; 2 hops for events, sent to every listener) and on the raw nats client.
 * What it cannot tell: scaling across cores or machines. All instances share one event loop
 * here, so more instances cannot add throughput: the figure shows what routing to more of them
 * costs, and whether that cost stays flat.
 */
import { startMinimalFourHopBus } from '../baselines/minimal-4hop-bus.js';
import { startRawNats } from '../baselines/raw-nats.js';
import { type BenchContext, measureCase, type Scenario } from '../harness/measure.js';
import type { Topology } from '../harness/rig.js';
import { type RigStarters, withRigs } from '../harness/rig-set.js';
import { roundCount } from '../harness/settings.js';
import { systems } from '../harness/systems.js';
import { deliveryRate, eventTrial, requestTrial, throughput } from '../harness/trials.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

const id = 'scaling';
const concurrency = 64;
const instanceCounts = [1, 2, 4];
const receiverCounts = [1, 4, 16];

function starters(context: BenchContext, transport: 'http' | 'nats', topology: Topology, hops: 2 | 4): RigStarters {
  if (transport === 'http') {
    return [
      [systems.exoRelayExoCom, () => startExoRelayOverExoCom(topology)],
      [hops === 2 ? systems.minimalBus2 : systems.minimalBus4, () => startMinimalFourHopBus(topology)],
    ];
  }
  return [
    [systems.exoRelayNats, () => startExoRelayOverNats(context.natsUrl, topology)],
    [
      hops === 2 ? systems.natsPublish : systems.natsCorrelated,
      () => startRawNats(context.natsUrl, topology, 'correlated'),
    ],
  ];
}

async function run(context: BenchContext): Promise<void> {
  const { settings } = context;
  for (const transport of ['http', 'nats'] as const) {
    for (const instances of instanceCounts) {
      const topology = { instances, receivers: 1 };
      await withRigs(context, { scenario: id, transport }, starters(context, transport, topology, 4), async (rigs) => {
        await measureCase(context, {
          scenario: id,
          transport,
          case: `request/reply, ${instances} instance${instances === 1 ? '' : 's'}`,
          baseline: transport === 'http' ? systems.minimalBus4 : systems.natsCorrelated,
          metrics: [throughput],
          trials: [...rigs].map(([system, rig]) =>
            requestTrial(system, rig, { settings, total: roundCount(settings, 'requests', transport), concurrency }),
          ),
        });
      });
    }
    for (const receivers of receiverCounts) {
      const topology = { instances: 1, receivers };
      await withRigs(context, { scenario: id, transport }, starters(context, transport, topology, 2), async (rigs) => {
        await measureCase(context, {
          scenario: id,
          transport,
          case: `fan-out to ${receivers} service${receivers === 1 ? '' : 's'}`,
          baseline: transport === 'http' ? systems.minimalBus2 : systems.natsPublish,
          metrics: [deliveryRate, throughput],
          trials: [...rigs].map(([system, rig]) =>
            eventTrial(system, rig, {
              settings,
              total: Math.max(1, Math.round(roundCount(settings, 'events', transport) / receivers)),
              concurrency,
              receivers,
            }),
          ),
        });
      });
    }
  }
}

export const scaling: Scenario = { id, title: '5. Scaling', run };
