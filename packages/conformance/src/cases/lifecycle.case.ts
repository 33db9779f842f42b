import { type ExoRelay, NoRespondersError, RelayClosedError } from 'exorelay';
import { pEvent } from 'p-event';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { collect, deferred, rejectionOf } from '../support.js';

export const lifecycleCases: CaseGroup = {
  'close() ends open reply streams with a RelayClosedError and emits offline': async (fixture) => {
    const started = deferred<void>();
    await fixture.createRelay('slow', {
      setup: (relay) =>
        relay.registerHandler('slow', async (_payload, { reply }) => {
          await reply.progress('started');
          started.resolve();
        }),
    });
    const web = await fixture.createRelay('web');
    const streamed = collect(web.send('slow'));
    const requested = web.request('slow');
    await started.promise;
    const offline = pEvent(web as ExoRelay, 'offline');
    await web.close();
    await offline;
    expect(await rejectionOf(streamed)).toBeInstanceOf(RelayClosedError);
    expect(await rejectionOf(requested)).toBeInstanceOf(RelayClosedError);
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  'a closed relay refuses to send and to listen': async (fixture) => {
    const web = await fixture.createRelay('web');
    await web.close();
    web.on('error', () => {});
    expect(await rejectionOf(web.request('anything'))).toBeInstanceOf(RelayClosedError);
    expect(await rejectionOf(web.listen(0))).toBeInstanceOf(RelayClosedError);
  },

  'close() lets running handlers finish and send their replies': async (fixture) => {
    const entered = deferred<void>();
    const release = deferred<void>();
    const worker = await fixture.createRelay('worker', {
      setup: (relay) =>
        relay.registerHandler('work', async (_payload, { reply }) => {
          entered.resolve();
          await release.promise;
          await reply('worked');
        }),
    });
    const web = await fixture.createRelay('web');
    const result = web.request('work');
    await entered.promise;
    const closed = worker.close();
    release.resolve();
    await closed;
    expect((await result).outcome).toBe('worked');
  },

  'a request nobody receives fails at once with a NoRespondersError': async (fixture) => {
    const web = await fixture.createRelay('web');
    const error = await rejectionOf(web.request('nobody.handles.this', {}, { timeout: 10_000 }));
    expect(error).toBeInstanceOf(NoRespondersError);
    expect(error).toMatchObject({ messageName: 'nobody.handles.this' });
  },

  'a fire-and-forget event to nobody is fine': async (fixture) => {
    const web = await fixture.createRelay('web');
    const errors: Error[] = [];
    web.on('error', (error) => errors.push(error));
    const receipt = await web.send('nobody.listens').sent;
    expect(receipt.receivers ?? 0).toBe(0);
    expect(errors).toEqual([]);
  },
};
