import { RemoteError } from 'exorelay';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { deferred } from '../support.js';

export const forgottenReplierCases: CaseGroup = {
  'a replier that goes away after progress: the requester gets the progress, then a final error at once': async (
    fixture,
  ) => {
    const progressed = deferred<void>();
    const replier = await fixture.createRelay('files', {
      relayOptions: { drainTimeout: 50 },
      setup: (relay) =>
        relay.registerHandler('file.copy', async (_payload, { reply, signal }) => {
          await reply.progress('file.copying', 10);
          progressed.resolve();
          // Never finishes on its own: close() gives up on it.
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
        }),
    });
    const web = await fixture.createRelay('web');
    const seen: unknown[] = [];
    const failure = (async () => {
      for await (const reply of web.send('file.copy', {}, { timeout: 30_000 })) seen.push(reply.payload);
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await progressed.promise;
    await replier.close();
    const error = await failure;
    expect(seen).toEqual([10]);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteCode: 'HANDLER_FAILED' });
  },
};
