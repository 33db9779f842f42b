import { startTestBus, type TestBus } from '@exorelay/conformance';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts, type DemoMessages, type TransferReply } from '../src/index.js';

/** Listens on an ephemeral port, waits until the bus routes to it, and closes on dispose. */
async function started<R extends ExoRelay<DemoMessages>>(bus: TestBus, relay: R): Promise<R & AsyncDisposable> {
  await relay.listen(0);
  await bus.waitForService(relay.serviceName);
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

const relayOptions = (bus: TestBus, serviceName: string) =>
  ({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1', contracts }) as const;

/** A toy accounting service: every outcome of `transfer` has a rule that leads to it. */
function startAccounting(bus: TestBus) {
  const balances = new Map([
    ['alice', 10_000],
    ['bob', 0],
    ['escrow', 0],
    ['archive', 0],
  ]);
  const owners = new Map([
    ['alice', 'alice'],
    ['bob', 'bob'],
  ]);
  const transactionLimit = 5_000;
  const dailyLimit = 6_000;
  let sentToday = 0;
  const relay = new ExoRelay(relayOptions(bus, 'accounting'));
  relay.registerHandler('transfer', async ({ from, to, amount, requestedBy }, { reply, requestId }) => {
    const balance = balances.get(from);
    if (balance === undefined) return reply('unknown account', { account: from });
    if (!balances.has(to)) return reply('unknown account', { account: to });
    if (owners.get(from) !== requestedBy) return reply('unauthorized', { requestedBy, account: from });
    if (amount > transactionLimit) return reply('transaction limit exceeded', { limit: transactionLimit });
    if (sentToday + amount > dailyLimit) {
      return reply('daily limit exceeded', { limit: dailyLimit, remainingToday: dailyLimit - sentToday });
    }
    if (amount > balance) return reply('insufficient funds', { balance, missing: amount - balance });
    if (to === 'escrow') {
      return reply('pending', { transactionId: requestId, reason: 'escrow needs a second approval' });
    }
    try {
      book(from, to, amount);
    } catch (error) {
      return reply('internal error', { message: (error as Error).message });
    }
    sentToday += amount;
    return reply('transferred', { transactionId: requestId, balance: balance - amount });
  });
  const book = (from: string, to: string, amount: number) => {
    if (to === 'archive') throw new Error('the archive ledger is read-only');
    balances.set(from, (balances.get(from) ?? 0) - amount);
    balances.set(to, (balances.get(to) ?? 0) + amount);
  };
  return started(bus, relay);
}

/** What a client shows for each outcome; the switch is exhaustive, so a new outcome fails to compile here. */
function describeTransfer(reply: TransferReply): string {
  switch (reply.outcome) {
    case 'transferred':
      return `done, balance ${reply.payload.balance}`;
    case 'pending':
      return `pending: ${reply.payload.reason}`;
    case 'transaction limit exceeded':
      return `at most ${reply.payload.limit} per transfer`;
    case 'daily limit exceeded':
      return `only ${reply.payload.remainingToday} left today`;
    case 'insufficient funds':
      return `missing ${reply.payload.missing}`;
    case 'unknown account':
      return `no account ${reply.payload.account}`;
    case 'unauthorized':
      return `${reply.payload.requestedBy} may not use ${reply.payload.account}`;
    case 'internal error':
      return `failed: ${reply.payload.message}`;
    default: {
      const unhandled: never = reply;
      return unhandled;
    }
  }
}

describe('the shared contracts module', () => {
  it('types a service and a client of transfer, and every outcome reaches the client', async () => {
    await using bus = await startTestBus();
    await using _accounting = await startAccounting(bus);
    await using web = await started(bus, new ExoRelay(relayOptions(bus, 'web')));
    const transfer = async (from: string, to: string, amount: number, requestedBy = from) =>
      describeTransfer(await web.request('transfer', { from, to, amount, requestedBy }));
    expect(await transfer('bob', 'alice', 100)).toBe('missing 100');
    expect(await transfer('alice', 'bob', 4_000)).toBe('done, balance 6000');
    expect(await transfer('alice', 'bob', 3_000)).toBe('only 2000 left today');
    expect(await transfer('alice', 'bob', 5_001)).toBe('at most 5000 per transfer');
    expect(await transfer('alice', 'archive', 100)).toBe('failed: the archive ledger is read-only');
    expect(await transfer('alice', 'carol', 100)).toBe('no account carol');
    expect(await transfer('alice', 'bob', 100, 'bob')).toBe('bob may not use alice');
    expect(await transfer('alice', 'escrow', 100)).toBe('pending: escrow needs a second approval');
  });

  it('streams file.read chunks until file.read-done, with the chunk size defaulted by the schema', async () => {
    await using bus = await startTestBus();
    const content = Buffer.from('x'.repeat(150_000));
    const files = new ExoRelay(relayOptions(bus, 'files'));
    files.registerHandler('file.read', async ({ path, chunkSize }, { reply }) => {
      if (path !== '/notes.txt') return reply('file.not-found', { path });
      for (let offset = 0; offset < content.length; offset += chunkSize) {
        const data = content.subarray(offset, offset + chunkSize).toString('base64');
        await reply.progress('file.read-chunk', { offset, data });
      }
      return reply('file.read-done', { bytes: content.length });
    });
    await using _files = await started(bus, files);
    await using web = await started(bus, new ExoRelay(relayOptions(bus, 'web')));
    const chunks: Buffer[] = [];
    let done: number | undefined;
    for await (const reply of web.send('file.read', { path: '/notes.txt' })) {
      if (reply.outcome === 'file.read-chunk') chunks.push(Buffer.from(reply.payload.data, 'base64'));
      else if (reply.outcome === 'file.read-done') done = reply.payload.bytes;
    }
    expect(chunks).toHaveLength(3);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(done).toBe(content.length);
    const missing = await web.request('file.read', { path: '/gone.txt' });
    expect(missing).toMatchObject({ outcome: 'file.not-found', payload: { path: '/gone.txt' } });
  });
});
