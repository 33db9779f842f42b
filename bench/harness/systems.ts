/** The names systems go by in the table, the results file and the targets. */
export const systems = {
  exoRelayExoCom: 'ExoRelay · ExoCom',
  exoRelayNats: 'ExoRelay · NATS',
  minimalBus2: 'minimal bus, 2 hops',
  minimalBus4: 'minimal bus, 4 hops',
  oneHop: 'node:http + undici, 1 hop',
  natsPublish: 'raw nats publish',
  natsRequest: 'raw nats request()',
  natsCorrelated: 'raw nats correlated',
  moleculer: 'Moleculer 0.14 · NATS',
} as const;
