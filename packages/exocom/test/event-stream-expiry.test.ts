import { INSTANCE_HEADER, sendPath } from '@exorelay/protocol';
import { RemoteError } from 'exorelay';
import { describe, expect, it } from 'vitest';
import type { InstanceChange } from '../src/index.js';
import { openEventStream } from './support/event-stream-client.js';
import { eventually, startBus, startService } from './support/landscape.js';

/** POSTs a reply as an event-stream instance does: naming itself in the instance header. */
async function replyAs(busPort: number, instance: string, outcome: string, responseTo: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${busPort}${sendPath(outcome)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [INSTANCE_HEADER]: instance },
    body: JSON.stringify({ sender: 'worker', requestId: crypto.randomUUID(), responseTo, seq: 0 }),
  });
  expect([response.status, await response.text()]).toEqual([200, JSON.stringify({ receivers: 1 })]);
}

describe('an event-stream instance that does not come back', () => {
  it('is forgotten after the retention, and the requests it owed replies to get DELIVERY_FAILED', async () => {
    await using bus = await startBus({ eventStreams: { retention: 200 } });
    const changes: InstanceChange[] = [];
    bus.on('instance', (change) => changes.push(change));
    const worker = await openEventStream(bus.port, { service: 'worker', receives: ['work'] });
    await using web = await startService(bus, 'web');
    const answered = web.request('work', 'answered', { timeout: 10_000 });
    const owed = web.request('work', 'owed', { timeout: 10_000 });
    const [first, second] = await worker.waitForEvents(2);
    const answeredId = [first, second].find((event) => JSON.parse(event!.data).payload === 'answered')!;
    await replyAs(bus.port, worker.instance, 'worked', JSON.parse(answeredId.data).requestId);
    await worker.close();

    await expect(answered).resolves.toMatchObject({ outcome: 'worked' });
    const failure = await owed.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      details: { service: 'worker', instance: worker.instance },
    });
    expect((failure as RemoteError).remoteMessage).toBe(
      `could not deliver 'work' to worker: its event stream stayed away too long to be resumed (more than 200 ms, or past the events the bus still held), so the bus forgot it before it answered`,
    );
    expect(changes.map((change) => [change.type, change.reason])).toEqual([
      ['added', 'connected'],
      ['added', 'registration'],
      ['updated', 'disconnected'],
      ['removed', 'expired'],
    ]);
    expect(bus.status().routes.work).toBeUndefined();
    expect(bus.counters).toMatchObject({ failed: 1, errorReplies: 1 });
  });

  it('gets a new instance when it comes back after all, its old events gone', async () => {
    await using bus = await startBus({ eventStreams: { retention: 50 } });
    const first = await openEventStream(bus.port, { service: 'worker', receives: ['work'] });
    await first.close();
    await eventually(() => bus.status().services.length === 0);

    await using back = await openEventStream(bus.port, {
      service: 'worker',
      receives: ['work'],
      instance: first.instance,
      lastEventId: 0,
    });

    expect(back.instance).not.toBe(first.instance);
    expect(bus.status().routes).toEqual({ work: ['worker'] });
  });

  it('is forgotten at once when it deregisters, and what it owed is answered DELIVERY_FAILED', async () => {
    await using bus = await startBus();
    await using worker = await openEventStream(bus.port, { service: 'worker', receives: ['work'] });
    await using web = await startService(bus, 'web');
    const owed = web.request('work', 1, { timeout: 10_000 });
    await worker.waitForEvents(1);

    const deregistered = await fetch(`http://127.0.0.1:${bus.port}/deregister`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName: 'worker', instance: worker.instance }),
    });

    expect(await deregistered.text()).toBe('deregistered');
    await expect(owed).rejects.toMatchObject({
      remoteCode: 'DELIVERY_FAILED',
      remoteMessage: "could not deliver 'work' to worker: it closed before it answered",
      details: { instance: worker.instance },
    });
    await worker.ended;
    expect(bus.status().services.map((service) => service.name)).toEqual(['web']);
  });
});
