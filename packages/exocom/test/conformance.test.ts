import { runRelayConformance } from '@exorelay/conformance';
import { ExoRelay } from 'exorelay';
import { startExoCom } from '../src/index.js';

runRelayConformance({
  name: 'http (ExoCom)',
  async setup() {
    let bus = await startExoCom({ port: 0 });
    const relays: ExoRelay[] = [];
    return {
      async createRelay(serviceName, { setup, relayOptions } = {}) {
        const relay = new ExoRelay({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1', ...relayOptions });
        relays.push(relay);
        setup?.(relay);
        await bus.waitForInstance({ service: serviceName, port: await relay.listen(0) });
        return relay;
      },
      async restartBus() {
        const { port } = bus;
        await bus.close();
        bus = await startExoCom({ port });
      },
      async [Symbol.asyncDispose]() {
        await Promise.all(relays.map((relay) => relay.close()));
        await bus.close();
      },
    };
  },
});
