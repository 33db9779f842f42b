/**
 * The systems the multi-process mode can run, and how each starts one role: the bus (ExoCom,
 * the minimal bus; the NATS systems use the run's nats-server), the client, one echo instance
 * or one listener service. The rigs are the same code as in one-process mode, placed. Each
 * is imported when its role starts, so a process loads only its own system (a loaded machine
 * starts dozens of these processes).
 */
import type { BusRoutes } from '../baselines/minimal-4hop-bus.js';
import type { Placement, Rig, Wiring } from '../harness/rig.js';

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

/** Whether the system's messages go through the run's nats-server. */
export function usesNatsServer(kind: SystemKind): boolean {
  return (
    kind === 'exorelay-nats' || kind === 'raw-nats-correlated' || kind === 'raw-nats-request' || kind === 'moleculer'
  );
}

export async function startBusPart(kind: SystemKind): Promise<BusPart> {
  if (kind === 'minimal-bus') return (await import('../baselines/minimal-4hop-bus.js')).startMinimalBus();
  if (kind === 'exorelay-exocom' || kind === 'exorelay-exocom-sse') {
    const { startExoCom } = await import('exocom');
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
export async function startPart(kind: SystemKind, placement: Placement, wiring: Wiring): Promise<Rig> {
  const { topology, natsUrl, namespace, busPort } = wiring;
  switch (kind) {
    case 'exorelay-exocom': {
      const { startExoRelayOverExoCom } = await import('../rigs/exorelay-exocom.js');
      return startExoRelayOverExoCom(topology, { placement, ...(busPort === undefined ? {} : { busPort }) });
    }
    case 'exorelay-exocom-sse': {
      const { startExoRelayOverExoCom } = await import('../rigs/exorelay-exocom.js');
      return startExoRelayOverExoCom(topology, {
        placement,
        delivery: 'sse',
        ...(busPort === undefined ? {} : { busPort }),
      });
    }
    case 'exorelay-nats': {
      const { startExoRelayOverNats } = await import('../rigs/exorelay-nats.js');
      return startExoRelayOverNats(natsUrl, topology, { placement, subjectPrefix: namespace });
    }
    case 'minimal-bus': {
      const { startMinimalBusParts } = await import('../baselines/minimal-4hop-bus.js');
      return startMinimalBusParts(busPort ?? 0, placement);
    }
    case 'one-hop': {
      const { startRawUndiciHttp } = await import('../baselines/raw-undici-http.js');
      return startRawUndiciHttp(placement, wiring.servicePorts?.[0]);
    }
    case 'raw-nats-correlated':
    case 'raw-nats-request': {
      const { startRawNats } = await import('../baselines/raw-nats.js');
      const flavour = kind === 'raw-nats-request' ? 'request()' : 'correlated';
      return startRawNats(natsUrl, topology, flavour, { placement, prefix: namespace });
    }
    case 'moleculer': {
      const { startMoleculer } = await import('../peers/moleculer.js');
      return startMoleculer(natsUrl, topology, { placement, namespace });
    }
  }
}
