import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pEvent } from 'p-event';

/** A real `nats-server` process on a free loopback port; killed on dispose. */
export interface NatsServer extends AsyncDisposable {
  readonly name: string;
  readonly port: number;
  /** `nats://127.0.0.1:PORT`. */
  readonly url: string;
  /** The route port, for servers started with `cluster`. */
  readonly routePort: number | undefined;
  /** Kills the server (SIGKILL: the clients see the connection drop, as in a crash). */
  stop(): Promise<void>;
  /** Starts the server again on the same ports, with the same JetStream store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface NatsServerOptions {
  /** Shown in logs and cluster info. */
  name?: string;
  /** Client port; 0 picks a free one. */
  port?: number;
  /** Enable JetStream with a fresh store directory (removed on dispose). */
  jetstream?: boolean;
  /** Join a cluster: `routes` are the route URLs of servers started before. */
  cluster?: { name: string; routes: string[] };
  /** A configuration file (`-c`): authorization, say. The options above win over what it says. */
  configFile?: string;
  /** The executable to run. @default the one the test set-up found (`EXORELAY_NATS_SERVER`), else 'nats-server' */
  binary?: string;
}

const startTimeout = 10_000;

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const name = options.name ?? 'exorelay-test';
  const storeDir = options.jetstream ? await mkdtemp(join(tmpdir(), 'exorelay-nats-js-')) : undefined;
  let ports = await spawnServer(options, { client: options.port ?? 0, route: 0 }, name, storeDir);
  const server: NatsServer = {
    name,
    get port() {
      return ports.client;
    },
    get url() {
      return `nats://127.0.0.1:${ports.client}`;
    },
    get routePort() {
      return ports.route;
    },
    async stop() {
      await ports.stop();
    },
    async restart() {
      await ports.stop();
      ports = await spawnServer(options, { client: ports.client, route: ports.route ?? 0 }, name, storeDir);
    },
    async close() {
      await ports.stop();
      if (storeDir !== undefined) await rm(storeDir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]: () => server.close(),
  };
  return server;
}

interface RunningServer {
  client: number;
  route: number | undefined;
  stop(): Promise<void>;
}

async function spawnServer(
  options: NatsServerOptions,
  wanted: { client: number; route: number },
  name: string,
  storeDir: string | undefined,
): Promise<RunningServer> {
  const binary = options.binary ?? process.env.EXORELAY_NATS_SERVER ?? 'nats-server';
  const args = ['-a', '127.0.0.1', '-p', wanted.client === 0 ? '-1' : String(wanted.client), '-n', name];
  if (options.configFile !== undefined) args.push('-c', options.configFile);
  if (storeDir !== undefined) args.push('-js', '-sd', storeDir);
  if (options.cluster !== undefined) {
    const routePort = wanted.route === 0 ? '-1' : String(wanted.route);
    args.push('--cluster', `nats://127.0.0.1:${routePort}`, '--cluster_name', options.cluster.name);
    if (options.cluster.routes.length > 0) args.push('--routes', options.cluster.routes.join(','));
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = pEvent(child, 'exit', { rejectionEvents: [] }).then(() => undefined);
  try {
    const ports = await readPorts(child, binary, options.cluster !== undefined);
    await waitUntilAccepting(ports.client);
    return { ...ports, stop: () => kill(child, exited) };
  } catch (error) {
    await kill(child, exited);
    throw error;
  }
}

/** Reads the bound ports from the server's log; fails with the log if the server exits first. */
async function readPorts(
  child: ChildProcess,
  binary: string,
  clustered: boolean,
): Promise<{ client: number; route: number | undefined }> {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${binary} did not get ready in ${startTimeout} ms:\n${log}`)),
      startTimeout,
    );
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      outcome();
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          error.code === 'ENOENT'
            ? new Error(
                `the NATS tests need a real nats-server, but '${binary}' is not on PATH: install it (Debian: apt-get install nats-server); \`pnpm test\` does this as root`,
                { cause: error },
              )
            : error,
        ),
      ),
    );
    child.once('exit', (code) =>
      settle(() => reject(new Error(`${binary} exited with ${code} before it was ready:\n${log}`))),
    );
    const onLog = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const client = /Listening for client connections on [\d.]+:(\d+)/.exec(log)?.[1];
      const route = /Listening for route connections on [\d.]+:(\d+)/.exec(log)?.[1];
      if (client === undefined || !log.includes('Server is ready') || (clustered && route === undefined)) return;
      child.stdout?.off('data', onLog);
      child.stderr?.off('data', onLog);
      // Keep draining the pipes so the server never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
      settle(() => resolve({ client: Number(client), route: route === undefined ? undefined : Number(route) }));
    };
    child.stdout?.on('data', onLog);
    child.stderr?.on('data', onLog);
  });
}

async function waitUntilAccepting(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connectTcp({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    await delay(50);
  }
  throw new Error(`nats-server on port ${port} does not accept connections`);
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return; // never started: no exit to wait for
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
}
