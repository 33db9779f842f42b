import { ConfigError, resolveConfiguration } from '@exorelay/service';
import { describe, expect, it } from 'vitest';
import { startRunner } from './support/runner-process.js';

describe('configuration from the environment, flags as override', () => {
  it('reads the environment and fills in defaults', () => {
    const configuration = resolveConfiguration(
      {},
      { EXOCOM_HOST: 'bus.local', EXOCOM_PORT: '4100', SERVICE_NAME: 'users', PORT: '4001', HEALTH_PORT: '4002' },
    );
    expect(configuration).toMatchObject({
      serviceName: 'users',
      exocomHost: 'bus.local',
      exocomPort: 4100,
      port: 4001,
      healthPort: 4002,
      delivery: 'http',
      transport: 'exocom',
      drainTimeout: 10_000,
    });
  });

  it('lets a flag win over its variable', () => {
    const configuration = resolveConfiguration(
      { 'exocom-port': '5100', name: 'files', delivery: 'sse' },
      { EXOCOM_PORT: '4100', SERVICE_NAME: 'users', EXORELAY_DELIVERY: 'http' },
    );
    expect(configuration).toMatchObject({ exocomPort: 5100, serviceName: 'files', delivery: 'sse' });
  });

  it('reads credentials from the environment only, for ExoCom and for NATS', () => {
    const configuration = resolveConfiguration(
      {},
      {
        EXOCOM_TOKEN: 'users-secret-0123456789abcdef',
        EXOCOM_BUS_TOKEN: 'bus-secret-0123456789abcdef',
        NATS_USER: 'users',
        NATS_PASSWORD: 'nats-password',
        NATS_CA_FILE: '/etc/nats/ca.pem',
      },
    );
    expect(configuration).toMatchObject({
      exocomToken: 'users-secret-0123456789abcdef',
      busToken: 'bus-secret-0123456789abcdef',
      natsConnection: { user: 'users', pass: 'nats-password', tls: { caFile: '/etc/nats/ca.pem' } },
    });
    expect(resolveConfiguration({}, {}).natsConnection).toEqual({});
  });

  it('switches to NATS with EXORELAY_TRANSPORT=nats and NATS_URL', () => {
    const configuration = resolveConfiguration({}, { EXORELAY_TRANSPORT: 'nats', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(configuration).toMatchObject({ transport: 'nats', natsUrl: 'nats://127.0.0.1:4222' });
  });

  it.each([
    [{ EXOCOM_PORT: 'abc' }, "EXOCOM_PORT must be a port number (1–65535), got 'abc'", 'EXOCOM_PORT'],
    [{ PORT: '70000' }, "PORT must be a port number (0–65535), got '70000'", 'PORT'],
    [{ EXORELAY_DELIVERY: 'smoke' }, "EXORELAY_DELIVERY must be 'http' or 'sse', got 'smoke'", 'EXORELAY_DELIVERY'],
    [
      { EXORELAY_TRANSPORT: 'nats' },
      'EXORELAY_TRANSPORT=nats needs NATS_URL (or --nats-url), e.g. nats://127.0.0.1:4222',
      'NATS_URL',
    ],
    [{ DRAIN_TIMEOUT: '-1' }, "DRAIN_TIMEOUT must be a positive number of ms, got '-1'", 'DRAIN_TIMEOUT'],
  ])('refuses %o with a message that names the setting', (environment, message, setting) => {
    expect(() => resolveConfiguration({}, environment)).toThrow(new ConfigError(message, setting));
  });

  it('makes `exoservice run` print one line and exit 2', async () => {
    await using runner = startRunner(['run', 'whatever.ts'], { env: { EXOCOM_PORT: 'not-a-port' } });
    expect(await runner.exited).toBe(2);
    expect(runner.stderr()).toBe("exoservice: EXOCOM_PORT must be a port number (1–65535), got 'not-a-port'\n");
  }, 30_000);

  it('exits 2 on an unknown flag', async () => {
    await using runner = startRunner(['run', '--exocom-prot', '3100']);
    expect(await runner.exited).toBe(2);
    expect(runner.stderr().trim().split('\n')).toHaveLength(1);
    expect(runner.stderr()).toMatch(/^exoservice: Unknown option '--exocom-prot'/);
  }, 30_000);
});
