// A `users` instance that takes `users.create` — `/run` answers 200 once its handler starts, as a
// relay does — and then its process dies before the handler replies.
import { print } from './print.js';
import { startInstance } from './wire.js';

const busPort = Number(process.argv[2]);
const instance = await startInstance(busPort, 'users', ['users.create'], (_name, _envelope, response) => {
  response.end('OK', () => process.exit(1));
});
print({ port: instance.port });
