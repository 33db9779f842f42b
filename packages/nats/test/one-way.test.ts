import { natsTransport } from '@exorelay/nats';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

describe('one-way messages', () => {
  it('leave no reply route at the receiver, while requests keep theirs until answered', async () => {
    await using server = await startNatsServer();
    const transport = natsTransport({ servers: server.url });
    const users = new ExoRelay({ serviceName: 'users', transport });
    let received = 0;
    users.registerHandler('users.created', () => {
      received += 1;
    });
    users.registerHandler('users.get', (id, { reply }) => reply('users.found', id));
    await users.listen();
    try {
      await using web = await startNatsRelay(server.url, 'web', { listen: false });
      for (let index = 0; index < 100; index += 1) await web.send('users.created', { index }).sent;
      await expect.poll(() => received).toBe(100);
      expect(transport.replyRoutes).toBe(0);
      expect((await web.request('users.get', 7)).payload).toBe(7);
      expect(transport.replyRoutes).toBe(0);
    } finally {
      await users.close();
    }
  });
});
