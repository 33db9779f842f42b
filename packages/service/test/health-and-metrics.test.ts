import { defineService, startService } from '@exorelay/service';
import { startExoCom } from 'exocom';
import { ExoRelay } from 'exorelay';
import { describe, expect, it } from 'vitest';
import { parseMetrics, sample } from '../../../test-setup/prometheus-text.js';
import { contracts } from './fixtures/contracts.js';
import { recordingLog } from './support/silent-log.js';

const service = defineService({
  name: 'worker',
  contracts,
  receives: ['work.do', 'work.fail'],
  handlers: {
    'work.do': ({ job }, { reply }) => reply('work.done', { job, by: 0 }),
    'work.fail': () => {
      throw new Error('always fails');
    },
  },
});

describe('the health and metrics server', () => {
  it('answers /healthz and /readyz while the service runs, and 503 on /readyz once it stops', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    const running = await startService(service, { exocomPort: bus.port, log: recordingLog() });
    const health = `http://127.0.0.1:${running.healthPort}`;

    expect((await fetch(`${health}/healthz`)).status).toBe(200);
    const ready = await fetch(`${health}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);

    const stopping = running.stop();
    expect(running.ready).toBe(false);
    await stopping;
    await expect(fetch(`${health}/readyz`)).rejects.toThrow();
  });

  it('serves Prometheus metrics that a text-format parser reads', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    const log = recordingLog();
    await using running = await startService(service, { exocomPort: bus.port, log });
    await bus.waitForInstance({ service: 'worker', port: running.port, receives: ['work.do'] });
    const client = new ExoRelay({ serviceName: 'client', exocomPort: bus.port, exocomHost: '127.0.0.1', contracts });
    await using _client = Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
    client.on('error', () => {});
    await client.listen(0);
    await client.request('work.do', { job: 1, ms: 0 });
    await client.request('work.do', { job: 2, ms: 0 });
    await expect(client.request('work.fail')).rejects.toThrow(/always fails/);

    const response = await fetch(`http://127.0.0.1:${running.healthPort}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parseMetrics(await response.text());

    expect(sample(metrics, 'exorelay_messages_received_total', { name: 'work.do', service: 'worker' })?.value).toBe(
      '2',
    );
    expect(sample(metrics, 'exorelay_messages_handled_total', { name: 'work.fail', result: 'failed' })?.value).toBe(
      '1',
    );
    expect(sample(metrics, 'exorelay_replies_sent_total', { name: 'work.do', outcome: 'work.done' })?.value).toBe('2');
    expect(metrics.get('exorelay_handler_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(metrics.get('exorelay_active_handlers')?.type).toBe('GAUGE');
    expect(sample(metrics, 'exorelay_ready')?.value).toBe('1');
    expect(log.lines.some((line) => /^error: .*work\.fail/.test(line))).toBe(true);
  });

  it('counts requests a handler makes, with their reply latency', async () => {
    await using bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
    const relaying = defineService({
      name: 'relay-worker',
      contracts,
      receives: ['work.ask'],
      handlers: {
        'work.ask': async (_payload, { request }) => {
          await request('work.do', { job: 7, ms: 0 });
          throw new Error('done asking');
        },
      },
    });
    const log = recordingLog();
    await using worker = await startService(service, { exocomPort: bus.port, log });
    await using asker = await startService(relaying, { exocomPort: bus.port, log });
    await bus.waitForInstance({ service: 'worker', port: worker.port, receives: ['work.do'] });
    await bus.waitForInstance({ service: 'relay-worker', port: asker.port, receives: ['work.ask'] });
    const client = new ExoRelay({ serviceName: 'client', exocomPort: bus.port, exocomHost: '127.0.0.1', contracts });
    await using _client = Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
    client.on('error', () => {});
    await client.listen(0);
    await expect(client.request('work.ask')).rejects.toThrow(/done asking/);

    const metrics = parseMetrics(await asker.metrics());
    expect(sample(metrics, 'exorelay_messages_sent_total', { name: 'work.do' })?.value).toBe('1');
    expect(sample(metrics, 'exorelay_requests_total', { name: 'work.do', outcome: 'work.done' })?.value).toBe('1');
    // The parser folds a histogram's series into one; this one has a single series.
    expect(sample(metrics, 'exorelay_reply_latency_seconds')?.buckets?.['+Inf']).toBe('1');
  });
});
