import { runRelayConformance, startTestBus } from '@exorelay/conformance';
import { ExoRelay } from 'exorelay';
import * as z from 'zod';
import { defineContracts } from '../src/index.js';

// A relay with contracts behaves exactly like an untyped one for the names they do not declare:
// the suite runs with contracts for a name none of its cases uses.
const contracts = defineContracts({ 'inventory.count': { replies: { 'inventory.counted': z.number().int() } } });

runRelayConformance({
  name: 'http with contracts',
  async setup() {
    const bus = await startTestBus();
    const relays: ExoRelay[] = [];
    return {
      async createRelay(serviceName, { setup, relayOptions } = {}) {
        const relay = new ExoRelay({
          serviceName,
          exocomPort: bus.port,
          exocomHost: '127.0.0.1',
          contracts,
          ...relayOptions,
        });
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
