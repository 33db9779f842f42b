/**
 * The measuring side of scenario 6, run by memory-soak.ts in a child process of its own with
 * --expose-gc, so that no other scenario's garbage or caches are in its readings.
 * Arguments: --transport http|nats --nats-url URL --fill-events N --fill-requests N --events N
 * --requests N. Prints one JSON line.
 */
import { parseArgs } from 'node:util';
import { collectGarbage, readMemory } from '../harness/memory.js';
import { singleService } from '../harness/rig.js';
import { fullSettings } from '../harness/settings.js';
import { eventTrial, requestTrial } from '../harness/trials.js';
import { startExoRelayOverExoCom } from '../rigs/exorelay-exocom.js';
import { startExoRelayOverNats } from '../rigs/exorelay-nats.js';

const concurrency = 64;
const warmup = 2_000;

const { values } = parseArgs({
  options: {
    transport: { type: 'string' },
    'nats-url': { type: 'string' },
    'fill-events': { type: 'string' },
    'fill-requests': { type: 'string' },
    events: { type: 'string' },
    requests: { type: 'string' },
  },
});
if (typeof globalThis.gc !== 'function') throw new Error('run memory-soak-child with --expose-gc');
const fill = { events: Number(values['fill-events'] ?? 0), requests: Number(values['fill-requests'] ?? 0) };
const events = Number(values.events);
const requests = Number(values.requests);
const rig =
  values.transport === 'http'
    ? await startExoRelayOverExoCom(singleService)
    : await startExoRelayOverNats(values['nats-url'] ?? '', singleService);

try {
  const settings = fullSettings;
  const eventsOf = (total: number) => eventTrial('soak', rig, { settings, total, concurrency, receivers: 1 });
  const requestsOf = (total: number) => requestTrial('soak', rig, { settings, total, concurrency });
  await eventsOf(warmup).run('measure');
  await requestsOf(warmup).run('measure');
  await collectGarbage();
  const warm = readMemory();
  if (fill.events > 0) await eventsOf(fill.events).run('measure');
  if (fill.requests > 0) await requestsOf(fill.requests).run('measure');
  await collectGarbage();
  const before = readMemory();
  const eventRate = await eventsOf(events).run('measure');
  await collectGarbage();
  const afterEvents = readMemory();
  const requestRate = await requestsOf(requests).run('measure');
  await collectGarbage();
  const after = readMemory();
  process.stdout.write(
    `${JSON.stringify({
      warm,
      before,
      afterEvents,
      after,
      eventsPerSecond: eventRate.throughput,
      requestsPerSecond: requestRate.throughput,
      retained: rig.retainedState?.() ?? {},
    })}\n`,
  );
} finally {
  await rig[Symbol.asyncDispose]();
}
