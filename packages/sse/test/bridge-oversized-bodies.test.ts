import type { Server } from 'node:http';
import { postWithNodeHttp } from '@exorelay/conformance';
import { DEFAULT_BODY_LIMIT } from '@exorelay/protocol';
import { refuseOversizedUploads } from '@exorelay/protocol/node';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startApiLandscape } from './support/landscape.js';

const limitText = 'the body is larger than the limit of 1048576 bytes';
const fiveMiB = JSON.stringify({ payload: 'x'.repeat(5 * 1024 * 1024) });

const handlers = {
  'users.create': (payload: unknown, { reply }: { reply: (outcome: string, payload: unknown) => Promise<void> }) =>
    reply('users.created', payload),
};

/** Wires `refuseOversizedUploads` on the API server as the README shows: the app owns the server. */
const refuseOversized = (server: Server) =>
  refuseOversizedUploads(server, DEFAULT_BODY_LIMIT, (_request, response) => {
    response.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(limitText);
  });

describe('a body over the limit at the frontend bridge', () => {
  it('a 5 MiB POST from node:http reads 413 with the reason, not EPIPE', async () => {
    await using landscape = await startApiLandscape({ handlers });

    await expect(postWithNodeHttp(`${landscape.url}/bridge/send/users.create`, fiveMiB)).resolves.toEqual({
      status: 413,
      text: limitText,
    });
  });

  it('a 5 MiB POST from undici reads 413 with the reason', async () => {
    await using landscape = await startApiLandscape({ handlers });

    const response = await request(`${landscape.url}/bridge/send/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fiveMiB,
    });

    expect(response.statusCode).toBe(413);
    expect(await response.body.text()).toBe(limitText);
  });

  it('a curl-style client (Expect: 100-continue) reads 413 even where the app wired nothing: it uploads, then reads the refusal', async () => {
    await using landscape = await startApiLandscape({ handlers });

    const answer = await postWithNodeHttp(`${landscape.url}/bridge/send/users.create`, fiveMiB, {
      expect: '100-continue',
    });

    expect(answer).toEqual({ status: 413, text: limitText, continued: true });
  });

  it('with refuseOversizedUploads wired on the server, a curl-style client reads 413 and never sends the body', async () => {
    await using landscape = await startApiLandscape({ handlers, setUpServer: refuseOversized });

    const answer = await postWithNodeHttp(`${landscape.url}/bridge/send/users.create`, fiveMiB, {
      expect: '100-continue',
    });

    expect(answer).toEqual({ status: 413, text: limitText, continued: false });
  });

  it('with refuseOversizedUploads wired, a body within the limit behind Expect: 100-continue is sent as usual', async () => {
    await using landscape = await startApiLandscape({ handlers, setUpServer: refuseOversized });

    const answer = await postWithNodeHttp(`${landscape.url}/bridge/send/users.create`, '{"payload":{"name":"alice"}}', {
      expect: '100-continue',
    });

    expect(answer).toMatchObject({ status: 200, continued: true });
    expect(answer.text).toContain('"outcome":"users.created","payload":{"name":"alice"}');
    expect(answer.text).toContain('event: end');
  });
});
