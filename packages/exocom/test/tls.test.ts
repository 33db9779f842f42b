import { ExoRelay } from 'exorelay';
import { Client } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCertificates } from './support/certificates.js';
import { startBus, startService } from './support/landscape.js';

const certificates = makeCertificates();
afterAll(() => certificates.remove());
const tokens = { users: 'users-secret-0123456789abcdef', web: 'web-secret-0123456789abcdef' };
const auth = { services: tokens };

describe('ExoCom over HTTPS', () => {
  it('routes between relays that trust its certificate, and refuses plain HTTP', async () => {
    await using bus = await startBus({ auth, healthCheckInterval: 0, tls: certificates.bus });
    const tls = { ca: certificates.ca };
    await using _users = await startService(
      bus,
      'users',
      { 'users.create': async (payload, { reply }) => reply('users.created', payload) },
      { token: tokens.users, http: { tls } },
    );
    await using web = await startService(bus, 'web', {}, { token: tokens.web, http: { tls } });
    expect((await web.request('users.create', { name: 'Ada' })).outcome).toBe('users.created');
    await expect(fetch(`http://127.0.0.1:${bus.port}/status`)).rejects.toThrow();
  });

  it('refuses a relay that does not trust the certificate', async () => {
    await using bus = await startBus({ auth, healthCheckInterval: 0, tls: certificates.bus });
    const relay = new ExoRelay({
      serviceName: 'web',
      exocomPort: bus.port,
      exocomHost: '127.0.0.1',
      token: tokens.web,
      // HTTPS, but trusting only the public certificate authorities: the test CA is not one.
      http: { retries: 0, tls: {} },
    });
    relay.on('error', () => {});
    await using _relay = Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
    await expect(relay.send('users.create', {}).sent).rejects.toThrow();
  });

  it('with a ca, takes only callers that present a client certificate it signed (mTLS)', async () => {
    await using bus = await startBus({
      auth,
      healthCheckInterval: 0,
      tls: { ...certificates.bus, ca: certificates.ca },
    });
    await using users = await startService(
      bus,
      'users',
      { 'users.create': async (payload, { reply }) => reply('users.created', payload) },
      { token: tokens.users, http: { tls: { ca: certificates.ca, ...certificates.client } } },
    );
    expect(users.port).toBeGreaterThan(0);
    const anonymous = new ExoRelay({
      serviceName: 'web',
      exocomPort: bus.port,
      exocomHost: '127.0.0.1',
      token: tokens.web,
      http: { retries: 0, tls: { ca: certificates.ca } },
    });
    anonymous.on('error', () => {});
    await using _anonymous = Object.assign(anonymous, { [Symbol.asyncDispose]: () => anonymous.close() });
    await expect(anonymous.send('users.create', {}).sent).rejects.toThrow();
  });

  it('delivers /run over HTTPS to a relay that takes only the bus’s client certificate', async () => {
    await using bus = await startBus({
      auth,
      healthCheckInterval: 0,
      deliveryTls: { ca: certificates.ca, ...certificates.bus },
    });
    await using users = await startService(
      bus,
      'users',
      { 'users.create': async (payload, { reply }) => reply('users.created', payload) },
      { token: tokens.users, http: { inbound: { tls: { ...certificates.relay, ca: certificates.ca } } } },
    );
    // deliveryTls applies to every instance: the requester takes its reply over HTTPS too.
    await using web = await startService(
      bus,
      'web',
      {},
      { token: tokens.web, http: { inbound: { tls: { ...certificates.relay, ca: certificates.ca } } } },
    );
    expect((await web.request('users.create', { name: 'Ada' })).outcome).toBe('users.created');
    // Anybody else, even over HTTPS and trusting the relay's certificate, has no client certificate.
    const stranger = new Client(`https://127.0.0.1:${users.port}`, { connect: { ca: certificates.ca } });
    await using _stranger = { [Symbol.asyncDispose]: () => stranger.destroy() };
    const run = { method: 'POST' as const, path: '/run/users.create', body: '{}' };
    await expect(stranger.request(run)).rejects.toThrow();
    // The same request with the bus's client certificate reaches the relay.
    const busLike = new Client(`https://127.0.0.1:${users.port}`, {
      connect: { ca: certificates.ca, ...certificates.bus },
    });
    await using _busLike = { [Symbol.asyncDispose]: () => busLike.destroy() };
    const answer = await busLike.request(run);
    expect(answer.statusCode).toBe(400);
    await answer.body.dump();
  });
});
