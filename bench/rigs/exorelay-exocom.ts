import { startExoCom } from 'exocom';
import type { Rig, Topology } from '../harness/rig.js';
import { startExoRelayRig, type Validation } from './exorelay-rig.js';

/** ExoRelay over HTTP through an ExoCom bus embedded in this process, both with default options. */
export async function startExoRelayOverExoCom(
  topology: Topology,
  validation: Validation = 'no contracts',
): Promise<Rig> {
  const bus = await startExoCom({ port: 0 });
  return startExoRelayRig({
    topology,
    validation,
    connect: () => ({ exocomPort: bus.port, exocomHost: '127.0.0.1' }),
    async routed(relay, names) {
      await bus.waitForInstance({ service: relay.serviceName, port: relay.port, receives: names });
    },
    release: () => bus.close(),
    busState: () => ({ 'ExoCom reply routes': bus.status().replyRoutes }),
  });
}
