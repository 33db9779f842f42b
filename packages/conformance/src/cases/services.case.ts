import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { collect, deferred } from '../support.js';

export const serviceCases: CaseGroup = {
  'a message two services receive reaches both (broadcast)': async (fixture) => {
    const noted: string[] = [];
    const bothNoted = deferred<void>();
    for (const service of ['mailer', 'audit']) {
      await fixture.createRelay(service, {
        setup: (relay) =>
          relay.registerHandler('users.created', (payload) => {
            noted.push(`${service}: ${String(payload)}`);
            if (noted.length === 2) bothNoted.resolve();
          }),
      });
    }
    const web = await fixture.createRelay('web');
    await web.send('users.created', 'Jean-Luc').sent;
    await bothNoted.promise;
    expect(noted.sort()).toEqual(['audit: Jean-Luc', 'mailer: Jean-Luc']);
  },

  'the replies of two services to one message are each in their sender’s order': async (fixture) => {
    for (const service of ['mailer', 'audit']) {
      await fixture.createRelay(service, {
        setup: (relay) =>
          relay.registerHandler('users.created', async (_payload, { reply }) => {
            const sends: Promise<void>[] = [];
            // Not awaited one by one: the wire may reorder them; each sender's seq restores its order.
            for (let index = 0; index < 50; index += 1) sends.push(reply.progress('users.noted', index));
            await Promise.all(sends);
            await reply('users.done', service);
          }),
      });
    }
    const web = await fixture.createRelay('web');
    // The stream ends at the first final reply: its sender's 50 progress replies came before it.
    const replies = await collect(web.send('users.created', {}));
    const last = replies.at(-1)!;
    expect(last).toMatchObject({ outcome: 'users.done', final: true });
    const finisher = String(last.sender);
    for (const sender of ['mailer', 'audit']) {
      const progress = replies.filter((reply) => reply.sender === sender && !reply.final).map((reply) => reply.payload);
      const expected = Array.from({ length: progress.length }, (_, index) => index);
      expect(progress).toEqual(expected);
      if (sender === finisher) expect(progress).toHaveLength(50);
    }
  },
};
