/**
 * The systems the multi-process mode can run, and how each starts one role: the bus (ExoCom,
 * the minimal bus; the NATS systems use the run's nats-server), the client, one echo instance
 * or one listener service. The rigs are the same code as in one-process mode, placed.
 */
import { startExoCom } from 'exocom';
import { type BusRoutes, startMinimalBus, startMinimalBusParts } from '../baselines/minimal-4hop-bus.js';
import { startRawNats } from '../baselines/raw-nats.js';
import { startRawUndiciHttp } from '../baselines/raw-undici-http.js';
import type { Placement, Rig, Wiring } from '../harness/rig.js';
import { startMoleculer } from '../peers/moleculer.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

export const systemKinds = [
  'exorelay-exocom',
  'exorelay-exocom-sse',
  'exorelay-nats',
  'minimal-bus',
  'one-hop',
  'raw-nats-correlated',
  'raw-nats-request',
  'moleculer',
] as const;
export type SystemKind = (typeof systemKinds)[number];

export type Role = { role: 'bus' } | { role: 'client' } | { role: 'echo' } | { role: 'listener'; listener: number };

/** A bus in a process of its own. */
export interface BusPart extends AsyncDisposable {
  readonly port: number;
  /** Tells the bus where services and client listen (the minimal bus has no registration). */
  route?(routes: BusRoutes): void;
}

export function hasBusProcess(kind: SystemKind): boolean {
  return kind === 'exorelay-exocom' || kind === 'exorelay-exocom-sse' || kind === 'minimal-bus';
}

export async function startBusPart(kind: SystemKind): Promise<BusPart> {
  if (kind === 'minimal-bus') return startMinimalBus();
  if (kind === 'exorelay-exocom' || kind === 'exorelay-exocom-sse') {
    const bus = await startExoCom({ port: 0 });
    return { port: bus.port, [Symbol.asyncDispose]: () => bus.close() };
  }
  throw new Error(`${kind} has no bus process`);
}

export function placementOf(role: Role): Placement {
  switch (role.role) {
    case 'client':
      return { client: true, echoInstances: 0, listeners: [] };
    case 'echo':
      return { client: false, echoInstances: 1, listeners: [] };
    case 'listener':
      return { client: false, echoInstances: 0, listeners: [role.listener] };
    case 'bus':
      throw new Error('the bus is not a placed part');
  }
}

/** Starts the part of `kind` that `placement` names, wired to the rig's other processes. */
export function startPart(kind: SystemKind, placement: Placement, wiring: Wiring): Promise<Rig> {
  const { topology, natsUrl, namespace, busPort } = wiring;
  switch (kind) {
    case 'exorelay-exocom':
      return startExoRelayOverExoCom(topology, { placement, ...(busPort === undefined ? {} : { busPort }) });
    case 'exorelay-exocom-sse':
      return startExoRelayOverExoCom(topology, {
        placement,
        delivery: 'sse',
        ...(busPort === undefined ? {} : { busPort }),
      });
    case 'exorelay-nats':
      return startExoRelayOverNats(natsUrl, topology, { placement, subjectPrefix: namespace });
    case 'minimal-bus':
      return startMinimalBusParts(busPort ?? 0, placement);
    case 'one-hop':
      return startRawUndiciHttp(placement, wiring.servicePorts?.[0]);
    case 'raw-nats-correlated':
      return startRawNats(natsUrl, topology, 'correlated', { placement, prefix: namespace });
    case 'raw-nats-request':
      return startRawNats(natsUrl, topology, 'request()', { placement, prefix: namespace });
    case 'moleculer':
      return startMoleculer(natsUrl, topology, { placement, namespace });
  }
}
