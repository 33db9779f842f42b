// Fires `job` messages as fast as the bus takes them (128 at a time, retrying on 503) until
// `count` are sent or `seconds` passed, then waits for an answer (reply or exo.error) to each.
import { setTimeout as delay } from 'node:timers/promises';
import { print } from './print.js';
import { startInstance } from './wire.js';

const [busPort, count, seconds] = process.argv.slice(2).map(Number) as [number, number, number];
const answered = new Map<string, string>();
const instance = await startInstance(busPort, 'source', [], (name, envelope, response) => {
  answered.set(String(envelope.responseTo), name);
  response.end('OK');
});
const deadline = Date.now() + seconds * 1000;
let sent = 0;
let refusals = 0;
const started = Date.now();
const worker = async () => {
  while (sent < count && Date.now() < deadline) {
    const requestId = `job-${sent}`;
    sent += 1;
    refusals += await instance.send('job', { requestId, payload: sent });
  }
};
await Promise.all(Array.from({ length: 128 }, worker));
const sendSeconds = (Date.now() - started) / 1000;
const waitUntil = Date.now() + 30_000;
while (answered.size < sent && Date.now() < waitUntil) await delay(50);
const errors = [...answered.values()].filter((name) => name === 'exo.error').length;
print({ sent, answered: answered.size, errors, refusals, sendSeconds });
process.exit(0);
