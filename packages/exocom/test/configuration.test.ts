import { describe, expect, it } from 'vitest';
import { ConfigError, startExoCom } from '../src/index.js';
import { startBus, startService } from './support/landscape.js';

const post = (port: number, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, text: await response.text() }));

describe('configuration', () => {
  it('routes to a configured instance that never registers', async () => {
    await using bus = await startBus();
    await using users = await startService(
      bus,
      'users',
      { 'users.create': (payload, { reply }) => reply('users.created', payload) },
      { http: { register: false } },
    );
    bus.configure([{ name: 'users', host: '127.0.0.1', port: users.port!, receives: ['users.create'] }]);
    await using web = await startService(bus, 'web');

    await expect(web.request('users.create', 1)).resolves.toMatchObject({ outcome: 'users.created', payload: 1 });
  });

  it('takes the configuration at POST /services, replacing the previous one, and shows it at GET /services', async () => {
    await using bus = await startBus({ services: [{ name: 'old', host: '127.0.0.1', port: 4999, receives: ['x'] }] });
    const landscape = [
      { name: 'users', host: '127.0.0.1', port: 4001, sends: ['users.created'], receives: ['users.create'] },
      { name: 'users', host: '127.0.0.1', port: 4002, receives: ['users.create'] },
    ];

    expect(await post(bus.port, '/services', landscape)).toEqual({ status: 200, text: 'configured' });

    const services = await (await fetch(`http://127.0.0.1:${bus.port}/services`)).json();
    expect(services).toEqual([
      {
        name: 'users',
        sends: ['users.created'],
        translations: [],
        instances: [
          expect.objectContaining({ port: 4001, receives: ['users.create'], sources: ['configuration'] }),
          expect.objectContaining({ port: 4002, receives: ['users.create'], sources: ['configuration'] }),
        ],
      },
    ]);
    expect(bus.status().routes).toEqual({ 'users.create': ['users'] });
  });

  it('keeps registrations when the configuration changes, and prefers what a registered instance says it handles', async () => {
    await using bus = await startBus();
    await using users = await startService(bus, 'users', { 'users.list': () => {} });
    bus.configure([{ name: 'users', host: '127.0.0.1', port: users.port!, receives: ['users.old'] }]);

    expect(bus.status().services[0]?.instances).toEqual([
      expect.objectContaining({ receives: ['users.list'], sources: ['configuration', 'registration'] }),
    ]);
    bus.configure([]);
    expect(bus.status().routes).toEqual({ 'users.list': ['users'] });
  });

  it('refuses a configuration it cannot use, naming the entry, and keeps the previous one', async () => {
    await using bus = await startBus({ services: [{ name: 'users', host: '127.0.0.1', port: 4001, receives: ['a'] }] });

    const cases: [unknown, string][] = [
      [{ name: 'users' }, 'a landscape configuration must be a JSON array of services: [{ name, host, port, … }]'],
      [[{ host: 'x', port: 1 }], 'services[0].name must be a non-empty string'],
      [[{ name: 'users', port: 80 }], 'services[0].host must be a non-empty string when a port is given'],
      [[{ name: 'a' }, { name: 'b', host: 'h', port: 70_000 }], 'services[1].port must be a port number (1–65535)'],
      [[{ name: 'a', receives: 'x' }], 'services[0].receives must be an array of message names'],
      [
        [{ name: 'a', translations: [{ public: 'exo.x', internal: 'y' }] }],
        "services[0].translations[0].public 'exo.x' is reserved for the protocol",
      ],
      [
        [
          {
            name: 'a',
            translations: [
              { public: 'p', internal: 'i' },
              { public: 'p', internal: 'j' },
            ],
          },
        ],
        "services[0].translations[1] translates the public name 'p' a second time",
      ],
      [
        [
          { name: 'a', host: 'h', port: 1 },
          { name: 'b', host: 'h', port: 1 },
        ],
        "h:1 is configured for both 'a' and 'b'",
      ],
    ];
    for (const [body, text] of cases) expect(await post(bus.port, '/services', body)).toEqual({ status: 400, text });

    expect(bus.status().routes).toEqual({ a: ['users'] });
    await expect(startExoCom({ port: 0, services: [{ name: '' }] })).rejects.toBeInstanceOf(ConfigError);
  });
});
