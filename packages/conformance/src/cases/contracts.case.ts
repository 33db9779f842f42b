import { ContractViolationError, type RelayContracts, RemoteError } from 'exorelay';
import { expect } from 'vitest';
import type { CaseGroup } from '../suite.js';
import { rejectionOf } from '../support.js';

/** `users.create` takes `{ name: string }` and answers `users.created` with a string id. */
const usersContracts: RelayContracts = {
  validatePayload(name, payload) {
    if (name !== 'users.create') return undefined;
    const ok = typeof (payload as { name?: unknown } | undefined)?.name === 'string';
    return ok ? { ok: true, value: payload } : { ok: false, issues: ['name: expected a string'] };
  },
  validateReply(name, outcome, payload) {
    if (name !== 'users.create' || outcome !== 'users.created') return undefined;
    return typeof payload === 'string' ? { ok: true, value: payload } : { ok: false, issues: ['expected a string id'] };
  },
  isFinal: () => undefined,
};

export const contractCases: CaseGroup = {
  'a message that breaks the receiver’s contract is answered INVALID_PAYLOAD; its handler does not run': async (
    fixture,
  ) => {
    let runs = 0;
    const users = await fixture.createRelay('users', {
      relayOptions: { contracts: usersContracts },
      setup: (relay) =>
        relay.registerHandler('users.create', async (_payload, { reply }) => {
          runs += 1;
          await reply('users.created', 'u-1');
        }),
    });
    users.on('error', () => {});
    const web = await fixture.createRelay('web');
    const error = await rejectionOf(web.request('users.create', { name: 42 }));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteCode: 'INVALID_PAYLOAD' });
    expect(runs).toBe(0);
  },

  'a reply that breaks the requester’s contract fails its stream with a ContractViolationError': async (fixture) => {
    await fixture.createRelay('users', {
      setup: (relay) => relay.registerHandler('users.create', (_payload, { reply }) => reply('users.created', 42)),
    });
    const web = await fixture.createRelay('web', { relayOptions: { contracts: usersContracts } });
    const error = await rejectionOf(web.request('users.create', { name: 'Data' }));
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ direction: 'incoming', outcome: 'users.created' });
  },
};
