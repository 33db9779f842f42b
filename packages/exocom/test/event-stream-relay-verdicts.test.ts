import { ContractViolationError, type RelayContracts, RemoteError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { eventually, startBus, startService, startSseService } from './support/landscape.js';

/** Contracts by hand: `users.create` needs a payload with a string `name`. */
const contracts: RelayContracts = {
  validatePayload: (name, payload) => {
    if (name !== 'users.create') return undefined;
    const ok = typeof (payload as { name?: unknown } | undefined)?.name === 'string';
    return ok ? { ok: true, value: payload } : { ok: false, issues: ['name: a string is required'] };
  },
  validateReply: () => undefined,
  isFinal: () => undefined,
};

describe("an SSE relay's verdicts, which cannot be HTTP statuses", () => {
  it('a message it has no handler for is answered DELIVERY_FAILED by the relay', async () => {
    await using bus = await startBus();
    await using users = await startSseService(bus, 'users', { 'users.get': (_p, { reply }) => reply('users.found') });
    await using web = await startService(bus, 'web');
    // Only a bus told wrong routes a name to a relay without its handler.
    const instance = bus.status().services.find((service) => service.name === 'users')!.instances[0]!.eventStream!.id;
    const told = await fetch(`http://127.0.0.1:${bus.port}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName: 'users', instance, receives: ['users.get', 'users.ghost'] }),
    });
    expect(await told.text()).toBe(`registered users as event stream ${instance}`);

    // A fire-and-forget send (one-way: nobody reads its replies), then a request.
    const event = web.send('users.ghost', 'event');
    await event.sent;
    const failure = await web.request('users.ghost', {}, { timeout: 10_000 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      remoteMessage: "could not deliver 'users.ghost' to users: unknown message: 'users.ghost'",
      details: { service: 'users', reason: "unknown message: 'users.ghost'" },
    });
    expect(users.errors).toEqual([]);
    // Closing waits for the relay's replies under way: the one-way event got none.
    await users.close();
    const answered = bus.flows.flatMap((flow) =>
      flow.kind === 'reply' && flow.name === 'exo.error' ? [flow.responseTo] : [],
    );
    expect(answered).toEqual([(failure as RemoteError).requestId]);
    expect(answered).not.toContain(event.requestId);
  });

  it('a payload that breaks its contract is answered INVALID_PAYLOAD, as over HTTP', async () => {
    await using bus = await startBus();
    await using users = await startSseService(
      bus,
      'users',
      { 'users.create': (payload, { reply }) => reply('users.created', payload) },
      { contracts },
    );
    await using web = await startService(bus, 'web');

    const failure = await web.request('users.create', { name: 7 }).catch((error: unknown) => error);

    expect(failure).toMatchObject({
      remoteCode: 'INVALID_PAYLOAD',
      details: { issues: ['name: a string is required'] },
    });
    expect(users.errors).toEqual([expect.any(ContractViolationError)]);
    await expect(web.request('users.create', { name: 'Jean-Luc' })).resolves.toMatchObject({
      outcome: 'users.created',
    });
  });

  it('a relay that closes first stops receiving: the bus routes nothing new to it, and its running handler still replies', async () => {
    await using bus = await startBus();
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const worker = await startSseService(bus, 'worker', {
      work: async (_payload, { reply }) => {
        started += 1;
        await released;
        await reply('worked');
      },
    });
    await using web = await startService(bus, 'web');
    const first = web.request('work', 1);
    await eventually(() => started === 1);

    const closed = worker.close();
    // The worker registers again with no names before it drains: the bus stops routing 'work'.
    await eventually(() => bus.status().routes.work === undefined);
    const late = await web.request('work', 2, { timeout: 10_000 }).catch((error: unknown) => error);
    release();
    await closed;

    expect(late).toMatchObject({ code: 'EXORELAY_NO_RESPONDERS' });
    await expect(first).resolves.toMatchObject({ outcome: 'worked' });
    expect(started).toBe(1);
  });
});
