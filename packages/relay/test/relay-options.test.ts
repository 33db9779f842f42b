import { ConfigError, ExoRelay, PortInUseError } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { listeningRelay } from './support/relay-fixture.js';

describe('constructing a relay', () => {
  it('needs exocomPort', () => {
    expect(() => new ExoRelay({ serviceName: 'users' })).toThrow(new ConfigError('exocomPort not provided'));
  });

  it('needs serviceName', () => {
    expect(() => new ExoRelay({ serviceName: '', exocomPort: 3100 })).toThrow('serviceName not provided');
  });

  it("accepts the original spelling 'exocommPort'", () => {
    expect(() => new ExoRelay({ serviceName: 'users', exocommPort: 3100 })).not.toThrow();
  });

  it('refuses an exocomPort that is not a port number', () => {
    expect(() => new ExoRelay({ serviceName: 'users', exocomPort: 'abc' })).toThrow(
      'exocomPort must be a port number, got "abc"',
    );
  });

  it('refuses a non-positive default timeout', () => {
    expect(() => new ExoRelay({ serviceName: 'users', exocomPort: 3100, defaultTimeout: 0 })).toThrow(
      'defaultTimeout must be a positive number, got 0',
    );
  });
});

describe('listen', () => {
  it('resolves with the bound ephemeral port and emits online with it', async () => {
    const relay = new ExoRelay({
      serviceName: 'users',
      exocomPort: 1,
      exocomHost: '127.0.0.1',
      http: { register: false },
    });
    const online = pEvent(relay, 'online');
    const port = await relay.listen(0);
    expect(port).toBeGreaterThan(0);
    expect(await online).toBe(port);
    expect(relay.port).toBe(port);
    const offline = pEvent(relay, 'offline');
    await relay.close();
    await offline;
    expect(relay.port).toBeUndefined();
  });

  it('accepts a numeric string, as from an environment variable', async () => {
    await using first = await listeningRelay(1, { http: { register: false } });
    const second = new ExoRelay({
      serviceName: 'users',
      exocomPort: 1,
      exocomHost: '127.0.0.1',
      http: { register: false },
    });
    second.on('error', () => {});
    await expect(second.listen(String(first.port))).rejects.toThrow(`port ${first.port} is already in use`);
  });

  it('emits and rejects "Non-numerical port provided to ExoRelay#listen"', async () => {
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: 1 });
    const emitted = pEvent<'error', Error>(relay, 'error');
    await expect(relay.listen('abc')).rejects.toThrow('Non-numerical port provided to ExoRelay#listen');
    expect((await emitted).message).toBe('Non-numerical port provided to ExoRelay#listen');
  });

  it('reports a port in use with a PortInUseError', async () => {
    await using first = await listeningRelay(1, { http: { register: false } });
    const second = new ExoRelay({
      serviceName: 'users',
      exocomPort: 1,
      exocomHost: '127.0.0.1',
      http: { register: false },
    });
    const emitted = pEvent<'error', Error>(second, 'error');
    const error = await second.listen(first.port).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error).toMatchObject({ port: first.port, message: `port ${first.port} is already in use` });
    expect(await emitted).toBe(error);
  });

  it('frees the port on close, so it can be bound again', async () => {
    const first = await listeningRelay(1, { http: { register: false } });
    const port = first.port;
    await first.close();
    const second = new ExoRelay({
      serviceName: 'users',
      exocomPort: 1,
      exocomHost: '127.0.0.1',
      http: { register: false },
    });
    await expect(second.listen(port)).resolves.toBe(port);
    await second.close();
  });
});

describe('registering handlers', () => {
  const cases: Array<[string, unknown, unknown, string]> = [
    ['an empty name', '', () => {}, 'No request id provided'],
    ['a name that is not a string', 42, () => {}, 'Request ids must be strings'],
    ['no handler', 'users.create', undefined, 'No message handler provided'],
    ['a handler that is not a function', 'users.create', 'nope', 'Message handler must be a function'],
  ];
  for (const [what, name, handler, text] of cases) {
    it(`refuses ${what}: '${text}'`, async () => {
      const relay = new ExoRelay({ serviceName: 'users', exocomPort: 3100 });
      const emitted = pEvent<'error', Error>(relay, 'error');
      relay.registerHandler(name as string, handler as () => void);
      expect((await emitted).message).toBe(text);
    });
  }

  it('refuses a second handler for the same name', async () => {
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: 3100 });
    relay.registerHandler('users.create', () => {});
    const emitted = pEvent<'error', Error>(relay, 'error');
    relay.registerHandler('users.create', () => {});
    expect((await emitted).message).toBe("There is already a handler for message 'users.create'");
  });

  it('registers several at once and tells which names it handles', () => {
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: 3100 });
    relay.registerHandlers({ 'users.create': () => {}, 'users.list': () => {} });
    expect(relay.hasHandler('users.create')).toBe(true);
    expect(relay.hasHandler('users.list')).toBe(true);
    expect(relay.hasHandler('users.delete')).toBe(false);
  });

  it('unregisters a handler, so the name can be registered again', () => {
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: 3100 });
    relay.registerHandler('users.create', () => {});
    expect(relay.unregisterHandler('users.create')).toBe(true);
    expect(relay.hasHandler('users.create')).toBe(false);
    expect(relay.unregisterHandler('users.create')).toBe(false);
    relay.registerHandler('users.create', () => {});
    expect(relay.hasHandler('users.create')).toBe(true);
  });
});
