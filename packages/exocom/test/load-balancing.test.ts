import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService } from './support/landscape.js';
import { startPeer } from './support/peer.js';

describe('load balancing', () => {
  it('sends a message to one instance of a service, in turn (round robin)', async () => {
    await using bus = await startBus();
    const whoAmI = (name: string) => ({
      'users.get': (_p: unknown, { reply }: { reply: (o: string, p: unknown) => Promise<void> }) =>
        reply('users.found', name),
    });
    await using _one = await startService(bus, 'users', whoAmI('one'));
    await using _two = await startService(bus, 'users', whoAmI('two'));
    await using web = await startService(bus, 'web');

    const answeredBy: unknown[] = [];
    for (let turn = 0; turn < 4; turn += 1) answeredBy.push((await web.request('users.get')).payload);

    expect(answeredBy).toEqual(['one', 'two', 'one', 'two']);
    expect(bus.lines).toContain('web  --[ users.get ]->  users (2 instances)');
  });

  it('prefers the instance with the fewest deliveries under way (least in-flight)', async () => {
    await using bus = await startBus({ loadBalancing: 'least-in-flight' });
    let release = () => {};
    const held = new Promise<number>((resolve) => {
      release = () => resolve(200);
    });
    await using slow = await startPeer(bus.port, 'users', { receives: ['work'], answer: () => held });
    await using fast = await startPeer(bus.port, 'users', { receives: ['work'] });
    await using sender = await startPeer(bus.port, 'web');
    const inFlight = (port: number) =>
      bus
        .status()
        .services.find((s) => s.name === 'users')
        ?.instances.find((i) => i.port === port)?.inFlight;

    for (let index = 0; index < 4; index += 1) {
      await sender.send('work', { requestId: `w${index}` });
      await eventually(() => inFlight(fast.port) === 0 && slow.received.length + fast.received.length === index + 1);
    }
    release();

    expect(slow.received.map((d) => d.envelope.requestId)).toEqual(['w0']);
    expect(fast.received.map((d) => d.envelope.requestId)).toEqual(['w1', 'w2', 'w3']);
  });
});
