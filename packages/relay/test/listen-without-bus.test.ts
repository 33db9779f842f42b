import { rejectionOf } from '@exorelay/conformance';
import { ExoComUnreachableError, ExoRelay, type TransportStatus } from 'exorelay';
import { pEvent } from 'p-event';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { startRecordingBus } from './support/recording-bus.js';

describe.each([
  ['http', {}],
  ['sse', { delivery: 'sse' as const, sse: { reconnectDelay: 20 } }],
])('listen() without a bus (%s)', (_kind, options) => {
  it('keeps trying, reports the bus address in status events, is not online, and gives up on its signal', async () => {
    const port = await freePort();
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: port, exocomHost: '127.0.0.1', ...options });
    const statuses: TransportStatus[] = [];
    let online = false;
    relay.on('online', () => {
      online = true;
    });
    relay.on('error', () => {});
    const twoAttempts = new Promise<void>((resolve) =>
      relay.on('status', (status) => {
        statuses.push(status);
        if (statuses.length === 2) resolve();
      }),
    );
    const abort = new AbortController();
    const listening = rejectionOf(relay.listen(0, { signal: abort.signal }));
    await twoAttempts;
    expect(statuses.map((status) => status.type)).toEqual(['reconnecting', 'reconnecting']);
    const error = (statuses[0] as { error?: Error }).error;
    expect(error).toBeInstanceOf(ExoComUnreachableError);
    expect(error?.message).toContain(`cannot reach ExoCom at 127.0.0.1:${port}`);
    expect(online).toBe(false);
    abort.abort(new Error('gave up'));
    expect((await listening).message).toBe('gave up');
    await relay.close();
  });
});

describe('listen() before the bus is up (http)', () => {
  it('goes online once the bus comes up', async () => {
    const port = await freePort();
    const relay = new ExoRelay({ serviceName: 'users', exocomPort: port, exocomHost: '127.0.0.1' });
    const reconnecting = pEvent(relay, 'status');
    const listening = relay.listen(0);
    await reconnecting;
    await using bus = await startRecordingBus(port);
    await listening;
    expect(bus.requests.length).toBeGreaterThan(0);
    await relay.close();
  });
});
