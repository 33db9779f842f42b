import { rejectionOf } from '@exorelay/conformance';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ContractViolationError, createBrowserRelay } from '../src/index.js';
import { startBridgeLandscape } from './support/bridge-landscape.js';
import { contracts } from './support/demo-contracts.js';

describe('a browser relay with contracts', () => {
  it('checks payloads in the page, before anything is sent', async () => {
    await using landscape = await startBridgeLandscape({
      handlers: { 'users.create': (user, { reply }) => reply('users.created', { id: 'u1', ...(user as object) }) },
    });
    const client = createBrowserRelay({ url: landscape.url, contracts });

    const error = await rejectionOf(client.request('users.create', { name: '' }));

    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code: 'EXORELAY_CONTRACT_VIOLATION', messageName: 'users.create' });
    expect((error as ContractViolationError).issues).toHaveLength(1);
    expect(landscape.bus.counters.received).toBe(0);
  });

  it('types the replies of request() from the contracts', async () => {
    await using landscape = await startBridgeLandscape({
      handlers: { 'users.create': (user, { reply }) => reply('users.created', { id: 'u1', ...(user as object) }) },
    });
    const client = createBrowserRelay({ url: landscape.url, contracts });

    const reply = await client.request('users.create', { name: 'Riker' });

    expect(reply).toMatchObject({ outcome: 'users.created', payload: { id: 'u1', name: 'Riker' } });
    expectTypeOf(reply.outcome).toEqualTypeOf<'users.created' | 'users.exists'>();
    if (reply.outcome === 'users.created') expectTypeOf(reply.payload).toEqualTypeOf<{ id: string; name: string }>();
  });
});
