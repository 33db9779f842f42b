import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService, startSseService } from './support/landscape.js';

describe('event-stream instances are routed like any other', () => {
  it('take turns with the other instances of their service, whether those receive over SSE or HTTP', async () => {
    await using bus = await startBus();
    const handledBy: string[] = [];
    const handler =
      (tag: string) =>
      (payload: unknown, { reply }: { reply: (outcome: string, payload: unknown) => Promise<void> }) => {
        handledBy.push(tag);
        return reply('users.found', payload);
      };
    await using _sse1 = await startSseService(bus, 'users', { 'users.get': handler('sse 1') });
    await using _sse2 = await startSseService(bus, 'users', { 'users.get': handler('sse 2') });
    await using _http = await startService(bus, 'users', { 'users.get': handler('http') });
    await using web = await startService(bus, 'web');

    for (let index = 0; index < 6; index += 1) await web.request('users.get', index);

    expect(handledBy.toSorted()).toEqual(['http', 'http', 'sse 1', 'sse 1', 'sse 2', 'sse 2']);
  });

  it('get a broadcast along with the other receiving services', async () => {
    await using bus = await startBus();
    const got: string[] = [];
    await using _audit = await startSseService(bus, 'audit', { 'users.created': () => void got.push('audit') });
    await using _mail = await startService(bus, 'mail', { 'users.created': () => void got.push('mail') });
    await using web = await startSseService(bus, 'web');

    expect(await web.send('users.created', { id: 1 }).sent).toEqual({ receivers: 2 });
    await eventually(() => got.length === 2);
    expect(got.toSorted()).toEqual(['audit', 'mail']);
  });

  it('get the replies to their own requests, not their twin', async () => {
    await using bus = await startBus();
    await using _users = await startService(bus, 'users', {
      'users.get': (payload, { reply }) => reply('users.found', payload),
    });
    await using web1 = await startSseService(bus, 'web');
    await using web2 = await startSseService(bus, 'web');

    const [first, second] = await Promise.all([web1.request('users.get', 1), web2.request('users.get', 2)]);

    expect([first.payload, second.payload]).toEqual([1, 2]);
    const streams = bus.status().services.find((service) => service.name === 'web')!.instances;
    const replyTargets = bus.flows.flatMap((flow) =>
      flow.kind === 'reply' ? flow.receivers.map((r) => r.instance) : [],
    );
    expect(replyTargets.toSorted()).toEqual(streams.map((instance) => instance.eventStream!.id).toSorted());
  });

  it('hear which names a relay handles when it registers more while its stream is open', async () => {
    await using bus = await startBus();
    await using users = await startSseService(bus, 'users', { 'users.get': (_p, { reply }) => reply('users.found') });
    await using web = await startService(bus, 'web');
    users.registerHandler('users.list', (_p, { reply }) => reply('users.listed', []));

    await eventually(() => bus.status().routes['users.list'] !== undefined);
    await expect(web.request('users.list')).resolves.toMatchObject({ outcome: 'users.listed', sender: 'users' });
  });
});
