import { ExoRelay, isExoRelayError, RepliesLostError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { startScript } from './support/child-process.js';

/** The longest a requester may wait once its bus died: seconds, not its 30 s timeout. */
const FAIL_WITHIN_MS = 5_000;

async function requester(busPort: number): Promise<ExoRelay & AsyncDisposable> {
  const relay = new ExoRelay({ serviceName: 'web', exocomPort: busPort, exocomHost: '127.0.0.1' });
  relay.on('error', () => {});
  await relay.listen(0);
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

describe('the bus is SIGKILLed (bus, service and requester in separate processes)', () => {
  it('1 000 pending requests and a stream read without a timeout end with RepliesLostError within seconds', async () => {
    await using bus = startScript('bus.ts');
    const { port } = await bus.next<{ port: number }>();
    await using service = startScript('holding-service.ts', [port]);
    await service.next<{ port: number }>();
    await using web = await requester(port);
    const streams = Array.from({ length: 1_000 }, () => web.send('users.hold', {}, { timeout: 30_000 }));
    const pending = streams.map((stream) => collectError(stream));
    const endless = web.send('users.hold', {}, { timeout: Number.POSITIVE_INFINITY });
    const endlessEnd = collectError(endless);
    // The bus took every request: they wait on the service for an answer that never comes.
    await Promise.all([...streams, endless].map((stream) => stream.sent));
    expect(web.stats.pendingReplyStreams).toBe(1_001);

    const killedAt = performance.now();
    bus.child.kill('SIGKILL');
    const errors = await Promise.all([...pending, endlessEnd]);
    const failedAfter = performance.now() - killedAt;

    // What the user sees: every request and the stream fail with a typed RepliesLostError, soon.
    expect(errors.every((error) => error instanceof RepliesLostError)).toBe(true);
    expect(errors.every((error) => isExoRelayError(error) && error.code === 'EXORELAY_REPLIES_LOST')).toBe(true);
    expect(failedAfter).toBeLessThan(FAIL_WITHIN_MS);
    expect(web.stats.pendingReplyStreams).toBe(0);
    // Three processes start and 1 001 requests go out before the kill: seconds, more on a loaded machine.
  }, 60_000);

  it('after the bus comes back on its port, the relays register again and requests are answered', async () => {
    const first = startScript('bus.ts');
    const { port } = await first.next<{ port: number }>();
    await using service = startScript('holding-service.ts', [port]);
    await service.next<{ port: number }>();
    await using web = await requester(port);
    expect((await web.request('users.echo', 'before')).payload).toBe('before');

    first.child.kill('SIGKILL');
    await first.exited;
    // What the service sees: its bus went away; it reports reconnecting, then online again.
    expect(await nextStatus(service)).toBe('reconnecting');
    await using second = startScript('bus.ts', [port]);
    await second.next<{ port: number }>();
    await statusBecomes(service, 'online');
    // What the requester sees: its next request is answered by the service, registered again.
    expect((await web.request('users.echo', 'after', { timeout: 10_000 })).payload).toBe('after');
  });
});

async function collectError(stream: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _reply of stream) {
      // no reply comes
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Reads the service's status lines until `status` (repeated `reconnecting` lines come first). */
async function statusBecomes(service: ReturnType<typeof startScript>, status: string): Promise<void> {
  while ((await nextStatus(service)) !== status) {
    // another attempt
  }
}

async function nextStatus(service: ReturnType<typeof startScript>): Promise<string> {
  for (;;) {
    const line = await service.next<{ status?: string }>();
    if (line.status !== undefined) return line.status;
  }
}
