import { deferred } from '@exorelay/conformance';
import { DurabilityUnavailableError, natsTransport } from '@exorelay/nats';
import { ExoRelay, NoRespondersError, type TransportStatus } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { allAcknowledged } from './support/jetstream-consumers.js';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

const durable = { durable: ['user signed up', 'invoice.create'] };

function mailer(url: string, received: string[], allArrived?: { count: number; done: () => void }) {
  return startNatsRelay(url, 'mailer', {
    transport: durable,
    setup: (relay) =>
      relay.registerHandler('user signed up', (user) => {
        received.push((user as { name: string }).name);
        if (allArrived !== undefined && received.length === allArrived.count) allArrived.done();
      }),
  });
}

describe('durable messages (JetStream)', () => {
  it('are acknowledged only once the handler resolved: a service that dies mid-handler gets the message again', async () => {
    await using server = await startNatsServer({ jetstream: true });
    const transport = { ...durable, durableAckWait: 500 };
    const started = deferred<void>();
    const crashed = await startNatsRelay(server.url, 'mailer', {
      transport,
      relayOptions: { drainTimeout: 50 },
      // Never resolves, as if the process died in the middle of the handler.
      setup: (relay) =>
        relay.registerHandler('user signed up', () => started.promise.then(() => new Promise(() => {}))),
    });
    await using web = await startNatsRelay(server.url, 'web', { transport, listen: false });
    await web.send('user signed up', { name: 'Ada' }).sent;
    started.resolve();
    await crashed.close();
    const redelivered = deferred<unknown>();
    await using _restarted = await startNatsRelay(server.url, 'mailer', {
      transport,
      setup: (relay) => relay.registerHandler('user signed up', (user) => redelivered.resolve(user)),
    });
    expect(await redelivered.promise).toEqual({ name: 'Ada' });
  });

  it('whose handler threw are answered HANDLER_FAILED and not delivered again', async () => {
    await using server = await startNatsServer({ jetstream: true });
    const transport = { ...durable, durableAckWait: 300 };
    let attempts = 0;
    await using mailer = await startNatsRelay(server.url, 'mailer', {
      transport,
      setup: (relay) =>
        relay.registerHandler('user signed up', () => {
          attempts += 1;
          throw new Error('smtp down');
        }),
    });
    mailer.on('error', () => {});
    await using web = await startNatsRelay(server.url, 'web', { transport });
    await expect(web.request('user signed up', { name: 'Ada' })).rejects.toMatchObject({
      remoteCode: 'HANDLER_FAILED',
    });
    // Acknowledged on the server, so it can never come again (no need to outwait durableAckWait).
    const [consumer] = await allAcknowledged(server.url);
    expect(consumer).toMatchObject({ delivered: 1, redelivered: 0 });
    expect(attempts).toBe(1);
  });

  it('reach a service that was down when they were sent, once it is back', async () => {
    await using server = await startNatsServer({ jetstream: true });
    const received: string[] = [];
    // The service's first start creates its durable consumer; then it goes down.
    const first = await mailer(server.url, received);
    await first.close();
    await using web = await startNatsRelay(server.url, 'web', { transport: durable, listen: false });
    for (const name of ['Ada', 'Grace', 'Linus']) expect(await web.send('user signed up', { name }).sent).toEqual({});
    expect(received).toEqual([]);
    const arrived = deferred<void>();
    await using _back = await mailer(server.url, received, { count: 3, done: () => arrived.resolve() });
    await arrived.promise;
    expect(received).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('survive a server restart, and each is handled once per service', async () => {
    await using server = await startNatsServer({ jetstream: true });
    const received: string[] = [];
    const first = await mailer(server.url, received);
    await first.close();
    await using web = await startNatsRelay(server.url, 'web', { transport: durable, listen: false });
    await web.send('user signed up', { name: 'Ada' }).sent;
    await web.close();
    await server.restart();
    const arrived = deferred<void>();
    await using _back = await mailer(server.url, received, { count: 1, done: () => arrived.resolve() });
    await arrived.promise;
    expect(received).toEqual(['Ada']);
    // Acknowledged on the server: a second restart of the service cannot get it again.
    const [consumer] = await allAcknowledged(server.url);
    expect(consumer).toMatchObject({ delivered: 1, redelivered: 0 });
  });

  it('a consumer that stays up through a server restart keeps receiving', async () => {
    await using server = await startNatsServer({ jetstream: true });
    const received: string[] = [];
    const arrived = deferred<void>();
    const quick = { ...durable, connection: { reconnectTimeWait: 50, reconnectJitter: 10 } };
    await using mailer = await startNatsRelay(server.url, 'mailer', {
      transport: quick,
      setup: (relay) =>
        relay.registerHandler('user signed up', (user) => {
          received.push((user as { name: string }).name);
          arrived.resolve();
        }),
    });
    const back = pEvent<'status', TransportStatus>(mailer, 'status', {
      filter: (status) => status.type === 'online',
      rejectionEvents: [],
    });
    await server.restart();
    await back;
    await using web = await startNatsRelay(server.url, 'web', { transport: quick, listen: false });
    await web.send('user signed up', { name: 'Ada' }).sent;
    await arrived.promise;
    expect(received).toEqual(['Ada']);
  });

  it('durable requests are answered, and instances of a service share durable messages', async () => {
    await using server = await startNatsServer({ jetstream: true });
    const handledBy: string[] = [];
    const billing = (instance: string) =>
      startNatsRelay(server.url, 'billing', {
        transport: durable,
        setup: (relay) =>
          relay.registerHandler('invoice.create', (order, { reply }) => {
            handledBy.push(instance);
            return reply('invoice.created', { order, instance });
          }),
      });
    await using _one = await billing('one');
    await using _two = await billing('two');
    await using web = await startNatsRelay(server.url, 'web', { transport: durable, listen: false });
    const replies = await Promise.all(Array.from({ length: 40 }, (_, n) => web.request('invoice.create', n)));
    expect(replies.map((reply) => (reply.payload as { order: number }).order)).toEqual(
      Array.from({ length: 40 }, (_, n) => n),
    );
    expect(handledBy).toHaveLength(40);
    expect(new Set(handledBy)).toEqual(new Set(['one', 'two']));
  });

  it('a durable message no service ever consumed has no receivers', async () => {
    await using server = await startNatsServer({ jetstream: true });
    await using web = await startNatsRelay(server.url, 'web', { transport: durable, listen: false });
    expect(await web.send('user signed up', { name: 'Ada' }).sent).toEqual({ receivers: 0 });
  });

  it('listening for a durable message without JetStream fails with DurabilityUnavailableError', async () => {
    await using server = await startNatsServer();
    const mailer = new ExoRelay({
      serviceName: 'mailer',
      transport: natsTransport({ servers: server.url, ...durable }),
    });
    const emitted: Error[] = [];
    mailer.on('error', (error) => emitted.push(error));
    mailer.registerHandler('user signed up', () => {});
    mailer.registerHandler('ping', (_payload, { reply }) => reply('pong'));
    const error = await mailer.listen().catch((error: Error) => error);
    expect(error).toBeInstanceOf(DurabilityUnavailableError);
    expect(error).toMatchObject({ code: 'EXORELAY_NATS_JETSTREAM_UNAVAILABLE', messageName: 'user signed up' });
    expect((error as Error).message).toContain('-js');
    expect(emitted).toEqual([error]);
    // It does not half-listen: its plain names are not subscribed either.
    await using web = await startNatsRelay(server.url, 'web', { listen: false });
    await expect(web.request('ping')).rejects.toBeInstanceOf(NoRespondersError);
    await mailer.close();
  });
});
