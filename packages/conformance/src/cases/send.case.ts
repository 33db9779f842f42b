import { ERROR_OUTCOME } from '@exorelay/protocol';
import type { ExoRelay } from 'exorelay';
import { pEvent } from 'p-event';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { deferred, rejectionOf } from '../support.js';

const payloads: Record<string, unknown> = {
  none: undefined,
  string: 'hello',
  number: 42.5,
  array: [1, 'two', { three: 3 }],
  object: { name: 'Jean-Luc', ranks: ['captain'], nested: { deep: true } },
};

export const sendCases: CaseGroup = {
  'delivers every payload kind intact (none, string, number, array, object)': async (fixture) => {
    const seen: Array<{ payload: unknown; hasPayload: boolean; sender: string | undefined }> = [];
    const done = deferred<void>();
    await fixture.createRelay('receiver', {
      setup: (relay) =>
        relay.registerHandler('payload.check', (payload, { sender }) => {
          seen.push({ payload, hasPayload: payload !== undefined, sender });
          if (seen.length === Object.keys(payloads).length) done.resolve();
        }),
    });
    const sender = await fixture.createRelay('sender');
    for (const payload of Object.values(payloads)) await sender.send('payload.check', payload).sent;
    await done.promise;
    expect(new Set(seen.map((entry) => JSON.stringify(entry.payload)))).toEqual(
      new Set(Object.values(payloads).map((payload) => JSON.stringify(payload))),
    );
    expect(seen.filter((entry) => !entry.hasPayload)).toHaveLength(1);
    expect(seen.every((entry) => entry.sender === 'sender')).toBe(true);
  },

  'message names with spaces and punctuation travel intact': async (fixture) => {
    const got = deferred<unknown>();
    await fixture.createRelay('accounting', {
      setup: (relay) => relay.registerHandler('transfer money/now?', (payload) => got.resolve(payload)),
    });
    const sender = await fixture.createRelay('web');
    sender.send('transfer money/now?', { amount: 3 });
    expect(await got.promise).toEqual({ amount: 3 });
  },

  'stream.sent resolves once the bus took the message': async (fixture) => {
    await fixture.createRelay('receiver', { setup: (relay) => relay.registerHandler('ping', () => {}) });
    const sender = await fixture.createRelay('sender');
    const receipt = await sender.send('ping').sent;
    expect(receipt.receivers ?? 1).toBeGreaterThanOrEqual(1);
  },

  'a handler can send messages of its own': async (fixture) => {
    const audited = deferred<unknown>();
    await fixture.createRelay('audit', {
      setup: (relay) => relay.registerHandler('audit.log', (payload) => audited.resolve(payload)),
    });
    await fixture.createRelay('users', {
      setup: (relay) =>
        relay.registerHandler('users.delete', (payload, { send }) => {
          send('audit.log', { deleted: payload });
        }),
    });
    const web = await fixture.createRelay('web');
    web.send('users.delete', 7);
    expect(await audited.promise).toEqual({ deleted: 7 });
  },

  'bad send input emits errors with the original texts and fails the stream': async (fixture) => {
    const relay = await fixture.createRelay('sender');
    const cases: Array<[() => unknown, string]> = [
      [() => relay.send(''), 'ExoRelay#send cannot send empty messages'],
      [() => relay.send(42 as unknown as string), 'ExoRelay#send can only send string messages'],
      [() => relay.send('x', () => 1), 'ExoRelay#send cannot send functions as payload'],
      [() => relay.send('x', 1, 'nope' as never), 'The reply handler given to ExoRelay#send must be a function'],
      [() => relay.send(ERROR_OUTCOME), 'reserved for the protocol'],
    ];
    for (const [act, text] of cases) {
      const emitted = pEvent<'error', Error>(relay as ExoRelay, 'error');
      const stream = act() as ReturnType<ExoRelay['send']>;
      expect((await emitted).message).toContain(text);
      expect((await rejectionOf(stream.sent)).message).toContain(text);
      expect(relay.stats.pendingReplyStreams).toBe(0);
    }
  },
};
