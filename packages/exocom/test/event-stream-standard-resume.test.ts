import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { eventually, startBus } from './support/landscape.js';
import { startPeer } from './support/peer.js';

/**
 * An EventSource as the standard describes it, knowing nothing of our protocol: one URL, and on
 * a reconnect the same URL with `Last-Event-ID` set to the id of the last event it got.
 */
function plainEventSource(url: string) {
  const events: EventSourceMessage[] = [];
  let lastEventId: string | undefined;
  let connection: AbortController | undefined;
  const open = async () => {
    connection = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await fetch(url, { headers, signal: connection.signal });
    const parser = createParser({
      onEvent: (event) => {
        if (event.id !== undefined) lastEventId = event.id;
        events.push(event);
      },
    });
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body!) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // Closed from this side.
      }
    })();
    return { status: response.status, reading };
  };
  return {
    events,
    open,
    async close() {
      connection?.abort();
    },
  };
}

describe('a plain EventSource client of GET /events', () => {
  it('receives what the configuration says its service receives, and resumes its instance with Last-Event-ID alone', async () => {
    await using bus = await startBus({ services: [{ name: 'reports', receives: ['reports.build'] }] });
    await using web = await startPeer(bus.port, 'web');
    const source = plainEventSource(`http://127.0.0.1:${bus.port}/events?service=reports`);
    const first = await source.open();
    expect(first.status).toBe(200);
    await eventually(() => bus.status().routes['reports.build']?.[0] === 'reports');

    await web.send('reports.build', { requestId: 'b1', payload: 1 });
    await web.send('reports.build', { requestId: 'b2', payload: 2 });
    await eventually(() => source.events.length === 2);
    const instance = source.events[0]!.id!.split(':')[0]!;
    expect(source.events.map((event) => event.id)).toEqual([`${instance}:1`, `${instance}:2`]);
    await source.close();
    await first.reading;
    await eventually(() => bus.status().services.find((s) => s.name === 'reports')!.instances[0]!.up === false);
    await web.send('reports.build', { requestId: 'b3', payload: 3 });

    const again = await source.open();

    expect(again.status).toBe(200);
    await eventually(() => source.events.length === 3);
    expect(source.events[2]).toMatchObject({ id: `${instance}:3`, event: 'reports.build' });
    expect(JSON.parse(source.events[2]!.data)).toMatchObject({ requestId: 'b3', payload: 3 });
    const instances = bus.status().services.find((s) => s.name === 'reports')!.instances;
    expect(instances.map((i) => i.eventStream?.id)).toEqual([instance]);
    await source.close();
    await again.reading;
  });

  it('refuses a Last-Event-ID that names another instance than instance= does', async () => {
    await using bus = await startBus();

    const response = await fetch(`http://127.0.0.1:${bus.port}/events?service=reports&instance=a`, {
      headers: { 'last-event-id': 'b:3' },
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toBe(
      "Last-Event-ID names instance 'b' but instance= names 'a': send one, or the same in both",
    );
  });
});
