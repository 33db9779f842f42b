import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { listeningRelay, postRaw, postRun } from './support/relay-fixture.js';

async function relayWithHandler() {
  const handled: unknown[] = [];
  const relay = await listeningRelay(1, {
    http: { register: false },
    setup: (relay) => relay.registerHandler('users.create', (payload) => void handled.push(payload)),
  });
  return Object.assign(relay, { handled });
}

describe('the relay HTTP endpoint', () => {
  it('GET /status answers 200 with what the relay handles', async () => {
    await using relay = await relayWithHandler();
    const response = await request(`http://127.0.0.1:${relay.port}/status`);
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({
      status: 'online',
      serviceName: 'test-service',
      handles: ['users.create'],
    });
  });

  it('POST /run/NAME answers 200 and runs the handler', async () => {
    await using relay = await relayWithHandler();
    const answer = await postRun(relay.port!, 'users.create', { requestId: randomUUID(), payload: { name: 'x' } });
    expect(answer).toEqual({ status: 200, text: 'OK' });
    await expect.poll(() => relay.handled).toEqual([{ name: 'x' }]);
  });

  const refusals: Array<[string, string, string | Buffer, Record<string, string> | undefined, number, string]> = [
    ['no request id', '/run/users.create', '{"payload":1}', undefined, 400, 'missing request id'],
    ['an unknown message', '/run/users.delete', `{"requestId":"1"}`, undefined, 404, "unknown message: 'users.delete'"],
    ['/run without a name', '/run', `{"requestId":"1"}`, undefined, 404, 'missing message name'],
    ['/run/ without a name', '/run/', `{"requestId":"1"}`, undefined, 404, 'missing message name'],
    ['malformed JSON', '/run/users.create', '{"requestId":', undefined, 400, 'malformed JSON in the message body'],
    ['a JSON array', '/run/users.create', '[1,2]', undefined, 400, 'message body must be a JSON object, got an array'],
    ['JSON null', '/run/users.create', 'null', undefined, 400, 'message body must be a JSON object, got null'],
    ['a numeric requestId', '/run/users.create', '{"requestId":5}', undefined, 400, 'requestId must be a string'],
    [
      'a bad seq',
      '/run/users.create',
      '{"requestId":"1","seq":-1}',
      undefined,
      400,
      'seq must be a non-negative integer',
    ],
    ['a malformed name', '/run/%E0%A4%A', '{"requestId":"1"}', undefined, 400, 'malformed message name'],
    ['a path that is not /run', '/send/x', '{}', undefined, 404, 'not found: /send/x'],
    ['a non-JSON content type', '/run/users.create', 'x', { 'content-type': 'text/plain' }, 415, 'content-type'],
  ];
  for (const [what, path, body, headers, status, text] of refusals) {
    it(`answers ${status} for ${what}`, async () => {
      await using relay = await relayWithHandler();
      const answer = await postRaw(relay.port!, path, body, headers);
      expect(answer.status).toBe(status);
      expect(answer.text).toContain(text);
      expect(relay.handled).toEqual([]);
    });
  }

  it('answers 405 to GET /run/NAME', async () => {
    await using relay = await relayWithHandler();
    const response = await request(`http://127.0.0.1:${relay.port}/run/users.create`);
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    await response.body.text();
  });

  it('answers 413 to a body over the limit, and keeps serving', async () => {
    await using relay = await listeningRelay(1, {
      http: { register: false, bodyLimit: 1024 },
      setup: (relay) => relay.registerHandler('users.create', () => {}),
    });
    const big = JSON.stringify({ requestId: '1', payload: 'x'.repeat(2048) });
    const answer = await postRun(relay.port!, 'users.create', JSON.parse(big));
    expect(answer.status).toBe(413);
    expect(answer.text).toBe('message body is larger than the limit of 1024 bytes');
    expect((await postRun(relay.port!, 'users.create', { requestId: '2' })).status).toBe(200);
  });

  it('answers 413 to a chunked body that grows over the limit', async () => {
    await using relay = await listeningRelay(1, {
      http: { register: false, bodyLimit: 1024 },
      setup: (relay) => relay.registerHandler('users.create', () => {}),
    });
    async function* chunks() {
      yield Buffer.from('{"requestId":"1","payload":"');
      for (let index = 0; index < 10; index += 1) yield Buffer.from('y'.repeat(200));
      yield Buffer.from('"}');
    }
    const response = await request(`http://127.0.0.1:${relay.port}/run/users.create`, {
      method: 'POST',
      body: Readable.from(chunks()),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(413);
    await response.body.text();
    expect((await postRun(relay.port!, 'users.create', { requestId: '2' })).status).toBe(200);
  });
});
