import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { createFrontendBridge, type FrontendBridgeOptions, pipeToSSE, SSEConfigError } from '../src/index.js';

/** A relay that is never started: the options are checked before anything is sent. */
function idleRelay() {
  return new ExoRelay({ serviceName: 'web', exocomPort: 1 });
}

describe('createFrontendBridge options', () => {
  const refusals: [string, (relay: ExoRelay) => FrontendBridgeOptions, string][] = [
    [
      'no relay',
      () => ({ allow: {} }) as unknown as FrontendBridgeOptions,
      'createFrontendBridge needs the relay of the API server: { relay }',
    ],
    [
      'no allow-list',
      (relay) => ({ relay }) as FrontendBridgeOptions,
      "createFrontendBridge needs an allow-list: { allow: { send: ['…'], receive: ['…'] } }",
    ],
    [
      'a reserved name',
      (relay) => ({ relay, allow: { send: ['exo.error'] } }),
      "allow.send cannot hold 'exo.error': names starting with 'exo.' belong to the protocol",
    ],
    [
      'a name that is not a string',
      (relay) => ({ relay, allow: { receive: [42 as unknown as string] } }),
      'allow.receive must hold message names, got 42',
    ],
    [
      'a bad body limit',
      (relay) => ({ relay, allow: {}, bodyLimit: -1 }),
      'bodyLimit must be a positive number, got -1',
    ],
    [
      'a relative basePath',
      (relay) => ({ relay, allow: {}, basePath: 'bridge' }),
      `basePath must start with '/', got "bridge"`,
    ],
    [
      'an authorize that is no function',
      (relay) => ({ relay, allow: {}, authorize: true as unknown as () => boolean }),
      'authorize must be a function',
    ],
  ];

  it.each(refusals)('refuses %s with an SSEConfigError', (_case, options, message) => {
    const relay = idleRelay();
    let thrown: unknown;
    try {
      createFrontendBridge(options(relay));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SSEConfigError);
    expect((thrown as Error).message).toBe(message);
  });

  it('refuses to push a name the relay already handles', () => {
    const relay = idleRelay();
    relay.registerHandler('users.created', () => {});

    expect(() => createFrontendBridge({ relay, allow: { receive: ['users.created'] } })).toThrow(
      "the relay already handles 'users.created'; the bridge needs its own handler to push it to browsers",
    );
  });

  it('registers a handler on the relay for every pushed name', () => {
    const relay = idleRelay();

    createFrontendBridge({ relay, allow: { receive: ['users.created', 'users.deleted'] } });

    expect(relay.hasHandler('users.created')).toBe(true);
    expect(relay.hasHandler('users.deleted')).toBe(true);
  });
});

describe('pipeToSSE options', () => {
  it('refuses a heartbeat interval that is not a positive number', () => {
    const stream = (async function* () {})();
    expect(() => pipeToSSE(stream, undefined as never, { heartbeatInterval: 0 })).toThrow(
      'heartbeatInterval must be a positive number of ms, got 0',
    );
  });
});
