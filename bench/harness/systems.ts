import type { SystemKind } from '../roles/parts.js';

/** The names systems go by in the table, the results file and the targets. */
export const systems = {
  exoRelayExoCom: 'ExoRelay · ExoCom',
  exoRelayExoComSse: 'ExoRelay · ExoCom, SSE delivery',
  exoRelayNats: 'ExoRelay · NATS',
  exoRelayNatsOneProcess: 'ExoRelay · NATS, one process',
  minimalBus2: 'minimal bus, 2 hops',
  minimalBus4: 'minimal bus, 4 hops',
  oneHop: 'node:http + undici, 1 hop',
  natsPublish: 'raw nats publish',
  natsRequest: 'raw nats request()',
  natsCorrelated: 'raw nats correlated',
  moleculer: 'Moleculer 0.14 · NATS (Node 20)',
} as const;

/** Which code runs each system in multi-process mode. */
export const kindOf: Readonly<Record<string, SystemKind>> = {
  [systems.exoRelayExoCom]: 'exorelay-exocom',
  [systems.exoRelayExoComSse]: 'exorelay-exocom-sse',
  [systems.exoRelayNats]: 'exorelay-nats',
  [systems.minimalBus2]: 'minimal-bus',
  [systems.minimalBus4]: 'minimal-bus',
  [systems.oneHop]: 'one-hop',
  [systems.natsPublish]: 'raw-nats-correlated',
  [systems.natsRequest]: 'raw-nats-request',
  [systems.natsCorrelated]: 'raw-nats-correlated',
  [systems.moleculer]: 'moleculer',
};
