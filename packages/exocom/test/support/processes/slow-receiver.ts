// A slow receiver: handles at most 32 jobs at a time (503 + retry-after beyond, as a saturated
// relay does), each 60 ms — about 530 a second, which a flooding sender outruns even on a loaded
// machine — and replies `job.done` to every one.
import { setTimeout as delay } from 'node:timers/promises';
import { print } from './print.js';
import { startInstance } from './wire.js';

const busPort = Number(process.argv[2]);
let running = 0;
const instance = await startInstance(busPort, 'sink', ['job'], (_name, envelope, response) => {
  if (running >= 32) {
    response.writeHead(503, { 'retry-after': '0.02' }).end('busy');
    return;
  }
  running += 1;
  response.end('OK');
  void delay(60)
    .then(() =>
      instance.send('job.done', { requestId: `done-${envelope.requestId}`, responseTo: envelope.requestId, seq: 0 }),
    )
    .finally(() => (running -= 1));
});
print({ port: instance.port });
