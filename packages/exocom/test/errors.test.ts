import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DeliveryFailedError,
  ExoComError,
  isExoComError,
  PortInUseError,
  startExoCom,
  TimeoutError,
} from '../src/index.js';
import { startBus } from './support/landscape.js';

describe('errors', () => {
  const scenarios: [ExoComError, string, string, string][] = [
    [
      new ConfigError('must be a port', 'services[0].port'),
      'ConfigError',
      'EXOCOM_CONFIG',
      'services[0].port must be a port',
    ],
    [new PortInUseError(3100), 'PortInUseError', 'EXOCOM_PORT_IN_USE', 'port 3100 is already in use'],
    [
      new TimeoutError("an instance of 'users'", 50),
      'TimeoutError',
      'EXOCOM_TIMEOUT',
      "timed out after 50 ms waiting for an instance of 'users'",
    ],
    [
      new DeliveryFailedError('users.create', 'r1', 'users', 'h:1', 'status 404: nope', 404),
      'DeliveryFailedError',
      'EXOCOM_DELIVERY_FAILED',
      "could not deliver 'users.create' to users at h:1: status 404: nope",
    ],
  ];

  it.each(scenarios)('%s has its name, code and message', (error, name, code, message) => {
    expect(error).toBeInstanceOf(ExoComError);
    expect(error).toBeInstanceOf(Error);
    expect(isExoComError(error)).toBe(true);
    expect({ name: error.name, code: error.code, message: error.message }).toEqual({ name, code, message });
  });

  it('recognises errors from another copy of the package by their brand', () => {
    const foreign = Object.defineProperty(
      new Error('port 1 is already in use'),
      Symbol.for('exocom.error.EXOCOM_PORT_IN_USE'),
      {
        value: true,
      },
    );

    expect(foreign).toBeInstanceOf(PortInUseError);
    expect(foreign).not.toBeInstanceOf(ConfigError);
  });

  it('fails startExoCom with PortInUseError when the port is taken', async () => {
    await using bus = await startBus();

    await expect(startExoCom({ port: bus.port })).rejects.toMatchObject({ code: 'EXOCOM_PORT_IN_USE', port: bus.port });
  });

  it('fails waitForInstance with TimeoutError', async () => {
    await using bus = await startBus();

    await expect(bus.waitForInstance({ service: 'users' }, { timeout: 20 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('refuses options it cannot use', async () => {
    await expect(startExoCom({ port: -1 })).rejects.toThrow('port must be a port number or 0, got -1');
    await expect(startExoCom({ port: 0, loadBalancing: 'random' as 'round-robin' })).rejects.toThrow(
      "loadBalancing must be 'round-robin' or 'least-in-flight', got 'random'",
    );
    await expect(startExoCom({ port: 0, deliveryRetries: 1.5 })).rejects.toThrow(
      'deliveryRetries must be 0 or a positive integer, got 1.5',
    );
  });
});
