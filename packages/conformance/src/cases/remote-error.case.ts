import { type ExoRelay, HandlerError, RemoteError } from 'exorelay';
import { pEvent } from 'p-event';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { collect, rejectionOf } from '../support.js';

export const remoteErrorCases: CaseGroup = {
  'a handler that throws answers exo.error; request() rejects with a RemoteError': async (fixture) => {
    const users = await fixture.createRelay('users', {
      setup: (relay) =>
        relay.registerHandler('users.create', () => {
          throw new Error('database is down');
        }),
    });
    const emitted = pEvent<'error', Error>(users as ExoRelay, 'error');
    const web = await fixture.createRelay('web');
    const error = await rejectionOf(web.request('users.create', {}));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteCode: 'HANDLER_FAILED', remoteMessage: 'database is down' });
    const handlerError = await emitted;
    expect(handlerError).toBeInstanceOf(HandlerError);
    expect((handlerError.cause as Error).message).toBe('database is down');
  },

  'a handler that rejects after progress fails the iterated stream after that progress': async (fixture) => {
    const files = await fixture.createRelay('files', {
      setup: (relay) =>
        relay.registerHandler('file.copy', async (_payload, { reply }) => {
          await reply.progress('file.copying', 50);
          throw new Error('disk full');
        }),
    });
    files.on('error', () => {});
    const web = await fixture.createRelay('web');
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const reply of web.send('file.copy')) seen.push(reply.payload);
      })(),
    );
    expect(seen).toEqual([50]);
    expect(error).toMatchObject({ code: 'EXORELAY_REMOTE', remoteCode: 'HANDLER_FAILED', remoteMessage: 'disk full' });
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  'a handler that fails after its final reply sends no second answer': async (fixture) => {
    const users = await fixture.createRelay('users', {
      setup: (relay) =>
        relay.registerHandler('users.get', async (_payload, { reply }) => {
          await reply('users.found', { id: 1 });
          throw new Error('cleanup failed');
        }),
    });
    const emitted = pEvent<'error', Error>(users as ExoRelay, 'error');
    const web = await fixture.createRelay('web');
    const replies = await collect(web.send('users.get'));
    expect(replies.map((reply) => reply.outcome)).toEqual(['users.found']);
    expect((await emitted).message).toContain('cleanup failed');
  },

  'the reserved exo. names cannot be registered or replied': async (fixture) => {
    const errors: Error[] = [];
    const users = await fixture.createRelay('users', {
      setup: (relay) => {
        relay.on('error', (error) => errors.push(error));
        relay.registerHandler('exo.status', () => {});
        relay.registerHandler('users.get', (_payload, { reply }) => reply('exo.error', {}));
      },
    });
    expect(users.hasHandler('exo.status')).toBe(false);
    expect(errors[0]?.message).toContain("names starting with 'exo.' are reserved");
    const web = await fixture.createRelay('web');
    const error = await rejectionOf(web.request('users.get', 1, { timeout: 5_000 }));
    // The refused reply rejected inside the handler, which then failed: the requester hears why.
    expect(error).toMatchObject({ remoteCode: 'HANDLER_FAILED' });
    expect(error.message).toContain("cannot reply 'exo.error'");
  },
};
