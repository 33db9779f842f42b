// The bus in its own process, so that its memory can be measured alone and it can be killed.
// Prints one JSON line with its port, then its RSS and counters every 100 ms, and the last ones
// when told to stop.
import { startExoCom } from '../../../src/index.js';
import { print } from './print.js';

// An optional port: a test that restarts the bus starts it again where the relays look for it.
const bus = await startExoCom({ port: Number(process.argv[2] ?? 0), healthCheckInterval: 0 });
const report = () => {
  const services = bus.status().services;
  const inFlight = services.flatMap((service) => service.instances).reduce((sum, i) => sum + i.inFlight, 0);
  const { rss, heapUsed } = process.memoryUsage();
  print({ rss, heapUsed, inFlight, replyRoutes: bus.status().replyRoutes, counters: bus.counters });
};
print({ port: bus.port });
const timer = setInterval(report, 100);
process.stdin.resume();
process.stdin.on('end', async () => {
  clearInterval(timer);
  report();
  await bus.close();
  process.exit(0);
});
