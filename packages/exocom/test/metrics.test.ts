import { startExoCom } from 'exocom';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { parseMetrics, sample } from '../../../test-setup/prometheus-text.js';

function relayOn(port: number, serviceName: string) {
  const relay = new ExoRelay({ serviceName, exocomPort: port, exocomHost: '127.0.0.1' });
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

describe('GET /metrics', () => {
  it('counts messages per name and outcome, times replies, and parses as Prometheus text', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    await using users = relayOn(bus.port, 'users');
    users.registerHandler('users.create', (_payload, { reply }) => reply('users.created', { id: 1 }));
    await users.listen(0);
    await bus.waitForInstance({ service: 'users', receives: ['users.create'] });
    await using web = relayOn(bus.port, 'web');
    await web.listen(0);

    await web.request('users.create', { name: 'Ada' });
    await web.request('users.create', { name: 'Grace' });
    await expect(web.request('nobody.listens')).rejects.toThrow();

    const response = await fetch(`http://127.0.0.1:${bus.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parseMetrics(await response.text());

    expect(sample(metrics, 'exocom_messages_received_total', { name: 'users.create', kind: 'message' })?.value).toBe(
      '2',
    );
    expect(sample(metrics, 'exocom_messages_received_total', { name: 'users.created', kind: 'reply' })?.value).toBe(
      '2',
    );
    expect(
      sample(metrics, 'exocom_messages_routed_total', { name: 'users.create', kind: 'message', receiver: 'users' })
        ?.value,
    ).toBe('2');
    expect(sample(metrics, 'exocom_messages_unrouted_total', { name: 'nobody.listens' })?.value).toBe('1');
    // The parser folds a histogram's series into one; this one has a single series.
    expect(sample(metrics, 'exocom_reply_latency_seconds')?.buckets?.['+Inf']).toBe('2');
    expect(sample(metrics, 'exocom_in_flight_requests')?.value).toBe('0');
    expect(sample(metrics, 'exocom_instance_up', { service: 'users' })?.value).toBe('1');
    expect(sample(metrics, 'exocom_sent_total')?.value).toBe(String(bus.counters.received));
    expect(sample(metrics, 'exocom_no_receivers_total')?.value).toBe('1');
    expect(sample(metrics, 'exocom_instance_changes_total', { service: 'users', type: 'added' })?.value).toBe('1');
  });

  it('does not count one-way messages as requests in flight', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    await using users = relayOn(bus.port, 'users');
    let delivered = 0;
    users.registerHandler('users.created', () => {
      delivered += 1;
    });
    await users.listen(0);
    await bus.waitForInstance({ service: 'users', receives: ['users.created'] });
    await using web = relayOn(bus.port, 'web');
    await web.listen(0);

    await web.send('users.created', { id: 1 }).sent;
    await web.send('users.created', { id: 2 }).sent;
    await expect.poll(() => delivered).toBe(2);

    const metrics = parseMetrics(await (await fetch(`http://127.0.0.1:${bus.port}/metrics`)).text());
    expect(
      sample(metrics, 'exocom_messages_routed_total', { name: 'users.created', kind: 'message', receiver: 'users' })
        ?.value,
    ).toBe('2');
    expect(sample(metrics, 'exocom_in_flight_requests')?.value).toBe('0');
  });

  it('answers 404 when the bus runs without metrics', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0, metrics: false });
    expect((await fetch(`http://127.0.0.1:${bus.port}/metrics`)).status).toBe(404);
  });
});
