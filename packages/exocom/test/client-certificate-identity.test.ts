import { Client } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { authFromJson } from '../src/auth.js';
import { subjectAltUris } from '../src/client-certificate.js';
import { ConfigError, type ExoComOptions, startExoCom } from '../src/index.js';
import { type KeyPair, makeAuthority } from './support/certificates.js';
import { startBus, startService, startSseService } from './support/landscape.js';

const authority = makeAuthority('exorelay-ca');
const stranger = makeAuthority('stranger-ca');
afterAll(() => {
  authority.remove();
  stranger.remove();
});
const clientUse = 'extendedKeyUsage=clientAuth\nsubjectAltName=';
const certificates = {
  bus: authority.sign('bus', 'bus', 'subjectAltName=IP:127.0.0.1'),
  users: authority.sign('users', 'users', `${clientUse}URI:exorelay:service/users`),
  orders: authority.sign('orders', 'orders', `${clientUse}URI:exorelay:service/orders`),
  /** Names no service: the admin's curl, say. */
  operator: authority.sign('operator', 'operator', `${clientUse}email:ops@example.org`),
  spiffe: authority.sign('spiffe', 'users', `${clientUse}URI:spiffe://example.org/ns/prod/sa/users`),
  /** Its CN says 'orders'; it names no service: the CN is not read. */
  commonName: authority.sign('cn', 'orders', 'extendedKeyUsage=clientAuth'),
  both: authority.sign('both', 'both', `${clientUse}URI:exorelay:service/users,URI:exorelay:service/orders`),
  /** The right name, the wrong CA. */
  forged: stranger.sign('forged', 'users', `${clientUse}URI:exorelay:service/users`),
};
const tokens = { web: 'web-secret-0123456789abcdef', admin: 'admin-secret-0123456789abcdef' };
const auth = { services: { web: tokens.web }, admin: tokens.admin, clientCertificates: {} };
const tls = { ...certificates.bus, ca: authority.ca };

function startCertificateBus(options: ExoComOptions = {}) {
  return startBus({ auth, tls, healthCheckInterval: 0, ...options });
}

/** A connection to the bus presenting `certificate`; closed on dispose. */
function connect(bus: { port: number }, certificate: KeyPair) {
  const client = new Client(`https://127.0.0.1:${bus.port}`, { connect: { ca: authority.ca, ...certificate } });
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const answer = await client.request({
      method,
      path,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: answer.statusCode, text: await answer.body.text() };
  };
  return {
    post: (path: string, body: unknown, token?: string) => request('POST', path, body, token),
    get: (path: string, token?: string) => request('GET', path, undefined, token),
    [Symbol.asyncDispose]: () => client.destroy(),
  };
}

const envelope = (sender: string) => ({ sender, requestId: crypto.randomUUID(), payload: {} });
const registration = (serviceName: string, port: number, receives: string[] = []) => ({
  serviceName,
  host: '127.0.0.1',
  port,
  receives,
});

describe('a service identified by its client certificate', () => {
  it('registers, sends and replies with its certificate and no token', async () => {
    await using bus = await startCertificateBus();
    await using _orders = await startService(
      bus,
      'orders',
      { 'orders.create': async (payload, { reply }) => reply('orders.created', payload) },
      { http: { tls: { ca: authority.ca, ...certificates.orders } } },
    );
    await using users = await startService(
      bus,
      'users',
      {},
      { http: { tls: { ca: authority.ca, ...certificates.users } } },
    );
    expect(await users.request('orders.create', { id: 7 })).toMatchObject({
      outcome: 'orders.created',
      payload: { id: 7 },
    });
  });

  it('receives over its event stream with its certificate and no token', async () => {
    await using bus = await startCertificateBus();
    const tls = { ca: authority.ca, ...certificates.orders };
    await using _orders = await startSseService(
      bus,
      'orders',
      { 'orders.create': async (payload, { reply }) => reply('orders.created', payload) },
      { http: { tls }, sse: { tls } },
    );
    await using users = await startService(
      bus,
      'users',
      {},
      { http: { tls: { ca: authority.ca, ...certificates.users } } },
    );
    expect((await users.request('orders.create', 1)).outcome).toBe('orders.created');
  });

  it('is nobody when the configuration does not say certificates authenticate', async () => {
    await using bus = await startCertificateBus({ auth: { services: auth.services, admin: auth.admin } });
    await using users = connect(bus, certificates.users);
    expect((await users.post('/register', registration('users', 9))).status).toBe(401);
    expect((await users.post('/send/orders.create', envelope('users'))).status).toBe(401);
  });

  it('may not send as another service', async () => {
    await using bus = await startCertificateBus();
    await using users = connect(bus, certificates.users);
    const forged = await users.post('/send/orders.created', envelope('orders'));
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("may not send 'orders.created' as 'orders'");
    expect((await users.post('/send/orders.create', envelope('users'))).status).toBe(200);
  });

  it('may not register, deregister or open an event stream as another service', async () => {
    await using bus = await startCertificateBus();
    await using orders = await startService(
      bus,
      'orders',
      { 'orders.create': async () => {} },
      { http: { tls: { ca: authority.ca, ...certificates.orders } } },
    );
    await using users = connect(bus, certificates.users);
    const rogue = await users.post('/register', registration('orders', 9, ['orders.create']));
    expect(rogue.status).toBe(403);
    expect(rogue.text).toContain("may not register as 'orders'");
    expect((await users.post('/deregister', registration('orders', orders.port ?? 0))).status).toBe(403);
    expect((await users.get('/events?service=orders')).status).toBe(403);
    expect(bus.status().services.find((service) => service.name === 'orders')?.instances).toHaveLength(1);
    expect((await users.post('/register', registration('users', 9))).status).toBe(200);
  });

  it('keeps to the sends and receives the configuration lists for it', async () => {
    await using bus = await startCertificateBus({
      services: [{ name: 'users', sends: ['orders.create'], receives: ['users.create'] }],
    });
    await using users = connect(bus, certificates.users);
    const unlisted = await users.post('/send/orders.delete', envelope('users'));
    expect(unlisted.status).toBe(403);
    expect(unlisted.text).toContain("may not send 'orders.delete'");
    const refused = await users.post('/register', registration('users', 9, ['users.delete']));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("may not receive 'users.delete'");
  });

  it('refuses a token that names another service, or no valid one', async () => {
    await using bus = await startCertificateBus();
    await using users = connect(bus, certificates.users);
    const asUsers = await users.post('/send/orders.create', envelope('users'), tokens.web);
    expect(asUsers.status).toBe(403);
    expect(asUsers.text).toContain("the client certificate names 'users', but the token is the credential of 'web'");
    expect((await users.post('/send/orders.create', envelope('web'), tokens.web)).status).toBe(403);
    const invalid = await users.post('/send/orders.create', envelope('users'), 'not-a-token-0123456789abcdef');
    expect(invalid.status).toBe(403);
    expect(invalid.text).not.toContain('not-a-token');
    // The instance list stays hidden from a request whose credentials disagree.
    expect(JSON.parse((await users.get('/status', tokens.web)).text)).not.toHaveProperty('routes');
  });

  it('never makes the admin: a landscape change needs the admin token, with a certificate that names no service', async () => {
    await using bus = await startCertificateBus();
    const landscape = [{ name: 'users', receives: ['users.create'] }];
    await using users = connect(bus, certificates.users);
    expect((await users.post('/services', landscape)).status).toBe(403);
    expect((await users.post('/services', landscape, tokens.admin)).status).toBe(403);
    await using operator = connect(bus, certificates.operator);
    expect((await operator.post('/services', landscape)).status).toBe(401);
    expect((await operator.post('/services', landscape, tokens.admin)).status).toBe(200);
  });

  it('reads the URI, not the common name; other URIs only through the configuration', async () => {
    await using bus = await startCertificateBus();
    await using commonName = connect(bus, certificates.commonName);
    expect((await commonName.post('/send/orders.create', envelope('orders'))).status).toBe(401);
    await using spiffe = connect(bus, certificates.spiffe);
    expect((await spiffe.post('/send/orders.create', envelope('users'))).status).toBe(401);
    await using mapped = await startCertificateBus({
      auth: { ...auth, clientCertificates: { uris: { 'spiffe://example.org/ns/prod/sa/users': 'users' } } },
    });
    await using spiffeMapped = connect(mapped, certificates.spiffe);
    expect((await spiffeMapped.post('/send/orders.create', envelope('users'))).status).toBe(200);
    expect((await spiffeMapped.post('/send/orders.create', envelope('orders'))).status).toBe(403);
  });

  it('refuses a certificate that names two services', async () => {
    await using bus = await startCertificateBus();
    await using both = connect(bus, certificates.both);
    const answer = await both.post('/send/orders.create', envelope('users'));
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('names several services');
  });

  it('refuses at the TLS layer a certificate another CA signed, whatever it names', async () => {
    await using bus = await startCertificateBus();
    await using forged = connect(bus, certificates.forged);
    await expect(forged.post('/send/orders.create', envelope('users'))).rejects.toThrow();
    expect(bus.counters.received).toBe(0);
  });

  it('reads clientCertificates from a credentials file, and names what is wrong in it', () => {
    const file = '{ "clientCertificates": { "uris": { "spiffe://example.org/users": "users" } } }';
    expect(authFromJson(file, 'tokens.json')).toEqual({
      services: {},
      clientCertificates: { uris: { 'spiffe://example.org/users': 'users' } },
    });
    expect(() => authFromJson('{ "clientCertificates": { "uris": { "spiffe://x": "" } } }', 'tokens.json')).toThrow(
      'tokens.json.clientCertificates.uris.spiffe://x must be a service name',
    );
    expect(() => authFromJson('{ "clientCertificates": true }', 'tokens.json')).toThrow(ConfigError);
  });

  it('needs tls.ca to authenticate by certificate', async () => {
    await expect(startExoCom({ port: 0, auth, tls: certificates.bus })).rejects.toThrow(ConfigError);
    await expect(startExoCom({ port: 0, auth })).rejects.toThrow(/needs tls\.ca/);
  });
});

describe('subjectAltUris', () => {
  it('reads the URI entries, quoted ones too, and nothing past what it cannot read', () => {
    expect(subjectAltUris('URI:exorelay:service/users, IP Address:127.0.0.1')).toEqual(['exorelay:service/users']);
    expect(subjectAltUris('DNS:a.example, URI:"exorelay:service/a,b", URI:spiffe://x/y')).toEqual([
      'exorelay:service/a,b',
      'spiffe://x/y',
    ]);
    expect(subjectAltUris(undefined)).toEqual([]);
    expect(subjectAltUris('garbage, URI:exorelay:service/users')).toEqual([]);
  });
});
