import { NoRespondersError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startBus, startService } from './support/landscape.js';

describe('no receivers', () => {
  it('answers receivers: 0, so a request fails at once with NoRespondersError', async () => {
    await using bus = await startBus();
    await using web = await startService(bus, 'web');

    await expect(web.request('nobody.listens', {}, { timeout: 20_000 })).rejects.toBeInstanceOf(NoRespondersError);
    expect(bus.counters.noReceivers).toBe(1);
    expect(bus.lines).toEqual(['web  --[ nobody.listens ]->  (no receivers)']);
  });

  it('takes a fire-and-forget event to nobody without complaint', async () => {
    await using bus = await startBus();
    await using web = await startService(bus, 'web');

    await expect(web.send('users.created', { id: 1 }).sent).resolves.toEqual({ receivers: 0 });
    expect(web.errors).toEqual([]);
    expect(bus.status().replyRoutes).toBe(0);
  });
});
