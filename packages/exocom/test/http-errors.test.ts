import { connect } from 'node:net';
import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startBus } from './support/landscape.js';

async function call(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await request(`http://127.0.0.1:${port}${path}`, {
    method: method as 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: response.statusCode, text: await response.body.text(), allow: response.headers.allow };
}

describe('HTTP errors', () => {
  it('answers a bad /send with a clear 4xx text', async () => {
    await using bus = await startBus({ bodyLimit: 1000 });
    const envelope = (fields: object) => JSON.stringify({ sender: 'web', requestId: 'r1', ...fields });
    const cases: [string, string, string | undefined, number, string][] = [
      ['POST', '/send/x', '{"sender":', 400, 'malformed JSON in the body: '],
      ['POST', '/send/x', '[1]', 400, 'message body must be a JSON object, got an array'],
      ['POST', '/send/x', JSON.stringify({ sender: 'web' }), 400, 'missing request id'],
      ['POST', '/send/x', envelope({ seq: -1 }), 400, 'seq must be a non-negative integer'],
      [
        'POST',
        '/send/x',
        JSON.stringify({ requestId: 'r1' }),
        400,
        "missing sender: name the sending service in the envelope's 'sender'",
      ],
      [
        'POST',
        '/send/exo.ping',
        envelope({}),
        400,
        "'exo.ping' is a reserved name: names starting with 'exo.' belong to the protocol",
      ],
      ['POST', '/send/%E0%A4%A', envelope({}), 400, 'malformed message name in the path'],
      [
        'POST',
        '/send/x',
        envelope({ payload: 'x'.repeat(2000) }),
        413,
        'message body is larger than the limit of 1000 bytes',
      ],
      ['POST', '/send/', envelope({}), 404, 'missing message name: POST /send/NAME'],
      ['POST', '/nowhere', envelope({}), 404, 'not found: /nowhere'],
      ['GET', '/send/x', undefined, 405, 'use POST for /send/x, not GET'],
      ['DELETE', '/status', undefined, 405, 'use GET for /status, not DELETE'],
      ['POST', '/register', '{}', 400, 'serviceName must be a non-empty string'],
      [
        'POST',
        '/register',
        JSON.stringify({ serviceName: 'a', host: 'h', port: 0, receives: [] }),
        400,
        'port must be a port number (1–65535)',
      ],
      [
        'POST',
        '/register',
        JSON.stringify({ serviceName: 'a', host: 'h', port: 1 }),
        400,
        'receives must be an array of message names',
      ],
      ['POST', '/deregister', JSON.stringify({ serviceName: 'a', host: 'h', port: 1 }), 200, 'not registered'],
    ];
    for (const [method, path, body, status, text] of cases) {
      const answer = await call(bus.port, method, path, body);
      expect({ path, status: answer.status, text: answer.text.slice(0, text.length) }).toEqual({ path, status, text });
    }
    expect(await call(bus.port, 'POST', '/send/x', envelope({}), { 'content-type': 'text/plain' })).toMatchObject({
      status: 415,
      text: 'content-type must be application/json, got text/plain',
    });
    expect((await call(bus.port, 'GET', '/send/x')).allow).toBe('POST');
    expect(bus.counters.received).toBe(0);
  });

  it('answers HEAD /status and /services with the headers of GET, as probes ask', async () => {
    await using bus = await startBus();
    const head = async (path: string) => {
      const response = await request(`http://127.0.0.1:${bus.port}${path}`, { method: 'HEAD', reset: false });
      await response.body.dump();
      return { status: response.statusCode, type: response.headers['content-type'], allow: response.headers.allow };
    };

    expect(await head('/status')).toEqual({ status: 200, type: 'application/json', allow: undefined });
    expect(await head('/services')).toEqual({ status: 200, type: 'application/json', allow: undefined });
    // An event stream would stay open, and subscribe a reader nobody is.
    expect(await head('/events?service=bank')).toMatchObject({ status: 405, allow: 'GET' });
    expect(await head('/dashboard/events')).toMatchObject({ status: 405, allow: 'GET' });
    expect(await head('/send/x')).toMatchObject({ status: 405, allow: 'POST' });
    expect((await call(bus.port, 'DELETE', '/status')).allow).toBe('GET, HEAD');
    expect((await call(bus.port, 'DELETE', '/services')).allow).toBe('GET, HEAD, POST');
    expect(bus.status().services).toEqual([]);
  });

  it('refuses an unknown sender with 403 when told to', async () => {
    await using bus = await startBus({ unknownSenders: 'reject' });

    const answer = await call(bus.port, 'POST', '/send/x', JSON.stringify({ sender: 'stranger', requestId: 'r1' }));

    expect(answer).toMatchObject({
      status: 403,
      text: "unknown sender 'stranger': configure the service or let it register before it sends",
    });
  });

  it('answers anything thrown at it with a status, and keeps serving', async () => {
    await using bus = await startBus({ bodyLimit: 4096 });
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    const path = fc.oneof(
      fc.constantFrom('/send/x', '/send/', '/register', '/deregister', '/services', '/status', '/'),
      fc.string().map((tail) => `/send/${encodeURIComponent(tail)}`),
      fc.webPath(),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 8 }),
      fc.json().map((json) => json.slice(0, Math.floor(json.length / 2))),
      fc
        .record({ sender: fc.string(), requestId: fc.anything(), responseTo: fc.anything(), seq: fc.anything() })
        .map((o) => JSON.stringify(o) ?? ''),
      fc.string({ minLength: 4097, maxLength: 5000 }),
    );
    await fc.assert(
      fc.asyncProperty(method, path, body, async (m, p, b) => {
        const answer = await call(bus.port, m, p, m === 'GET' ? undefined : b);
        expect([200, 400, 404, 405, 413, 415]).toContain(answer.status);
      }),
      { numRuns: 300 },
    );
    expect((await call(bus.port, 'GET', '/status')).status).toBe(200);
  });

  it('keeps serving when senders vanish mid-body: no error reaches the process', async () => {
    await using bus = await startBus();
    const halfBodies = ['/send/x', '/register', '/services'].map(
      (path) =>
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sender":`,
    );
    for (const raw of halfBodies) {
      const socket = connect(bus.port, '127.0.0.1');
      // The bus read the head and waits for the rest of the body when the sender goes away.
      await new Promise<void>((resolve) => socket.write(raw, 'latin1', () => resolve()));
      socket.destroy();
      await new Promise((resolve) => socket.once('close', resolve));
    }

    const answer = await call(bus.port, 'POST', '/send/x', JSON.stringify({ sender: 'web', requestId: 'after' }));

    expect(answer.status).toBe(200);
    expect(bus.counters.received).toBe(1);
  });
});
