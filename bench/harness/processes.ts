/**
 * Multi-process mode: every role of a rig — the bus, each service instance, each listener
 * service, the client — runs in a Node.js process of its own (`roles/role.ts`), as a deployment
 * runs them; they talk over real sockets on 127.0.0.1 (and nats-server). This process only
 * orchestrates: it asks the client process for rounds of work and sums the deliveries the
 * service processes report. Every child is killed when its rig is disposed, and when this
 * process exits, whatever happened.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { hasBusProcess, type Role, type SystemKind, usesNatsServer } from '../roles/parts.js';
import type { Command, Message, Started, Work } from '../roles/protocol.js';
import type { BenchContext, Sample, Trial } from './measure.js';
import type { Topology, Wiring } from './rig.js';
import type { RigStarters } from './rig-set.js';
import type { Settings } from './settings.js';
import { kindOf, moleculerNode } from './systems.js';
import { type CpuPart, type CpuTimes, countFor, cpuSample, eventRates, type StreamMeasure } from './trials.js';

const roleScript = fileURLToPath(new URL('../roles/role.js', import.meta.url));
/** How long a role may take to start, and to close before it is killed. */
const startTimeoutMs = 30_000;
const closeTimeoutMs = 5_000;
/**
 * `BENCH_CPU_PROF=dir`: every role process writes a V8 CPU profile into `dir` when it exits
 * (`--cpu-prof`), so the bus and the services can be profiled as they run in the bench.
 */
const cpuProfileDir = process.env.BENCH_CPU_PROF;
/**
 * `BENCH_PERF=dir`: every role process writes a perf map (`/tmp/perf-PID.map`), so that
 * `perf record -a -g` names its JavaScript frames; V8's log, which the maps need, goes to `dir`.
 */
const perfLogDir = process.env.BENCH_PERF;
const roleExecArgv = [
  '--expose-gc',
  ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
  ...(perfLogDir ? ['--perf-basic-prof', `--logfile=${perfLogDir}/v8-%p.log`, '--no-logfile-per-isolate'] : []),
];

const everyChild = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of everyChild) child.kill('SIGKILL');
});

/** One role process and its IPC conversation. */
class RoleProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #answers = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 0;
  /** Deliveries this process reported so far. */
  delivered = 0;
  onDelivered: (() => void) | undefined;

  constructor(
    readonly label: string,
    execPath: string,
  ) {
    this.#child = fork(roleScript, [], {
      execPath,
      execArgv: roleExecArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    everyChild.add(this.#child);
    this.#exited = once(this.#child, 'exit');
    this.#child.on('message', (message: Message) => this.#receive(message));
    this.#child.once('exit', (code, signal) => {
      everyChild.delete(this.#child);
      const error = new Error(`${label} exited (${signal ?? code}) with work outstanding`);
      for (const answer of this.#answers.values()) answer.reject(error);
      this.#answers.clear();
    });
  }

  #receive(message: Message): void {
    if (message.type === 'delivered') {
      this.delivered = message.count;
      this.onDelivered?.();
      return;
    }
    const answer = this.#answers.get(message.id);
    this.#answers.delete(message.id);
    if (message.type === 'answer') answer?.resolve(message.value);
    else answer?.reject(new Error(`${this.label}: ${message.error}`));
  }

  ask<T>(command: Command): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#answers.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ ...command, id });
    });
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const closed = this.ask({ command: 'close' }).catch(() => {});
    const timer = new AbortController();
    const late = delay(closeTimeoutMs, undefined, { signal: timer.signal }).catch(() => {});
    await Promise.race([Promise.all([closed, this.#exited]), late]);
    timer.abort();
    // Closed by now, or late: either way it goes.
    this.#child.kill('SIGKILL');
    await this.#exited;
  }
}

async function startRole(label: string, start: Omit<Extract<Command, { command: 'start' }>, 'command'>) {
  // Moleculer 0.15 needs Node 22: its processes run on the Node `moleculerNode` found.
  const role = new RoleProcess(label, start.kind === 'moleculer' ? moleculerNode.execPath : process.execPath);
  const timer = new AbortController();
  const late = delay(startTimeoutMs, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`${label} did not start in ${startTimeoutMs} ms`);
  });
  late.catch(() => {});
  try {
    const started = await Promise.race([role.ask<Started>({ command: 'start', ...start }), late]);
    // A profile's file name, and a perf sample, carry only the pid: say whose it is.
    if (cpuProfileDir || perfLogDir) process.stderr.write(`role ${label}: pid ${started.pid}\n`);
    return { role, started };
  } catch (error) {
    await role.close();
    throw error;
  } finally {
    timer.abort();
  }
}

/** The run's nats-server, as the process rigs use it: where it listens, what CPU it used. */
export type NatsServerOfRun = Pick<BenchContext, 'natsUrl' | 'natsCpuTime'>;

/** A rig whose roles run in processes of their own; the client process does the rounds. */
export interface ProcessRig extends AsyncDisposable {
  /** Service processes and the bus process, besides the client. */
  readonly processes: number;
  run(work: Work): Promise<Sample>;
  /** CPU time the rig's processes used so far, per part (nats-server's for a NATS system), in µs. */
  cpuTimes(): Promise<CpuTimes>;
  /** Deliveries every service process reported so far. */
  delivered(): number;
  /** Resolves once the service processes reported `total` deliveries in all. */
  reachDeliveries(total: number): Promise<void>;
}

/**
 * Starts the bus (if the system has one), one process per echo instance and per listener
 * service, then the client; tells the bus where they listen. Any failure kills what started.
 */
export async function startProcessRig(
  system: string,
  kind: SystemKind,
  topology: Topology,
  nats: NatsServerOfRun,
): Promise<ProcessRig> {
  const roles: RoleProcess[] = [];
  const partOf = new Map<RoleProcess, CpuPart>();
  const services: RoleProcess[] = [];
  const wiring: Wiring = { topology, natsUrl: nats.natsUrl, namespace: `bench${randomBytes(4).toString('hex')}` };
  const start = async (role: Role, label: string) => {
    const started = await startRole(`${system} ${label}`, { system, kind, role, wiring: { ...wiring } });
    roles.push(started.role);
    partOf.set(started.role, role.role === 'bus' || role.role === 'client' ? role.role : 'services');
    return started;
  };
  try {
    const bus = hasBusProcess(kind) ? await start({ role: 'bus' }, 'bus') : undefined;
    if (bus !== undefined) wiring.busPort = bus.started.ports[0] as number;
    const echo = await Promise.all(
      Array.from({ length: topology.instances }, (_, index) => start({ role: 'echo' }, `echo ${index + 1}`)),
    );
    const listeners = await Promise.all(
      Array.from({ length: topology.receivers - 1 }, (_, index) =>
        start({ role: 'listener', listener: index + 1 }, `listener ${index + 1}`),
      ),
    );
    services.push(...[...echo, ...listeners].map((each) => each.role));
    wiring.servicePorts = echo.flatMap((each) => each.started.ports);
    const client = await start({ role: 'client' }, 'client');
    await bus?.role.ask({
      command: 'route',
      routes: {
        echo: wiring.servicePorts,
        listeners: listeners.flatMap((each) => each.started.ports),
        client: client.started.ports[0] ?? 0,
      },
    });
    const delivered = () => services.reduce((sum, service) => sum + service.delivered, 0);
    return {
      processes: roles.length - 1,
      run: (work) => client.role.ask<Sample>({ command: 'run', work }),
      async cpuTimes() {
        const times = await Promise.all(
          [...partOf].map(async ([role, part]) => ({ part, ...(await role.ask<{ cpu: number }>({ command: 'cpu' })) })),
        );
        const parts: CpuTimes = usesNatsServer(kind) ? { 'nats-server': nats.natsCpuTime() ?? 0 } : {};
        for (const { part, cpu } of times) parts[part] = (parts[part] ?? 0) + cpu;
        return parts;
      },
      delivered,
      reachDeliveries(total) {
        return new Promise<void>((resolve) => {
          const check = () => {
            if (delivered() < total) return;
            for (const service of services) service.onDelivered = undefined;
            resolve();
          };
          for (const service of services) service.onDelivered = check;
          check();
        });
      },
      async [Symbol.asyncDispose]() {
        await Promise.all(roles.map((role) => role.close()));
      },
    };
  } catch (error) {
    await Promise.all(roles.map((role) => role.close()));
    throw error;
  }
}

/** Request/reply over a process rig: the client process runs the callers and measures. */
export function processRequestTrial(
  system: string,
  rig: ProcessRig,
  options: { settings: Settings; total: number; concurrency: number; latencies?: boolean },
): Trial {
  return {
    system,
    async run(phase): Promise<Sample> {
      const count = countFor(options.settings, phase, options.total);
      return withCpuPerMessage(rig, count, () =>
        rig.run({ kind: 'requests', count, concurrency: options.concurrency, latencies: options.latencies === true }),
      );
    },
  };
}

/**
 * Fire-and-forget over a process rig: the client process sends; the round ends when the
 * service processes reported every delivery. Timed here, from the order to send to the last
 * delivery report (reports come every 2 ms: a small share of a round).
 */
export function processEventTrial(
  system: string,
  rig: ProcessRig,
  options: { settings: Settings; total: number; concurrency: number; receivers: number },
): Trial {
  return {
    system,
    async run(phase): Promise<Sample> {
      const count = countFor(options.settings, phase, options.total);
      const delivered = rig.reachDeliveries(rig.delivered() + count * options.receivers);
      return withCpuPerMessage(rig, count, async () => {
        const started = performance.now();
        await rig.run({ kind: 'events', count, concurrency: options.concurrency });
        await delivered;
        return eventRates(count, options.receivers, performance.now() - started);
      });
    },
  };
}

/**
 * Streamed requests over a process rig, `streams` a round, one after the other: the client
 * process reads them and reports its rates (and CPU per message, each chunk counted as a
 * message) or, from one stream, its memory; see {@link StreamMeasure}.
 */
export function processStreamTrial(
  system: string,
  rig: ProcessRig,
  options: { settings: Settings; chunks: number; streams: number; awaited: boolean; measure: StreamMeasure },
): Trial {
  return {
    system,
    async run(phase): Promise<Sample> {
      const chunks = countFor(options.settings, phase, options.chunks);
      const { streams, awaited, measure } = options;
      const work = { kind: 'stream', chunks, streams, awaited, measure } as const;
      if (measure === 'memory') return rig.run(work);
      return withCpuPerMessage(rig, chunks * streams, () => rig.run(work));
    },
  };
}

/** Runs a round's `work` and adds what the rig's processes spent on each of its `count` messages. */
async function withCpuPerMessage(rig: ProcessRig, count: number, work: () => Promise<Sample>): Promise<Sample> {
  const before = await rig.cpuTimes();
  const sample = await work();
  return { ...sample, ...cpuSample(before, await rig.cpuTimes(), count) };
}

/** Starters of process rigs for `names` (see `kindOf`), each with `topology`. */
export function processStarters(
  nats: NatsServerOfRun,
  names: readonly string[],
  topology: Topology,
): RigStarters<ProcessRig> {
  return names.map((name) => {
    const kind = kindOf[name];
    if (kind === undefined) throw new Error(`${name} has no multi-process mode`);
    return [name, () => startProcessRig(name, kind, topology, nats)] as const;
  });
}
