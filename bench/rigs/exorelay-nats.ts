import { randomBytes } from 'node:crypto';
import { natsTransport } from '@exorelay/nats';
import { type Placement, type Rig, type Topology, wholeTopology } from '../harness/rig.js';
import { startExoRelayRig, type Validation } from './exorelay-rig.js';

export interface NatsRigOptions {
  validation?: Validation;
  /** Subject prefix shared by the rig's processes; a fresh one by default. */
  subjectPrefix?: string;
  /** Which relays run here; the whole topology by default. */
  placement?: Placement;
}

/** ExoRelay over NATS (`@exorelay/nats`, default options) through the run's nats-server. */
export async function startExoRelayOverNats(
  natsUrl: string,
  topology: Topology,
  options: NatsRigOptions = {},
): Promise<Rig> {
  // A prefix of its own keeps this rig's subjects apart from every other rig on the same server.
  const subjectPrefix = options.subjectPrefix ?? `bench${randomBytes(4).toString('hex')}`;
  return startExoRelayRig({
    placement: options.placement ?? wholeTopology(topology),
    validation: options.validation ?? 'no contracts',
    connect: () => ({ transport: natsTransport({ servers: natsUrl, subjectPrefix }) }),
    release: async () => {},
  });
}
