import type { RelayContracts } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { AuthorizeFailedError } from '../src/index.js';
import { startApiLandscape } from './support/landscape.js';

const handlers = {
  'users.create': (payload: unknown, { reply }: { reply: (outcome: string, payload: unknown) => Promise<void> }) =>
    reply('users.created', payload),
};

/** Lets in requests that carry `authorization: Bearer letmein`. */
const authorize = (request: { headers: Record<string, string | string[] | undefined> }) =>
  request.headers.authorization === 'Bearer letmein' ? { user: 'alice' } : undefined;

const signedIn = { authorization: 'Bearer letmein', 'content-type': 'application/json' };

/** Contracts in the relay's own interface: `users.create` needs a string `name`. */
const contracts: RelayContracts = {
  validatePayload: (name, payload) => {
    if (name !== 'users.create') return undefined;
    const valid = typeof (payload as { name?: unknown } | undefined)?.name === 'string';
    return valid ? { ok: true, value: payload } : { ok: false, issues: ['name: expected a string'] };
  },
  validateReply: () => undefined,
  isFinal: () => undefined,
};

async function post(url: string, body: string, headers: Record<string, string> = signedIn) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

describe('frontend bridge refusals', () => {
  it('answers 401 when authorize returns nothing, on both routes', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize },
    });

    const send = await post(`${landscape.url}/bridge/send/users.create`, '{"payload":{}}', {
      'content-type': 'application/json',
    });
    const events = await fetch(`${landscape.url}/bridge/events`, { headers: { authorization: 'Bearer guess' } });

    expect(send).toEqual({ status: 401, text: 'not authenticated', contentType: 'text/plain; charset=utf-8' });
    expect(events.status).toBe(401);
    expect(landscape.bridge.connections).toBe(0);
  });

  it('answers 400, not 502, for a payload nested too deeply to send on', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize },
    });
    const depth = 100_000;
    const body = `{"payload":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    const send = await post(`${landscape.url}/bridge/send/users.create`, body);

    expect(send.status).toBe(400);
    expect(send.text).toBe("cannot send 'users.create': its payload is too deeply nested to serialise as JSON");
  });

  it('answers 403 for a message that is not on the allow-list', async () => {
    await using landscape = await startApiLandscape({
      handlers: { ...handlers, 'users.delete-all': () => {} },
      bridge: { allow: { send: ['users.create'] }, authorize },
    });

    const refused = await post(`${landscape.url}/bridge/send/users.delete-all`, '{"payload":{}}');

    expect(refused).toMatchObject({ status: 403, text: "message 'users.delete-all' is not public" });
  });

  it('answers 413 for a body over the limit', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize, bodyLimit: 64 },
    });

    const refused = await post(
      `${landscape.url}/bridge/send/users.create`,
      JSON.stringify({ payload: 'x'.repeat(100) }),
    );

    expect(refused).toMatchObject({ status: 413, text: 'the body is larger than the limit of 64 bytes' });
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize },
    });
    const url = `${landscape.url}/bridge/send/users.create`;

    const malformed = await post(url, '{"payload":');
    const array = await post(url, '[1, 2]');
    const text = await post(url, '"hello"');

    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/^malformed JSON in the body: /);
    expect(array).toMatchObject({ status: 400, text: 'the body must be a JSON object: { "payload": … }' });
    expect(text.status).toBe(400);
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize },
    });

    const refused = await post(`${landscape.url}/bridge/send/users.create`, '{"payload":{}}', {
      authorization: 'Bearer letmein',
      'content-type': 'text/plain',
    });

    expect(refused).toMatchObject({ status: 415, text: 'content-type must be application/json, got text/plain' });
  });

  it("answers 422 with the contract's issues when the relay refuses the payload", async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize },
      web: { contracts },
    });

    const refused = await post(`${landscape.url}/bridge/send/users.create`, '{"payload":{"name":42}}');

    expect(refused.status).toBe(422);
    expect(refused.text).toContain("outgoing payload of 'users.create' breaks its contract");
    expect(refused.text).toContain('name: expected a string');
    expect(landscape.backend.errors).toEqual([]);
  });

  it('answers 405 for the wrong method, 404 for unknown bridge paths, and leaves other paths to next()', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: { allow: { send: ['users.create'] }, authorize },
    });

    const getSend = await fetch(`${landscape.url}/bridge/send/users.create`, { headers: signedIn });
    const postEvents = await post(`${landscape.url}/bridge/events`, '{}');
    const unknown = await fetch(`${landscape.url}/bridge/nothing-here`);
    const outside = await fetch(`${landscape.url}/somewhere-else`);

    expect([getSend.status, getSend.headers.get('allow')]).toEqual([405, 'POST']);
    expect(postEvents.status).toBe(405);
    expect([unknown.status, await unknown.text()]).toEqual([404, 'the bridge has no route /nothing-here']);
    expect([outside.status, await outside.text()]).toEqual([404, 'not the bridge']);
  });

  it('answers 500 and reports the error when authorize throws', async () => {
    await using landscape = await startApiLandscape({
      handlers,
      bridge: {
        allow: { send: ['users.create'] },
        authorize: () => {
          throw new Error('session store down');
        },
      },
    });

    const failed = await post(`${landscape.url}/bridge/send/users.create`, '{"payload":{}}');

    expect(failed).toMatchObject({ status: 500, text: 'authorization failed' });
    expect(landscape.bridgeErrors).toHaveLength(1);
    expect(landscape.bridgeErrors[0]).toBeInstanceOf(AuthorizeFailedError);
    expect(landscape.bridgeErrors[0]?.message).toBe(
      'authorize() failed for /bridge/send/users.create: session store down',
    );
  });
});
