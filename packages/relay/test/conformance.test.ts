import { runRelayConformance, startTestBus } from '@exorelay/conformance';
import { ExoRelay } from 'exorelay';

runRelayConformance({
  name: 'http (test bus)',
  async setup() {
    const bus = await startTestBus();
    const relays: ExoRelay[] = [];
    return {
      async createRelay(serviceName, { setup, relayOptions } = {}) {
        const relay = new ExoRelay({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1', ...relayOptions });
        relays.push(relay);
        setup?.(relay);
        await relay.listen(0);
        await bus.waitForService(serviceName);
        return relay;
      },
      restartBus: () => bus.restart(),
      async [Symbol.asyncDispose]() {
        await Promise.all(relays.map((relay) => relay.close()));
        await bus.close();
      },
    };
  },
});
