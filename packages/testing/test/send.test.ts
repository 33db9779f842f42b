import { describe, expect, it } from 'vitest';
import { createMockExoCom, DeliveryRejectedError, MockTimeoutError, ServiceUnreachableError } from '../src/index.js';
import { startService } from './support/service.js';

describe('sending into the service', () => {
  it('delivers a message to a registered service and yields its replies in order', async () => {
    await using bus = await createMockExoCom();
    await using _files = await startService(bus, 'files', {
      'file.copy': async (payload, { reply, sender }) => {
        for (let percent = 25; percent < 100; percent += 25) await reply.progress('file.copying', percent);
        await reply('file.copied', { ...(payload as object), by: sender });
      },
    });

    const replies = await bus.send({ to: 'files', name: 'file.copy', payload: { from: 'a' } }).toArray();

    expect(replies.map(({ outcome, payload, final }) => ({ outcome, payload, final }))).toEqual([
      { outcome: 'file.copying', payload: 25, final: false },
      { outcome: 'file.copying', payload: 50, final: false },
      { outcome: 'file.copying', payload: 75, final: false },
      { outcome: 'file.copied', payload: { from: 'a', by: 'test' }, final: true },
    ]);
    expect(bus.received.map((message) => message.name)).toEqual([
      'file.copying',
      'file.copying',
      'file.copying',
      'file.copied',
    ]);
  });

  it('streams many chunks complete and in order, and ends after the final reply', async () => {
    await using bus = await createMockExoCom();
    await using _files = await startService(bus, 'files', {
      'file.read': async (_payload, { reply }) => {
        await Promise.all(Array.from({ length: 500 }, (_, index) => reply.progress('file.chunk', index)));
        await reply('file.done');
      },
    });

    const chunks: unknown[] = [];
    for await (const reply of bus.send({ to: 'files', name: 'file.read', sender: 'web' })) {
      if (reply.outcome === 'file.chunk') chunks.push(reply.payload);
    }

    expect(chunks).toEqual(Array.from({ length: 500 }, (_, index) => index));
    bus.assertNoPendingReplies();
  });

  it('delivers to an address when the service does not register', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users', { ping: (_p, { reply }) => reply('pong') });

    const [reply] = await bus.send({ to: { host: '127.0.0.1', port: users.port! }, name: 'ping' }).toArray();

    expect(reply?.outcome).toBe('pong');
  });

  it('yields the exo.error reply of a handler that failed', async () => {
    await using bus = await createMockExoCom();
    await using users = await startService(bus, 'users', {
      'users.create': () => {
        throw new Error('database is down');
      },
    });

    const replies = await bus.send({ to: 'users', name: 'users.create' }).toArray();

    expect(replies).toEqual([
      expect.objectContaining({
        outcome: 'exo.error',
        payload: { code: 'HANDLER_FAILED', message: 'database is down' },
        final: true,
      }),
    ]);
    expect(users.errors).toHaveLength(1);
  });

  it('fails the stream when the service refuses the message', async () => {
    await using bus = await createMockExoCom();
    await using _users = await startService(bus, 'users');

    const stream = bus.send({ to: 'users', name: 'users.delete' });

    await expect(stream.toArray()).rejects.toBeInstanceOf(DeliveryRejectedError);
    await expect(stream.delivered).rejects.toMatchObject({ status: 404, reason: "unknown message: 'users.delete'" });
  });

  it('fails the stream when nothing listens at the address', async () => {
    await using bus = await createMockExoCom();

    await expect(bus.send({ to: { host: '127.0.0.1', port: 1 }, name: 'ping' }).toArray()).rejects.toBeInstanceOf(
      ServiceUnreachableError,
    );
  });

  it('fails the stream when the service never registers, or its final reply is late', async () => {
    await using bus = await createMockExoCom({ timeout: 50 });
    await using _users = await startService(bus, 'users', { 'users.wait': () => {} });

    await expect(bus.send({ to: 'nobody', name: 'ping' }).toArray()).rejects.toThrow(
      "timed out after 50 ms waiting for service 'nobody' to register",
    );
    await expect(bus.send({ to: 'users', name: 'users.wait' }).toArray()).rejects.toBeInstanceOf(MockTimeoutError);
  });
});
