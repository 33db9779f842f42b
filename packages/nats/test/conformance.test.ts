import { runRelayConformance } from '@exorelay/conformance';
import type { ExoRelay } from 'exorelay';
import { startNatsCluster } from './support/nats-cluster.js';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

runRelayConformance({
  name: 'nats (one server)',
  async setup() {
    const server = await startNatsServer();
    const relays: AsyncDisposable[] = [];
    return {
      async createRelay(serviceName, options) {
        const relay = await startNatsRelay(server.url, serviceName, options);
        relays.push(relay);
        return relay;
      },
      restartBus: () => server.restart(),
      async [Symbol.asyncDispose]() {
        await Promise.all(relays.map((relay) => relay[Symbol.asyncDispose]()));
        await server.close();
      },
    };
  },
});

runRelayConformance({
  name: 'nats (3-server cluster, relays spread over the servers)',
  async setup() {
    const cluster = await startNatsCluster(3);
    const relays: AsyncDisposable[] = [];
    const homes = new Map<ExoRelay, number>();
    return {
      async createRelay(serviceName, options) {
        const home = relays.length % cluster.servers.length;
        const relay = await startNatsRelay(cluster.servers[home]!.url, serviceName, options);
        relays.push(relay);
        homes.set(relay, home);
        await cluster.propagated(home);
        return relay;
      },
      // A route passes a server's interest changes in order: once the others see a later one, they saw the relay's.
      routesSettled: (relay) => cluster.propagated(homes.get(relay) ?? 0),
      // The server the first relays are connected to crashes and comes back; they move to another meanwhile.
      restartBus: () => cluster.servers[0]!.restart(),
      async [Symbol.asyncDispose]() {
        await Promise.all(relays.map((relay) => relay[Symbol.asyncDispose]()));
        await cluster.close();
      },
    };
  },
});
