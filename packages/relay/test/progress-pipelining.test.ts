import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Envelope } from '@exorelay/protocol';
import { PROGRESS_WINDOW } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { listeningRelay, postRun } from './support/relay-fixture.js';

/**
 * A bus that records the replies relays POST and answers those `hold` picks (all by default)
 * only on `release()`; it refuses (400) those `refuse` picks at once.
 */
async function startHoldingBus(
  refuse: (reply: Envelope) => boolean = () => false,
  hold: (reply: Envelope) => boolean = () => true,
) {
  const replies: Envelope[] = [];
  const held: ServerResponse[] = [];
  const events = new EventTarget();
  let releasing = false;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
    replies.push(reply);
    if (refuse(reply)) response.writeHead(400).end('refused by the test');
    else if (releasing || !hold(reply)) response.end();
    else held.push(response);
    events.dispatchEvent(new Event('reply'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    replies,
    held,
    async until(condition: () => boolean) {
      while (!condition()) await pEvent(events, 'reply');
    },
    release() {
      releasing = true;
      for (const response of held.splice(0)) response.end();
    },
    async [Symbol.asyncDispose]() {
      this.release();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('awaited progress replies', () => {
  it('resolve once handed to the transport while fewer than PROGRESS_WINDOW are on their way, then wait (backpressure)', async () => {
    // What the user sees: a handler that awaits each chunk streams without one round trip per
    // chunk, and stops at the window while the bus takes nothing.
    await using bus = await startHoldingBus();
    const passed = new EventTarget();
    let awaited = 0;
    await using relay = await listeningRelay(bus.port, {
      http: { register: false, connections: 4 },
      setup: (relay) =>
        relay.registerHandler('file.read', async (_payload, { reply }) => {
          for (let chunk = 0; chunk < 100; chunk += 1) {
            await reply.progress('file.chunk', chunk);
            awaited += 1;
            passed.dispatchEvent(new Event('chunk'));
          }
          await reply('file.read-done', null);
        }),
    });
    await postRun(relay.port ?? 0, 'file.read', { sender: 'web', requestId: 'read-1' });

    while (awaited < PROGRESS_WINDOW) await pEvent(passed, 'chunk');
    // All four connections hold an unanswered reply: nothing at all was answered yet.
    await bus.until(() => bus.held.length === 4);
    expect(awaited).toBe(PROGRESS_WINDOW);
    expect(bus.replies.length).toBeLessThan(PROGRESS_WINDOW);

    bus.release();
    await bus.until(() => bus.replies.some((reply) => reply.responseTo === 'read-1' && reply.more !== true));
    expect(awaited).toBe(100);
    expect(bus.replies.map((reply) => reply.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 101 }, (_, seq) => seq),
    );
  });

  it('let a final reply go out only once the progress replies before it reached the bus', async () => {
    // What the user sees: a stream whose final reply overtook a progress reply on another
    // connection, and which the bus (forgetting the request's way back with the final reply)
    // left waiting for that chunk, now completes.
    await using bus = await startHoldingBus(
      () => false,
      (reply) => reply.responseTo === 'copy-1' && reply.seq === 0,
    );
    await using relay = await listeningRelay(bus.port, {
      // The first chunk waits on one connection; everything else goes, in order, over the other.
      http: { register: false, connections: 2 },
      setup: (relay) => {
        relay.registerHandler('file.copy', (_payload, { reply }) => {
          for (let percent = 0; percent < 100; percent += 10) void reply.progress('file.copying', percent);
          void reply('file.copied', null);
        });
        relay.registerHandler('ping', (_payload, { reply }) => reply('pong', null));
      },
    });
    const isFinal = (reply: Envelope) => reply.responseTo === 'copy-1' && reply.more !== true;
    await postRun(relay.port ?? 0, 'file.copy', { sender: 'web', requestId: 'copy-1' });
    await bus.until(() => bus.replies.length === 10);
    // A reply sent now queues behind anything the relay sent before it on the free connection.
    await postRun(relay.port ?? 0, 'ping', { sender: 'web', requestId: 'ping-1' });
    await bus.until(() => bus.replies.some((reply) => reply.responseTo === 'ping-1'));
    expect(bus.replies.some(isFinal)).toBe(false);

    bus.release();
    await bus.until(() => bus.replies.some(isFinal));
    expect(bus.replies.at(-1)).toMatchObject({ responseTo: 'copy-1', seq: 10 });
  });

  it('reject the next reply with the failure of one the handler no longer waited for, reported once', async () => {
    // What the user sees: a chunk lost on its way fails the handler at its next reply; the
    // relay's \`error\` event names it once.
    await using bus = await startHoldingBus((reply) => reply.seq === 0);
    bus.release();
    const errors: Error[] = [];
    let nextReply: Promise<unknown> | undefined;
    let handled!: () => void;
    const done = new Promise<void>((resolve) => {
      handled = resolve;
    });
    await using relay = await listeningRelay(bus.port, {
      http: { register: false },
      setup: (relay) => {
        relay.on('error', (error) => errors.push(error));
        relay.registerHandler('file.read', async (_payload, { reply }) => {
          await reply.progress('file.chunk', 0);
          if (errors.length === 0) await pEvent(relay, 'error');
          nextReply = reply.progress('file.chunk', 1);
          await nextReply.catch(() => {});
          handled();
        });
      },
    });
    await postRun(relay.port ?? 0, 'file.read', { sender: 'web', requestId: 'read-2' });
    await done;

    await expect(nextReply).rejects.toBe(errors[0]);
    expect(errors).toHaveLength(1);
    // The refused chunk left a gap: nothing after it went out.
    expect(bus.replies.map((reply) => reply.seq)).toEqual([0]);
  });
});
