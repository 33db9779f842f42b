/**
 * One instance of service `worker` in its own process, for rolling-restart tests. Run as
 * `node --conditions=@exorelay/source --import tsx worker-process.ts <nats-url>`; talks over IPC:
 * sends `ready` once listening and `entered` when a `slow` message's handler starts; on
 * `release` the slow handlers reply, on `close` the relay closes, sends `closed` and exits.
 */
import { natsTransport } from '@exorelay/nats';
import { ExoRelay } from 'exorelay';

const servers = process.argv[2];
if (servers === undefined) throw new Error('usage: worker-process.ts <nats-url>');
const relay = new ExoRelay({ serviceName: 'worker', transport: natsTransport({ servers }) });
let release: () => void = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});
relay.registerHandler('job', (n, { reply }) => reply('done', { n, by: 'child' }));
relay.registerHandler('slow', async (n, { reply }) => {
  process.send?.('entered');
  await released;
  await reply('done', { n, by: 'child' });
});
process.on('message', (message) => {
  if (message === 'release') release();
  if (message !== 'close') return;
  void relay.close().then(() => process.send?.('closed', () => process.exit(0)));
});
await relay.listen();
process.send?.('ready');
