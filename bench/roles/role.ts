/**
 * One role of a rig in a process of its own (multi-process mode): the bench process forks this
 * script, tells it which system and role to start, then asks the client for rounds of work.
 * Service processes report their delivery count as it changes. The process ends on `close`, or
 * when the bench process goes away (its IPC channel closes), so none outlives a run.
 */
import { describe, type Sample } from '../harness/measure.js';
import type { Rig } from '../harness/rig.js';
import { askRequests, readStream, sendEvents } from '../harness/trials.js';
import { type BusPart, placementOf, startBusPart, startPart } from './parts.js';
import type { Command, Message, Request, Started, Work } from './protocol.js';

/** How often a service process looks whether its delivery count moved. */
const deliveryReportMs = 2;

let bus: BusPart | undefined;
let rig: Rig | undefined;
let system = '';

function say(message: Message): void {
  process.send?.(message);
}

async function handle(request: Command): Promise<Started | Sample | null> {
  switch (request.command) {
    case 'start':
      system = request.system;
      if (request.role.role === 'bus') {
        bus = await startBusPart(request.kind);
        return { ports: [bus.port], pid: process.pid };
      }
      rig = await startPart(request.kind, placementOf(request.role), request.wiring);
      if (request.role.role !== 'client') reportDeliveries(rig);
      return { ports: rig.ports ?? [], pid: process.pid };
    case 'route':
      bus?.route?.(request.routes);
      return null;
    case 'run':
      return run(request.work);
    case 'cpu': {
      const { user, system: kernel } = process.cpuUsage();
      return { cpu: user + kernel };
    }
    case 'close':
      await close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

async function run(work: Work): Promise<Sample> {
  if (rig === undefined) throw new Error('no client started in this process');
  switch (work.kind) {
    case 'requests':
      return askRequests(system, rig, work);
    case 'events':
      await sendEvents(rig, work.count, work.concurrency);
      return {};
    case 'stream':
      return readStream(system, rig, work);
  }
}

function reportDeliveries(started: Rig): void {
  let reported = 0;
  setInterval(() => {
    const count = started.deliveries.count;
    if (count === reported) return;
    reported = count;
    say({ type: 'delivered', count });
  }, deliveryReportMs).unref();
}

async function close(): Promise<void> {
  await rig?.[Symbol.asyncDispose]();
  await bus?.[Symbol.asyncDispose]();
}

process.on('message', (request: Request) => {
  handle(request).then(
    (value) => say({ type: 'answer', id: request.id, value }),
    (error: unknown) => say({ type: 'failed', id: request.id, error: describe(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
