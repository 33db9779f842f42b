import { connect } from 'node:net';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { listeningRelay, postRun } from './support/relay-fixture.js';

const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
const paths = fc.oneof(
  fc.constant('/run/users.create'),
  fc.constant('/status'),
  fc.constant('/run'),
  fc.string().map((tail) => `/run/${encodeURIComponent(tail)}`),
  fc.webPath(),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((tail) => `/${encodeURIComponent(tail)}`),
);
const deepNesting = fc.integer({ min: 1, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const bodies = fc.oneof(
  fc.json(),
  fc.jsonValue().map((value) => JSON.stringify({ requestId: 'r', payload: value })),
  fc
    .record({ requestId: fc.anything(), payload: fc.anything(), seq: fc.anything(), more: fc.anything() })
    .map((value) => JSON.stringify(value) ?? ''),
  fc.json().map((text) => text.slice(0, Math.max(0, text.length - 3))),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  deepNesting,
  fc.integer({ min: 1024, max: 4096 }).map((size) => JSON.stringify({ requestId: 'r', payload: 'x'.repeat(size) })),
);
const contentTypes = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data',
  '',
);

describe('the relay endpoint under random input', () => {
  it('always answers 2xx/4xx and keeps serving', async () => {
    await using relay = await listeningRelay(1, {
      http: { register: false, bodyLimit: 2048 },
      setup: (relay) => relay.registerHandler('users.create', () => {}),
    });
    relay.on('error', () => {});
    await fc.assert(
      fc.asyncProperty(methods, paths, bodies, contentTypes, async (method, path, body, contentType) => {
        const withBody = method !== 'GET' && method !== 'HEAD';
        const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
        const response = await request(`http://127.0.0.1:${relay.port}${path}`, {
          method,
          headers,
          body: withBody ? body : undefined,
        });
        await response.body.dump();
        expect(response.statusCode === 200 || (response.statusCode >= 400 && response.statusCode < 500)).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect((await postRun(relay.port!, 'users.create', { requestId: 'after' })).status).toBe(200);
  });

  it('survives raw garbage, truncated requests and clients that vanish mid-body', async () => {
    await using relay = await listeningRelay(1, {
      http: { register: false },
      setup: (relay) => relay.registerHandler('users.create', () => {}),
    });
    const rawRequests = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 500 }),
      fc.constant('POST /run/users.create HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"requestId":'),
      fc.constant('GET / HTTP/1.1\r\nHost: x\r\nX: \u0000\r\n\r\n'),
      fc.constant('POST /run/users.create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
    );
    await fc.assert(
      fc.asyncProperty(rawRequests, async (raw) => {
        const socket = connect(relay.port!, '127.0.0.1');
        await new Promise<void>((resolve) => {
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          socket.write(raw, 'latin1', () => setTimeout(() => socket.destroy(), 5));
        });
      }),
      { numRuns: 150 },
    );
    expect((await postRun(relay.port!, 'users.create', { requestId: 'after' })).status).toBe(200);
  });
});
