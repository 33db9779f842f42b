import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startBus, startService } from './support/landscape.js';

// Relays and the bus call each other through pools of keep-alive connections. Undici keeps an
// idle one as long as the answer's `keep-alive` says, less 2 s: Node's default (5 s) made every
// pool reopen its connections after each quiet spell of 3 s.
describe('idle keep-alive connections between peers', () => {
  it('the bus tells its callers to keep an idle connection 65 s', async () => {
    await using bus = await startBus();

    const { headers, body } = await request(`http://127.0.0.1:${bus.port}/status`);
    await body.dump();

    expect(headers['keep-alive']).toBe('timeout=65');
  });

  it("a relay's server tells the bus to keep an idle connection 65 s", async () => {
    await using bus = await startBus();
    await using service = await startService(bus, 'users', { 'users.list': (_p, { reply }) => reply('users listed') });

    const { headers, body } = await request(`http://127.0.0.1:${service.port}/status`);
    await body.dump();

    expect(headers['keep-alive']).toBe('timeout=65');
  });
});
