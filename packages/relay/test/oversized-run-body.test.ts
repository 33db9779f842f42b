import { postWithNodeHttp } from '@exorelay/conformance';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { listeningRelay } from './support/relay-fixture.js';

const limitText = 'message body is larger than the limit of 1048576 bytes';
const fiveMiB = JSON.stringify({ requestId: 'big', payload: 'x'.repeat(5 * 1024 * 1024) });

/** A relay with the default body limit (1 MiB) that handles `users.create`, not registered anywhere. */
function relayTakingUsersCreate() {
  return listeningRelay(1, {
    http: { register: false },
    setup: (relay) => relay.registerHandler('users.create', () => {}),
  });
}

describe("a body over the limit on the relay's POST /run", () => {
  it('a 5 MiB POST from node:http reads 413 with the reason, not EPIPE', async () => {
    await using relay = await relayTakingUsersCreate();

    await expect(postWithNodeHttp(`http://127.0.0.1:${relay.port}/run/users.create`, fiveMiB)).resolves.toEqual({
      status: 413,
      text: limitText,
    });
  });

  it('a 5 MiB POST from undici reads 413 with the reason', async () => {
    await using relay = await relayTakingUsersCreate();

    const response = await request(`http://127.0.0.1:${relay.port}/run/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fiveMiB,
    });

    expect(response.statusCode).toBe(413);
    expect(await response.body.text()).toBe(limitText);
  });

  it('a client that waits for 100 Continue (curl-style) gets 413 instead, and never sends the body', async () => {
    await using relay = await relayTakingUsersCreate();

    const answer = await postWithNodeHttp(`http://127.0.0.1:${relay.port}/run/users.create`, fiveMiB, {
      expect: '100-continue',
    });

    expect(answer).toEqual({ status: 413, text: limitText, continued: false });
  });

  it('a body within the limit behind Expect: 100-continue is delivered as usual', async () => {
    await using relay = await relayTakingUsersCreate();

    const answer = await postWithNodeHttp(
      `http://127.0.0.1:${relay.port}/run/users.create`,
      JSON.stringify({ requestId: 'small', sender: 'web' }),
      { expect: '100-continue' },
    );

    expect(answer).toEqual({ status: 200, text: 'OK', continued: true });
  });
});
