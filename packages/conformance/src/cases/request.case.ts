import { AbortedError, TimeoutError } from 'exorelay';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { deferred, rejectionOf } from '../support.js';

export const requestCases: CaseGroup = {
  'resolves with the first final reply and reports progress on the way': async (fixture) => {
    await fixture.createRelay('files', {
      setup: (relay) =>
        relay.registerHandler('file.copy', async (_payload, { reply }) => {
          await reply.progress('file.copying', 10);
          await reply.progress('file.copying', 90);
          await reply('file.copied', { ok: true });
        }),
    });
    const web = await fixture.createRelay('web');
    const progress: unknown[] = [];
    const reply = await web.request('file.copy', {}, { onProgress: (update) => progress.push(update.payload) });
    expect(reply).toMatchObject({ outcome: 'file.copied', payload: { ok: true }, final: true });
    expect(progress).toEqual([10, 90]);
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  'a multi-level workflow: send, reply, send, reply': async (fixture) => {
    await fixture.createRelay('accounts', {
      setup: (relay) =>
        relay.registerHandler('accounts.debit', (payload, { reply }) =>
          reply('accounts.debited', { ...(payload as object), balance: 90 }),
        ),
    });
    await fixture.createRelay('orders', {
      setup: (relay) =>
        relay.registerHandler('orders.place', async (payload, { request, reply }) => {
          const debit = await request('accounts.debit', { amount: (payload as { price: number }).price });
          await reply('orders.placed', { debit: debit.payload });
        }),
    });
    const web = await fixture.createRelay('web');
    const placed = await web.request('orders.place', { price: 10 });
    expect(placed).toMatchObject({ outcome: 'orders.placed', payload: { debit: { amount: 10, balance: 90 } } });
  },

  'times out with a TimeoutError when no final reply comes': async (fixture) => {
    await fixture.createRelay('silent', { setup: (relay) => relay.registerHandler('silent', () => {}) });
    const web = await fixture.createRelay('web');
    const error = await rejectionOf(web.request('silent', 1, { timeout: 200 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'EXORELAY_TIMEOUT', messageName: 'silent', timeoutMs: 200 });
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  "uses the relay's default timeout": async (fixture) => {
    await fixture.createRelay('silent', { setup: (relay) => relay.registerHandler('silent', () => {}) });
    const web = await fixture.createRelay('web', { relayOptions: { defaultTimeout: 150 } });
    const error = await rejectionOf(web.request('silent'));
    expect(error).toMatchObject({ code: 'EXORELAY_TIMEOUT', timeoutMs: 150 });
  },

  'is cancelled by its AbortSignal': async (fixture) => {
    const received = deferred<void>();
    await fixture.createRelay('silent', {
      setup: (relay) => relay.registerHandler('silent', () => received.resolve()),
    });
    const web = await fixture.createRelay('web');
    const controller = new AbortController();
    const pending = web.request('silent', 1, { signal: controller.signal });
    // Aborted while in flight: the handler has the request and will never answer.
    await received.promise;
    controller.abort(new Error('user left'));
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error.cause as Error).message).toBe('user left');
    expect(web.stats.pendingReplyStreams).toBe(0);
  },

  'an already aborted signal rejects at once': async (fixture) => {
    const web = await fixture.createRelay('web');
    const error = await rejectionOf(web.request('anything', 1, { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'EXORELAY_ABORTED' });
  },
};
