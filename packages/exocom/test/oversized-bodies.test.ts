import { once } from 'node:events';
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { postWithNodeHttp as postToBus } from '@exorelay/conformance';
import { request as undiciRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { startBus } from './support/landscape.js';

const limitText = 'message body is larger than the limit of 1048576 bytes';
const fiveMiB = JSON.stringify({ sender: 'web', requestId: 'big', payload: 'x'.repeat(5 * 1024 * 1024) });

/** POSTs to the bus's `/send/users.create` with node:http as a plain client does. */
function postWithNodeHttp(port: number, body: string, headers: Record<string, string> = {}) {
  return postToBus(`http://127.0.0.1:${port}/send/users.create`, body, headers);
}

/** Starts a `POST /send/users.create` with node:http and these headers; the caller writes the body. */
function startUpload(port: number, headers: Record<string, string | number>) {
  return httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/send/users.create',
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The status and text of the answer to `request`. */
async function answerTo(request: ClientRequest): Promise<{ status: number | undefined; text: string }> {
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return { status: response.statusCode, text };
}

describe('a body over the limit', () => {
  it('a 5 MiB POST /send from node:http reads 413 with the reason, not EPIPE', async () => {
    await using bus = await startBus();

    await expect(postWithNodeHttp(bus.port, fiveMiB)).resolves.toEqual({ status: 413, text: limitText });
  });

  it('a 5 MiB POST /send from undici reads 413 with the reason', async () => {
    await using bus = await startBus();

    const response = await undiciRequest(`http://127.0.0.1:${bus.port}/send/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fiveMiB,
    });

    expect(response.statusCode).toBe(413);
    expect(await response.body.text()).toBe(limitText);
  });

  it('a 5 MiB POST /send from fetch reads 413 with the reason', async () => {
    await using bus = await startBus();

    const response = await fetch(`http://127.0.0.1:${bus.port}/send/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fiveMiB,
    });

    expect(response.status).toBe(413);
    expect(await response.text()).toBe(limitText);
  });

  it('a client that waits for 100 Continue (curl-style) gets 413 instead, and never sends the body', async () => {
    await using bus = await startBus();

    await expect(postWithNodeHttp(bus.port, fiveMiB, { expect: '100-continue' })).resolves.toEqual({
      status: 413,
      text: limitText,
      continued: false,
    });
  });

  it('a client that uploads slowly finishes its upload without EPIPE, then reads 413', async () => {
    await using bus = await startBus();
    const request = startUpload(bus.port, { 'content-length': 5 * 1024 * 1024 });
    const errors: Error[] = [];
    request.on('error', (error) => errors.push(error));
    const answered = answerTo(request);
    // One 64 KiB piece per turn of the event loop: the answer comes while the upload goes on.
    const piece = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < 80 && errors.length === 0; sent += 1) {
      if (!request.write(piece)) await once(request, 'drain');
      await new Promise((resolve) => setImmediate(resolve));
    }
    request.end();

    const answer = await answered;
    await once(request, 'close');
    expect({ ...answer, errors }).toEqual({ status: 413, text: limitText, errors: [] });
  });

  it('a body within the limit behind Expect: 100-continue is taken as usual', async () => {
    await using bus = await startBus();

    const small = JSON.stringify({ sender: 'web', requestId: 'small' });
    await expect(postWithNodeHttp(bus.port, small, { expect: '100-continue' })).resolves.toEqual({
      status: 200,
      text: '{"receivers":0}',
      continued: true,
    });
  });

  it('a body without content-length (chunked) that grows past the limit reads 413', async () => {
    await using bus = await startBus();
    const request = startUpload(bus.port, { 'transfer-encoding': 'chunked' });
    const answered = answerTo(request);
    for (let chunk = 0; chunk < 5; chunk += 1) request.write('x'.repeat(1024 * 1024));
    request.end();

    expect(await answered).toEqual({ status: 413, text: limitText });
  });
});
