import { randomUUID } from 'node:crypto';
import { collect, startTestBus, type TestBus } from '@exorelay/conformance';
import { sendPath } from '@exorelay/protocol';
import type { Reply } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { contracts } from './support/contracts.js';
import { startRelay } from './support/relays.js';

/**
 * A peer from before the `more` flag: it answers `file.copy` with a progress reply and a final
 * reply, both without `more`, posting them to the bus itself.
 */
function startOlderPeer(bus: TestBus) {
  const postReply = (outcome: string, responseTo: string, seq: number, payload?: unknown) =>
    fetch(`http://127.0.0.1:${bus.port}${sendPath(outcome)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'files', requestId: randomUUID(), responseTo, seq, payload }),
    }).then((response) => response.text());
  return startRelay(bus, { serviceName: 'files' }, (relay) =>
    relay.registerHandler('file.copy', async (_copy, { requestId }) => {
      await postReply('file.copying', requestId, 0, { percent: 50 });
      await postReply('file.copied', requestId, 1);
    }),
  );
}

async function outcomesOf(stream: AsyncIterable<Reply>) {
  return (await collect(stream)).map(({ outcome, final }) => ({ outcome, final }));
}

describe('progress outcomes from a peer that does not set more', () => {
  it("end the stream where the sender's contract says, not at the first reply", async () => {
    await using bus = await startTestBus();
    await using _files = await startOlderPeer(bus);
    await using web = await startRelay(bus, { serviceName: 'web', contracts });
    expect(await outcomesOf(web.send('file.copy', { from: 'a', to: 'b' }))).toEqual([
      { outcome: 'file.copying', final: false },
      { outcome: 'file.copied', final: true },
    ]);
    expect(web.stats.pendingReplyStreams).toBe(0);
  });

  it('end at the first reply without contracts, where only the wire flag can tell', async () => {
    await using bus = await startTestBus();
    await using _files = await startOlderPeer(bus);
    await using web = await startRelay(bus, { serviceName: 'web' });
    expect(await outcomesOf(web.send('file.copy', { from: 'a', to: 'b' }))).toEqual([
      { outcome: 'file.copying', final: true },
    ]);
  });
});
