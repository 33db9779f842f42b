import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { ConfigError, startExoCom } from '../src/index.js';
import { startBus, startService, startSseService } from './support/landscape.js';

const tokens = {
  users: 'users-secret-0123456789abcdef',
  web: 'web-secret-0123456789abcdef',
  admin: 'admin-secret-0123456789abcdef',
  bus: 'bus-secret-0123456789abcdef',
};
const auth = { services: { users: tokens.users, web: tokens.web }, admin: tokens.admin, bus: tokens.bus };

function post(port: number, path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, { headers });
}

async function startAuthenticatedLandscape(services: Parameters<typeof startBus>[0] = {}) {
  const bus = await startBus({ auth, healthCheckInterval: 0, ...services });
  const users = await startService(
    bus,
    'users',
    { 'users.create': async (payload, { reply }) => reply('users.created', payload) },
    { token: tokens.users, http: { inbound: { token: tokens.bus } } },
  );
  return { bus, users };
}

describe('an authenticated bus', () => {
  it('routes requests between relays that present their credentials', async () => {
    const { bus, users } = await startAuthenticatedLandscape();
    await using _bus = bus;
    await using _users = users;
    await using web = await startService(bus, 'web', {}, { token: tokens.web });
    expect(await web.request('users.create', { name: 'Ada' })).toMatchObject({
      outcome: 'users.created',
      payload: { name: 'Ada' },
    });
  });

  it('refuses a rogue registration: without a credential 401, with another service’s 403', async () => {
    await using bus = await startBus({ auth });
    const rogue = { serviceName: 'users', host: '127.0.0.1', port: 9, receives: ['users.create'] };
    const anonymous = await post(bus.port, '/register', rogue);
    expect(anonymous.status).toBe(401);
    const asWeb = await post(bus.port, '/register', rogue, tokens.web);
    expect(asWeb.status).toBe(403);
    expect(await asWeb.text()).toContain("may not register as 'users'");
    expect(bus.status().services).toEqual([]);
  });

  it('refuses to let a service take over an address another service holds', async () => {
    const { bus, users } = await startAuthenticatedLandscape();
    await using _bus = bus;
    await using _users = users;
    const takeover = { serviceName: 'web', host: '127.0.0.1', port: users.port, receives: [] };
    const answer = await post(bus.port, '/register', takeover, tokens.web);
    expect(answer.status).toBe(403);
    expect(bus.status().services.map((service) => service.name)).toEqual(['users']);
  });

  it('refuses to deregister another service’s instance', async () => {
    const { bus, users } = await startAuthenticatedLandscape();
    await using _bus = bus;
    await using _users = users;
    const target = { serviceName: 'users', host: '127.0.0.1', port: users.port };
    expect((await post(bus.port, '/deregister', target)).status).toBe(401);
    expect((await post(bus.port, '/deregister', target, tokens.web)).status).toBe(403);
    expect(bus.status().services[0]?.instances).toHaveLength(1);
  });

  it('refuses a landscape replacement without the admin credential', async () => {
    await using bus = await startBus({ auth, services: [{ name: 'users', receives: ['users.create'] }] });
    const landscape = [{ name: 'users', host: '10.0.0.66', port: 4001, receives: ['users.create'] }];
    expect((await post(bus.port, '/services', landscape)).status).toBe(401);
    const asUsers = await post(bus.port, '/services', landscape, tokens.users);
    expect(asUsers.status).toBe(403);
    expect(await asUsers.text()).toContain('admin credential');
    expect(bus.status().services[0]?.instances).toEqual([]);
    expect((await post(bus.port, '/services', landscape, tokens.admin)).status).toBe(200);
    expect(bus.status().services[0]?.instances).toHaveLength(1);
  });

  it('refuses a spoofed sender with 403 and routes nothing', async () => {
    const { bus, users } = await startAuthenticatedLandscape();
    await using _bus = bus;
    await using _users = users;
    const forged = { sender: 'users', requestId: crypto.randomUUID(), payload: {} };
    expect((await post(bus.port, '/send/users.create', forged)).status).toBe(401);
    const answer = await post(bus.port, '/send/users.create', forged, tokens.web);
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain("may not send 'users.create' as 'users'");
    expect(bus.counters.received).toBe(0);
  });

  it('enforces the sends a configuration lists, naming the refused message', async () => {
    await using bus = await startBus({ auth, services: [{ name: 'web', sends: ['users.create'] }] });
    const envelope = { sender: 'web', requestId: crypto.randomUUID(), payload: {} };
    expect((await post(bus.port, '/send/users.create', envelope, tokens.web)).status).toBe(200);
    const refused = await post(
      bus.port,
      '/send/users.delete',
      { ...envelope, requestId: crypto.randomUUID() },
      tokens.web,
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("'web' may not send 'users.delete'");
  });

  it('shows no instance ids or addresses in /status without a credential', async () => {
    const { bus, users } = await startAuthenticatedLandscape();
    await using _bus = bus;
    await using _users = users;
    const anonymous = await (await get(bus.port, '/status')).text();
    expect(anonymous).not.toContain(String(users.port));
    expect(anonymous).not.toContain('127.0.0.1');
    expect(JSON.parse(anonymous).services).toEqual([{ name: 'users', instances: 1, up: 1 }]);
    expect(await (await get(bus.port, '/services')).text()).not.toContain(String(users.port));
    const inspected = await (await get(bus.port, '/status', { authorization: `Bearer ${tokens.admin}` })).text();
    expect(inspected).toContain(String(users.port));
    expect((await get(bus.port, '/dashboard')).status).toBe(401);
    expect((await get(bus.port, '/metrics', { authorization: `Bearer ${tokens.users}` })).status).toBe(403);
  });

  it('refuses to listen beyond loopback without credentials unless told it is insecure', async () => {
    await expect(startExoCom({ port: 0, host: '0.0.0.0' })).rejects.toThrow(ConfigError);
    await expect(startExoCom({ port: 0, host: '0.0.0.0' })).rejects.toThrow(
      'refusing to listen on 0.0.0.0 without credentials',
    );
    await using insecure = await startExoCom({ port: 0, host: '0.0.0.0', insecure: true, healthCheckInterval: 0 });
    expect(insecure.port).toBeGreaterThan(0);
    await using authenticated = await startExoCom({ port: 0, host: '0.0.0.0', auth, healthCheckInterval: 0 });
    expect(authenticated.port).toBeGreaterThan(0);
  });

  it('refuses short or shared secrets without printing them', async () => {
    await expect(startExoCom({ port: 0, auth: { services: { users: 'short' } } })).rejects.toThrow(
      'auth.services.users must be a secret of at least 16 characters',
    );
    const shared = await startExoCom({ port: 0, auth: { services: { users: tokens.users, web: tokens.users } } }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(shared).toContain('need secrets of their own');
    expect(shared).not.toContain(tokens.users);
  });
});

describe('a relay that requires the bus’s credential', () => {
  it('answers /run without it with 401 and runs no handler', async () => {
    const { bus, users } = await startAuthenticatedLandscape();
    await using _bus = bus;
    await using _users = users;
    const envelope = { sender: 'web', requestId: crypto.randomUUID(), payload: { name: 'Mallory' } };
    const direct = await post(users.port ?? 0, '/run/users.create', envelope);
    expect(direct.status).toBe(401);
    expect((await post(users.port ?? 0, '/run/users.create', envelope, tokens.web)).status).toBe(401);
    expect((await post(users.port ?? 0, '/run/users.create', envelope, tokens.bus)).status).toBe(200);
  });
});

describe('an authenticated event stream', () => {
  it('cannot be opened or taken over by id without the service’s credential', async () => {
    await using bus = await startBus({ auth, healthCheckInterval: 0 });
    await using users = await startSseService(
      bus,
      'users',
      { 'users.create': async (payload, { reply }) => reply('users.created', payload) },
      { token: tokens.users },
    );
    const [instance] = bus.status().services[0]!.instances;
    const id = instance!.eventStream!.id;
    expect((await get(bus.port, '/events?service=users')).status).toBe(401);
    const takeover = await get(bus.port, `/events?service=users&instance=${id}`);
    expect(takeover.status).toBe(401);
    const asWeb = await get(bus.port, `/events?service=users&instance=${id}`, {
      authorization: `Bearer ${tokens.web}`,
    });
    expect(asWeb.status).toBe(403);
    await using web = await startService(bus, 'web', {}, { token: tokens.web });
    expect((await web.request('users.create', { n: 1 })).outcome).toBe('users.created');
    expect(users.errors).toEqual([]);
  });

  it('ignores a forged Last-Event-ID: the live instance is not forgotten', async () => {
    await using bus = await startBus({ auth, healthCheckInterval: 0 });
    await using _users = await startSseService(
      bus,
      'users',
      { 'users.create': async (payload, { reply }) => reply('users.created', payload) },
      { token: tokens.users },
    );
    const id = bus.status().services[0]!.instances[0]!.eventStream!.id;
    const forged = await get(bus.port, `/events?service=users`, { 'last-event-id': `${id}:999999` });
    expect(forged.status).toBe(401);
    expect(bus.status().services[0]!.instances.map((instance) => instance.eventStream?.id)).toEqual([id]);
    await using web = await startService(bus, 'web', {}, { token: tokens.web });
    expect((await web.request('users.create', { n: 2 })).outcome).toBe('users.created');
  });
});

describe('the bus-wide bound on event-stream buffers', () => {
  it('refuses a new stream with 503 once every stream filling its buffer would pass the bound', async () => {
    await using bus = await startBus({
      auth,
      healthCheckInterval: 0,
      eventStreams: { maxBufferedBytes: 1000, maxTotalBufferedBytes: 2500 },
    });
    const headers = { authorization: `Bearer ${tokens.users}` };
    const browsers = [new AbortController(), new AbortController(), new AbortController()];
    await using _streams = {
      [Symbol.asyncDispose]: async () => {
        for (const browser of browsers) browser.abort();
      },
    };
    const open = (browser: AbortController) =>
      fetch(`http://127.0.0.1:${bus.port}/events?service=users&receives=users.create`, {
        headers,
        signal: browser.signal,
      });
    expect((await open(browsers[0]!)).status).toBe(200);
    expect((await open(browsers[1]!)).status).toBe(200);
    const refused = await open(browsers[2]!);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.text()).toContain('the bus holds the most event streams it may (2');
  });

  it('refuses a bound below one stream’s buffer at start', async () => {
    await expect(
      startExoCom({ port: 0, eventStreams: { maxBufferedBytes: 1000, maxTotalBufferedBytes: 10 } }),
    ).rejects.toThrow('eventStreams.maxTotalBufferedBytes (10) must be at least maxBufferedBytes (1000)');
  });
});

describe('a relay with a wrong credential', () => {
  it('fails listen() with the bus’s reason instead of retrying forever', async () => {
    await using bus = await startBus({ auth, healthCheckInterval: 0 });
    for (const delivery of ['http', 'sse'] as const) {
      const relay = new ExoRelay({
        serviceName: 'users',
        exocomPort: bus.port,
        exocomHost: '127.0.0.1',
        delivery,
        token: tokens.web,
      });
      relay.on('error', () => {});
      relay.registerHandler('users.create', () => {});
      await using _relay = Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
      await expect(relay.listen(0, { signal: AbortSignal.timeout(3000) })).rejects.toThrow(
        "the credential of 'web' may not",
      );
    }
  });
});
