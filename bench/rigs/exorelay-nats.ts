import { randomBytes } from 'node:crypto';
import { natsTransport } from '@exorelay/nats';
import type { Rig, Topology } from '../harness/rig.js';
import { startExoRelayRig, type Validation } from './exorelay-rig.js';

/** ExoRelay over NATS (`@exorelay/nats`, default options) through the run's nats-server. */
export async function startExoRelayOverNats(
  natsUrl: string,
  topology: Topology,
  validation: Validation = 'no contracts',
): Promise<Rig> {
  // A prefix of its own keeps this rig's subjects apart from every other rig on the same server.
  const subjectPrefix = `bench${randomBytes(4).toString('hex')}`;
  return startExoRelayRig({
    topology,
    validation,
    connect: () => ({ transport: natsTransport({ servers: natsUrl, subjectPrefix }) }),
    // listen() resolves once the subscriptions reached the server (a flush): routed already.
    routed: async () => {},
    release: async () => {},
  });
}
