// A real relay as a service in its own process: `users.hold` never answers (its requesters
// wait), `users.echo` answers at once. Prints `{ port }` once the bus routes to it, `{ status }`
// for each connection change; closes on SIGTERM.
import { ExoRelay } from 'exorelay';
import { print } from './print.js';

const busPort = Number(process.argv[2]);
const relay = new ExoRelay({ serviceName: 'users', exocomPort: busPort, exocomHost: '127.0.0.1', drainTimeout: 100 });
relay.on('error', () => {});
relay.on('status', (status) => print({ status: status.type }));
relay.registerHandler('users.hold', () => new Promise(() => {}));
relay.registerHandler('users.echo', (payload, { reply }) => reply('users.echoed', payload));
print({ port: await relay.listen(0) });
process.on('SIGTERM', () => {
  void relay.close().then(() => process.exit(0));
});
