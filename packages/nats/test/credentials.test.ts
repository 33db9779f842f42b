import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { NatsAuthenticationError, type NatsTransportOptions, NatsUnreachableError } from '@exorelay/nats';
import { BusUnreachableError } from 'exorelay';
import { nkeyAuthenticator, nkeys } from 'nats';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

type Connection = NonNullable<NatsTransportOptions['connection']>;

/** A nats-server whose configuration file (written to a private temp folder) demands `authorization`. */
async function startServerWith(authorization: string) {
  const folder = await mkdtemp(join(tmpdir(), 'exorelay-nats-auth-'));
  const configFile = join(folder, 'nats.conf');
  await writeFile(configFile, `authorization {\n${authorization}\n}\n`, { mode: 0o600 });
  const server = await startNatsServer({ configFile });
  return Object.assign(server, {
    [Symbol.asyncDispose]: async () => {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
  });
}

/** `users` answers `users.get` and `web` asks it, each connecting with its own credentials. */
async function roundTrip(url: string, users: Connection, web: Connection): Promise<unknown> {
  await using _users = await startNatsRelay(url, 'users', {
    setup: (relay) => relay.registerHandler('users.get', (id, { reply }) => reply('users.found', id)),
    transport: { connection: users },
  });
  await using requester = await startNatsRelay(url, 'web', { listen: false, transport: { connection: web } });
  return (await requester.request('users.get', 7)).payload;
}

/** Connects with `connection`, expecting NATS to refuse it: returns what listen() and a send raised and what was emitted. */
async function refusal(url: string, connection: Connection) {
  await using relay = await startNatsRelay(url, 'users', { listen: false, transport: { connection } });
  const emitted: Error[] = [];
  relay.on('error', (error) => emitted.push(error));
  const listening = await relay.listen().catch((error: Error) => error);
  const sending = await relay.request('users.get', 7).catch((error: Error) => error);
  return { listening, sending, emitted };
}

/** Every way an error reaches a log, checked for `secret`. */
function expectNoSecret(errors: unknown[], secret: string): void {
  for (const error of errors) {
    expect(inspect(error, { depth: 10 })).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String(error)).not.toContain(secret);
  }
}

function expectAuthenticationFailure(error: unknown): void {
  expect(error).toBeInstanceOf(NatsAuthenticationError);
  expect(error).toBeInstanceOf(BusUnreachableError);
  expect(error).not.toBeInstanceOf(NatsUnreachableError);
  expect(error).toMatchObject({ code: 'EXORELAY_NATS_AUTHENTICATION_FAILED', reason: 'AUTHORIZATION_VIOLATION' });
  expect((error as Error).message).toContain("refused this relay's credentials");
}

describe('NATS credentials', () => {
  const token = 'nats-token-0123456789abcdef';

  it('a token: the right one carries a request and its reply', async () => {
    await using server = await startServerWith(`token: "${token}"`);
    expect(await roundTrip(server.url, { token }, { token })).toBe(7);
  });

  it('a token: a wrong or missing one fails listen() and sends with NatsAuthenticationError', async () => {
    await using server = await startServerWith(`token: "${token}"`);
    const wrong = 'wrong-token-0123456789abcdef';
    const { listening, sending, emitted } = await refusal(server.url, { token: wrong });
    expectAuthenticationFailure(listening);
    expectAuthenticationFailure(sending);
    expect(emitted).toContain(listening);
    expectNoSecret([listening, sending, ...emitted], wrong);
    expectAuthenticationFailure((await refusal(server.url, {})).listening);
  });

  const password = 'users-password-0123456789abcdef';
  const users = `users = [
  { user: "users", password: "${password}" }
  { user: "web", password: "web-password-0123456789abcdef" }
]`;

  it('a user and password: the right ones carry a request and its reply', async () => {
    await using server = await startServerWith(users);
    const web = { user: 'web', pass: 'web-password-0123456789abcdef' };
    expect(await roundTrip(server.url, { user: 'users', pass: password }, web)).toBe(7);
  });

  it('a user and password: a wrong password is refused, and shown nowhere', async () => {
    await using server = await startServerWith(users);
    const wrong = 'wrong-password-0123456789abcdef';
    const { listening, sending, emitted } = await refusal(server.url, { user: 'users', pass: wrong });
    expectAuthenticationFailure(listening);
    expectAuthenticationFailure(sending);
    expectNoSecret([listening, sending, ...emitted], wrong);
  });

  it('credentials in the server URL never reach the error', async () => {
    await using server = await startServerWith(users);
    const url = `nats://users:${password}x@127.0.0.1:${server.port}`;
    const { listening, emitted } = await refusal(url, {});
    expectAuthenticationFailure(listening);
    expect((listening as NatsAuthenticationError).servers).toEqual([`nats://***@127.0.0.1:${server.port}`]);
    expectNoSecret([listening, ...emitted], password);
  });

  it('an nkey: the user whose public key the server lists is let in, another is not', async () => {
    const known = nkeys.createUser();
    const other = nkeys.createUser();
    await using server = await startServerWith(`users = [ { nkey: "${known.getPublicKey()}" } ]`);
    const connection = { authenticator: nkeyAuthenticator(known.getSeed()) };
    expect(await roundTrip(server.url, connection, connection)).toBe(7);
    const seed = new TextDecoder().decode(other.getSeed());
    const { listening, emitted } = await refusal(server.url, { authenticator: nkeyAuthenticator(other.getSeed()) });
    expectAuthenticationFailure(listening);
    expectNoSecret([listening, ...emitted], seed);
  });
});
