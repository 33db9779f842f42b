import { NatsDisconnectedError } from '@exorelay/nats';
import type { ExoRelay, TransportStatus } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './support/nats-server.js';
import { startNatsRelay } from './support/relays.js';

const quickReconnect = { connection: { reconnectTimeWait: 50, reconnectJitter: 10 } };

function status(relay: ExoRelay, type: TransportStatus['type']): Promise<TransportStatus> {
  return pEvent<'status', TransportStatus>(relay, 'status', { filter: (s) => s.type === type, rejectionEvents: [] });
}

describe('fire-and-forget across a server restart', () => {
  it('sent resolves only once the message reached a connected server; events sent during the outage arrive', async () => {
    await using server = await startNatsServer();
    const received = new Set<number>();
    // The receiver comes back after the sender: what the sender held must not beat its subscription.
    await using audit = await startNatsRelay(server.url, 'audit', {
      transport: { connection: { reconnectTimeWait: 250, reconnectJitter: 0 } },
      setup: (relay) =>
        relay.registerHandler('audit.log', (n) => {
          received.add(n as number);
        }),
    });
    await using web = await startNatsRelay(server.url, 'web', { transport: quickReconnect });
    const resolved: number[] = [];
    // 'sender down': sent while the sender was disconnected; 'receiver down': the sender was back,
    // the receiver not yet, so NATS had nobody to give those to (core NATS keeps nothing).
    type Phase = 'up' | 'sender down' | 'receiver down';
    const sentIn = new Map<number, Phase>();
    const failures: Error[] = [];
    let phase: Phase = 'up';
    const sends: Promise<void>[] = [];
    let n = 0;
    // A producer that does not wait for `sent`: a few events every 2 ms, as a service emits them.
    const producer = setInterval(() => {
      const batch: number[] = [];
      for (; batch.length < 5; n += 1) {
        const event = n;
        batch.push(event);
        sends.push(
          web.send('audit.log', event).sent.then(
            () => {
              resolved.push(event);
            },
            (error: Error) => {
              failures.push(error);
            },
          ),
        );
      }
      // A send nobody reads goes out at the end of the tick: that is when its phase counts.
      setImmediate(() => {
        for (const event of batch) sentIn.set(event, phase);
      });
    }, 2);
    await expect.poll(() => resolved.length).toBeGreaterThanOrEqual(200);
    const lost = status(web, 'reconnecting');
    // Events from here on may be written into the dying connection.
    const stoppedAt = n;
    await server.stop();
    await lost;
    phase = 'sender down';
    const countAtStop = resolved.length;
    const webOnline = status(web, 'online');
    const auditOnline = status(audit, 'online');
    await server.restart();
    await webOnline;
    phase = 'receiver down';
    await auditOnline;
    phase = 'up';
    const afterRestart = resolved.length;
    await expect.poll(() => resolved.length - afterRestart, { timeout: 10_000 }).toBeGreaterThanOrEqual(500);
    clearInterval(producer);
    await Promise.all(sends);
    const last = Math.max(...resolved);
    await expect.poll(() => received.has(last), { timeout: 10_000 }).toBe(true);
    const inPhase = (wanted: Phase) => resolved.filter((event) => sentIn.get(event) === wanted);
    const receiverDown = new Set(inPhase('receiver down'));
    const missing = resolved.filter((event) => !received.has(event) && !receiverDown.has(event));
    const summary = `outage: ${resolved.length} sent resolved (${countAtStop} before the stop), ${inPhase('sender down').length} while the sender was down, ${receiverDown.size} while only the receiver was, ${failures.length} rejected, ${missing.length} lost otherwise [${missing.join(',')}]`;
    if (process.env.EXORELAY_TEST_REPORT !== undefined) process.stderr.write(`${summary}\n`);
    for (const failure of failures) expect(failure).toBeInstanceOf(NatsDisconnectedError);
    expect(
      inPhase('sender down').filter((event) => !received.has(event)),
      summary,
    ).toEqual([]);
    // Core NATS is at most once: what was written in the instant the server died is lost with it
    // (the last few events before the stop, and those until the client saw the connection drop,
    // however long that takes on a loaded machine) — nothing written well before.
    expect(
      missing.filter((event) => event < stoppedAt - 20),
      summary,
    ).toEqual([]);
  });
});
