import { startExoCom } from 'exocom';
import { type Placement, type Rig, type Topology, wholeTopology } from '../harness/rig.js';
import { startExoRelayRig, type Validation } from './exorelay-rig.js';

export interface ExoComRigOptions {
  validation?: Validation;
  /** How the bus delivers to the relays: HTTP requests to each relay's server (default), or an SSE stream each relay opens. */
  delivery?: 'http' | 'sse';
  /** The port of an ExoCom in another process; without it the rig embeds its own bus. */
  busPort?: number;
  /** Which relays run here; the whole topology by default. */
  placement?: Placement;
}

/** ExoRelay over HTTP through an ExoCom bus (embedded in this process, or in one of its own), default options otherwise. */
export async function startExoRelayOverExoCom(topology: Topology, options: ExoComRigOptions = {}): Promise<Rig> {
  const bus = options.busPort === undefined ? await startExoCom({ port: 0 }) : undefined;
  const exocomPort = options.busPort ?? bus?.port ?? 0;
  return startExoRelayRig({
    placement: options.placement ?? wholeTopology(topology),
    validation: options.validation ?? 'no contracts',
    connect: () => ({
      exocomPort,
      exocomHost: '127.0.0.1',
      ...(options.delivery ? { delivery: options.delivery } : {}),
    }),
    release: async () => {
      await bus?.close();
    },
    ...(bus === undefined ? {} : { busState: () => ({ 'ExoCom reply routes': bus.status().replyRoutes }) }),
  });
}
