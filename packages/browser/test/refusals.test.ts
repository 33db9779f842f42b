import { rejectionOf } from '@exorelay/conformance';
import type { RelayContracts } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { createBrowserRelay, RefusedError } from '../src/index.js';
import { startBridgeLandscape } from './support/bridge-landscape.js';

const handlers = {
  'users.create': (user: unknown, { reply }: { reply: (o: string, p: unknown) => Promise<void> }) =>
    reply('users.created', user),
};

const contracts: RelayContracts = {
  validatePayload: (name, payload) => {
    if (name !== 'users.create') return undefined;
    return typeof (payload as { name?: unknown })?.name === 'string'
      ? { ok: true, value: payload }
      : { ok: false, issues: ['name: expected a string'] };
  },
  validateReply: () => undefined,
  isFinal: () => undefined,
};

async function refusalOf(promise: Promise<unknown>): Promise<RefusedError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(RefusedError);
  return error as RefusedError;
}

describe('refusals by the bridge', () => {
  it('401 when authorize finds no user: the headers option carries the credentials', async () => {
    await using landscape = await startBridgeLandscape({
      handlers,
      bridge: {
        allow: { send: ['users.create'] },
        authorize: (request) => request.headers.authorization === 'Bearer ok',
      },
    });
    const anonymous = createBrowserRelay({ url: landscape.url });
    const signedIn = createBrowserRelay({ url: landscape.url, headers: () => ({ authorization: 'Bearer ok' }) });

    const refused = await refusalOf(anonymous.request('users.create', { name: 'Q' }));

    expect(refused).toMatchObject({ code: 'EXORELAY_REFUSED', status: 401, reason: 'not authenticated' });
    expect(await signedIn.request('users.create', { name: 'Q' })).toMatchObject({ outcome: 'users.created' });
  });

  it('403 for a message that is not public, and the send never reaches the bus', async () => {
    await using landscape = await startBridgeLandscape({ handlers, bridge: { allow: { send: [] } } });
    const client = createBrowserRelay({ url: landscape.url });

    const refused = await refusalOf(client.send('users.create', { name: 'Q' }).sent);

    expect(refused).toMatchObject({ status: 403, reason: "message 'users.create' is not public" });
    expect(refused.message).toBe(
      "the bridge refused 'users.create' with status 403: message 'users.create' is not public",
    );
    expect(landscape.bus.counters.received).toBe(0);
  });

  it('413 for a payload over the body limit', async () => {
    await using landscape = await startBridgeLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, bodyLimit: 100 },
    });
    const client = createBrowserRelay({ url: landscape.url });

    const refused = await refusalOf(client.request('users.create', { name: 'Q'.repeat(200) }));

    expect(refused.status).toBe(413);
  });

  it("422 when the server's contracts refuse the payload", async () => {
    await using landscape = await startBridgeLandscape({ handlers, web: { contracts } });
    const client = createBrowserRelay({ url: landscape.url });

    const refused = await refusalOf(client.request('users.create', { name: 7 }));

    expect(refused.status).toBe(422);
    expect(refused.reason).toContain('name: expected a string');
  });
});
