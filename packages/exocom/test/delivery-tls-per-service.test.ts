import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, type ExoComOptions, startExoCom } from '../src/index.js';
import { makeAuthority } from './support/certificates.js';
import { startCli, startListening } from './support/cli-process.js';
import { startBus, startService } from './support/landscape.js';

/** The bus's own CA: its client certificate, and the relays the bus-wide deliveryTls trusts. */
const busAuthority = makeAuthority('bus-ca');
/** The CA of the team that runs `users`: the bus-wide deliveryTls does not trust it. */
const usersAuthority = makeAuthority('users-ca');
afterAll(() => {
  busAuthority.remove();
  usersAuthority.remove();
});
const certificates = {
  busClient: busAuthority.sign('bus', 'bus', 'extendedKeyUsage=clientAuth'),
  orders: busAuthority.sign('orders', 'orders', 'subjectAltName=IP:127.0.0.1'),
  users: usersAuthority.sign('users', 'users', 'subjectAltName=IP:127.0.0.1'),
  /** Valid for a name only, not for the address the relay registers. */
  usersByName: usersAuthority.sign('users-internal', 'users', 'subjectAltName=DNS:users.internal'),
};
const usersCa = usersAuthority.ca.toString();
const handlers = {
  users: {
    'users.create': async (payload, { reply }) => reply('users.created', payload),
  } satisfies Parameters<typeof startService>[2],
};

function startQuietBus(options: ExoComOptions) {
  return startBus({ healthCheckInterval: 0, deliveryRetries: 0, ...options });
}

describe('deliveryTls per service', () => {
  it('delivers to one service over HTTPS with its CA and to another over plain HTTP', async () => {
    await using bus = await startQuietBus({ services: [{ name: 'users', deliveryTls: { ca: usersCa } }] });
    await using _users = await startService(bus, 'users', handlers.users, {
      http: { inbound: { tls: certificates.users } },
    });
    // web serves plain HTTP: the reply reaches it so.
    await using web = await startService(bus, 'web');
    expect(await web.request('users.create', { name: 'Ada' })).toMatchObject({
      outcome: 'users.created',
      payload: { name: 'Ada' },
    });
  });

  it('keeps the bus-wide deliveryTls for the others, and its client certificate for all', async () => {
    await using bus = await startQuietBus({
      deliveryTls: { ca: busAuthority.ca, ...certificates.busClient },
      services: [
        { name: 'users', deliveryTls: { ca: usersCa } },
        { name: 'web', deliveryTls: false },
      ],
    });
    // Both take /run only from a caller presenting a certificate of the bus's CA: the bus.
    const requireBus = { ca: busAuthority.ca };
    await using _users = await startService(bus, 'users', handlers.users, {
      http: { inbound: { tls: { ...certificates.users, ...requireBus } } },
    });
    await using _orders = await startService(
      bus,
      'orders',
      { 'orders.create': async (payload, { reply }) => reply('orders.created', payload) },
      { http: { inbound: { tls: { ...certificates.orders, ...requireBus } } } },
    );
    await using web = await startService(bus, 'web');
    expect((await web.request('users.create', 1)).outcome).toBe('users.created');
    expect((await web.request('orders.create', 2)).outcome).toBe('orders.created');
  });

  it('without its own CA the service is not reached; a new landscape reconnects its instances', async () => {
    await using bus = await startQuietBus({ services: [{ name: 'users', deliveryTls: { ca: usersCa } }] });
    await using _users = await startService(bus, 'users', handlers.users, {
      http: { inbound: { tls: certificates.usersByName } },
    });
    await using web = await startService(bus, 'web');
    // The certificate names users.internal, the instance registered 127.0.0.1.
    await expect(web.request('users.create', 1)).rejects.toMatchObject({ remoteCode: 'DELIVERY_FAILED' });
    bus.configure([{ name: 'users', deliveryTls: { ca: usersCa, servername: 'users.internal' } }]);
    expect((await web.request('users.create', 2)).outcome).toBe('users.created');
    bus.configure([{ name: 'users' }]);
    await expect(web.request('users.create', 3)).rejects.toMatchObject({ remoteCode: 'DELIVERY_FAILED' });
  });

  it('refuses a landscape with a private key, a CA that is not PEM, or two settings for one service', async () => {
    const start = (services: unknown) => startExoCom({ port: 0, services: services as ExoComOptions['services'] });
    await expect(start([{ name: 'users', deliveryTls: { ca: usersCa, key: 'x' } }])).rejects.toThrow(
      /services\[0\]\.deliveryTls takes only ca and servername, not 'key'/,
    );
    await expect(start([{ name: 'users', deliveryTls: { ca: 'ca.pem' } }])).rejects.toThrow(ConfigError);
    await expect(start([{ name: 'users', deliveryTls: true }])).rejects.toThrow(/must be false/);
    await expect(
      start([
        { name: 'users', host: '127.0.0.1', port: 4001, deliveryTls: false },
        { name: 'users', host: '127.0.0.1', port: 4002, deliveryTls: { ca: usersCa } },
      ]),
    ).rejects.toThrow(/different deliveryTls/);
  });

  it('from the CLI: a --config entry reads its CA from caFile, relative to the file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'exocom-delivery-tls-'));
    await using _directory = { [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }) };
    await writeFile(join(directory, 'users-ca.pem'), usersAuthority.ca);
    const config = join(directory, 'landscape.json');
    await writeFile(config, JSON.stringify([{ name: 'users', deliveryTls: { caFile: 'users-ca.pem' } }]));
    await using cli = startCli(['--port', '0', '--quiet', '--config', config]);
    const port = await startListening(cli);
    const relayOn = async (serviceName: string, options: Partial<RelayOptions<UntypedMessages>> = {}) => {
      const relay = new ExoRelay({ serviceName, exocomPort: port, exocomHost: '127.0.0.1', ...options });
      relay.registerHandlers(serviceName === 'users' ? handlers.users : {});
      await relay.listen(0);
      return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
    };
    await using _users = await relayOn('users', { http: { inbound: { tls: certificates.users } } });
    await using web = await relayOn('web');
    expect((await web.request('users.create', 1)).outcome).toBe('users.created');
  });
});
