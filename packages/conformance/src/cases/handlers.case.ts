import { NoRespondersError } from 'exorelay';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { rejectionOf } from '../support.js';

export const handlerCases: CaseGroup = {
  'a handler registered after listen() receives its messages': async (fixture) => {
    const users = await fixture.createRelay('users');
    users.registerHandler('users.list', (_payload, { reply }) => reply('users.listed', ['picard']));
    await users.routed();
    await fixture.routesSettled?.(users);
    const web = await fixture.createRelay('web');
    expect((await web.request('users.list')).payload).toEqual(['picard']);
  },

  'after unregisterHandler() on the only instance, a request fails with a NoRespondersError': async (fixture) => {
    const users = await fixture.createRelay('users', {
      setup: (relay) => relay.registerHandler('users.list', (_payload, { reply }) => reply('users.listed', [])),
    });
    const web = await fixture.createRelay('web');
    await web.request('users.list');
    expect(users.unregisterHandler('users.list')).toBe(true);
    await users.routed();
    await fixture.routesSettled?.(users);
    expect(await rejectionOf(web.request('users.list', {}, { timeout: 10_000 }))).toBeInstanceOf(NoRespondersError);
  },

  'after one of two instances unregisters, the other gets every message': async (fixture) => {
    const answeredBy: string[] = [];
    const instance = (id: string) =>
      fixture.createRelay('users', {
        setup: (relay) =>
          relay.registerHandler('users.list', async (_payload, { reply }) => {
            answeredBy.push(id);
            await reply('users.listed', id);
          }),
      });
    const first = await instance('first');
    await instance('second');
    first.unregisterHandler('users.list');
    await first.routed();
    await fixture.routesSettled?.(first);
    const web = await fixture.createRelay('web');
    const answers = await Promise.all(Array.from({ length: 20 }, () => web.request('users.list')));
    expect(answers.map((answer) => answer.payload)).toEqual(Array(20).fill('second'));
    expect(answeredBy).toEqual(Array(20).fill('second'));
  },
};
