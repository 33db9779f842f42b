import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { connect, ErrorCode, type NatsConnection, NatsError } from 'nats';
import { type NatsServer, startNatsServer } from './nats-server.js';

/** A cluster of real `nats-server`s joined by routes, each on free loopback ports. */
export interface NatsCluster extends AsyncDisposable {
  readonly servers: readonly NatsServer[];
  /**
   * Resolves once every server knows the subscriptions that server `index` had processed
   * before this call. Routes forward subscription interest in order, so a fresh probe
   * subscription made on `index` that every other server can reach proves the earlier ones
   * arrived too.
   */
  propagated(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const cluster = { name: `exorelay-${randomUUID().slice(0, 8)}`, routes: [] as string[] };
  const servers: NatsServer[] = [];
  const probes: NatsConnection[] = [];
  const close = async () => {
    await Promise.allSettled(probes.map((probe) => probe.close()));
    await Promise.allSettled(servers.map((server) => server.close()));
  };
  try {
    const seed = await startNatsServer({ name: 's1', cluster });
    servers.push(seed);
    const routes = [`nats://127.0.0.1:${seed.routePort}`];
    for (let index = 2; index <= size; index += 1) {
      servers.push(await startNatsServer({ name: `s${index}`, cluster: { name: cluster.name, routes } }));
    }
    for (const server of servers) probes.push(await connect({ servers: server.url, name: 'probe' }));
    const propagated = async (index: number) => {
      const home = probes[index]!;
      const subject = `probe.${randomUUID()}`;
      const subscription = home.subscribe(subject, { callback: (_error, msg) => msg.respond() });
      await home.flush();
      try {
        await Promise.all(probes.filter((_, other) => other !== index).map((probe) => reach(probe, subject)));
      } finally {
        subscription.unsubscribe();
      }
    };
    for (let index = 0; index < size; index += 1) await propagated(index);
    return { servers, propagated, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Requests `subject` through `probe` until its server routes it somewhere. */
async function reach(probe: NatsConnection, subject: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    try {
      await probe.request(subject, undefined, { timeout: 2_000 });
      return;
    } catch (error) {
      if (!(error instanceof NatsError && error.code === ErrorCode.NoResponders)) throw error;
      await delay(25);
    }
  }
  throw new Error(`subject ${subject} never became reachable through ${probe.getServer()}: are the routes up?`);
}
