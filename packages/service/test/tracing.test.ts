import { setTimeout as delay } from 'node:timers/promises';
import { natsTransport } from '@exorelay/nats';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startExoCom } from 'exocom';
import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startNatsServer } from './support/nats-server.js';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});

afterEach(() => exporter.reset());

afterAll(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

/** How each transport connects a relay named `serviceName` to a bus started for the test. */
interface Landscape extends AsyncDisposable {
  relayOptions(serviceName: string): RelayOptions<UntypedMessages>;
}

const landscapes: [string, () => Promise<Landscape>][] = [
  [
    'HTTP through ExoCom',
    async () => {
      const bus = await startExoCom({ port: 0, healthCheckInterval: 0 });
      return {
        relayOptions: (serviceName) => ({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1' }),
        [Symbol.asyncDispose]: () => bus.close(),
      };
    },
  ],
  [
    'NATS',
    async () => {
      const nats = await startNatsServer();
      return {
        relayOptions: (serviceName) => ({ serviceName, transport: natsTransport({ servers: nats.url }) }),
        [Symbol.asyncDispose]: () => nats[Symbol.asyncDispose](),
      };
    },
  ],
];

async function startRelay(
  landscape: Landscape,
  serviceName: string,
  setup: (relay: ExoRelay) => void = () => {},
): Promise<ExoRelay & AsyncDisposable> {
  const relay = new ExoRelay(landscape.relayOptions(serviceName));
  setup(relay);
  await relay.listen(0);
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

/** Waits until `count` spans ended, then finds them by name. */
async function endedSpans(count: number): Promise<(name: string) => ReadableSpan> {
  await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(count));
  const spans = exporter.getFinishedSpans();
  return (name) => {
    const span = spans.find((candidate) => candidate.name === name);
    if (span === undefined) throw new Error(`no span '${name}' among ${spans.map((s) => s.name).join(', ')}`);
    return span;
  };
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe.each(landscapes)('tracing over %s', (_transport, startLandscape) => {
  it('makes one trace of a request from A to B and the nested request from B to C', async () => {
    await using landscape = await startLandscape();
    await using _c = await startRelay(landscape, 'c', (relay) =>
      relay.registerHandler('c.work', async (payload, { reply }) => reply('c.done', payload)),
    );
    await using _b = await startRelay(landscape, 'b', (relay) =>
      relay.registerHandler('b.work', async (payload, { reply, request }) => {
        const nested = await request('c.work', payload);
        await reply('b.done', nested.payload);
      }),
    );
    await using a = await startRelay(landscape, 'a');

    const reply = await a.request('b.work', 7);
    expect(reply.payload).toBe(7);

    const span = await endedSpans(6);
    const request = span('send b.work');
    const handled = span('process b.work');
    const nested = span('send c.work');
    const nestedHandled = span('process c.work');
    const nestedReply = span('send c.done');
    const finalReply = span('send b.done');
    const traceIds = new Set(exporter.getFinishedSpans().map((ended) => ended.spanContext().traceId));
    expect(traceIds.size).toBe(1);

    expect(parentOf(request)).toBeUndefined();
    expect(parentOf(handled)).toBe(request.spanContext().spanId);
    expect(parentOf(nested)).toBe(handled.spanContext().spanId);
    expect(parentOf(nestedHandled)).toBe(nested.spanContext().spanId);
    expect(parentOf(nestedReply)).toBe(nestedHandled.spanContext().spanId);
    expect(parentOf(finalReply)).toBe(handled.spanContext().spanId);
    expect(nestedReply.links.map((link) => link.context.spanId)).toEqual([nested.spanContext().spanId]);
    expect(finalReply.links.map((link) => link.context.spanId)).toEqual([request.spanContext().spanId]);

    expect([request.kind, handled.kind, finalReply.kind]).toEqual([
      SpanKind.CLIENT,
      SpanKind.SERVER,
      SpanKind.PRODUCER,
    ]);
    expect(handled.attributes).toMatchObject({
      'messaging.system': 'exosphere',
      'messaging.operation': 'process',
      'messaging.destination.name': 'b.work',
      'messaging.message.id': reply.responseTo,
      'exorelay.outcome': 'b.done',
    });
    expect(request.attributes).toMatchObject({
      'messaging.operation': 'publish',
      'messaging.destination.name': 'b.work',
      'exorelay.outcome': 'b.done',
    });
  }, 30_000);

  it('links a one-way send to its handler as producer and consumer', async () => {
    await using landscape = await startLandscape();
    let noted: () => void = () => {};
    const handled = new Promise<void>((resolve) => {
      noted = resolve;
    });
    await using _b = await startRelay(landscape, 'b', (relay) => relay.registerHandler('b.note', async () => noted()));
    await using a = await startRelay(landscape, 'a');

    await a.send('b.note', 'hello').sent;
    await handled;

    const span = await endedSpans(2);
    const sent = span('send b.note');
    const consumed = span('process b.note');
    expect([sent.kind, consumed.kind]).toEqual([SpanKind.PRODUCER, SpanKind.CONSUMER]);
    expect(parentOf(consumed)).toBe(sent.spanContext().spanId);
    expect(consumed.spanContext().traceId).toBe(sent.spanContext().traceId);
  }, 30_000);

  it("continues the caller's span, and ends a request that timed out with its error", async () => {
    await using landscape = await startLandscape();
    await using _b = await startRelay(landscape, 'b', (relay) => relay.registerHandler('b.slow', () => delay(200)));
    await using a = await startRelay(landscape, 'a');

    const checkout = trace.getTracer('test').startSpan('checkout');
    const requested = context.with(trace.setSpan(context.active(), checkout), () =>
      a.request('b.slow', 1, { timeout: 50 }),
    );
    await expect(requested).rejects.toMatchObject({ code: 'EXORELAY_TIMEOUT' });
    checkout.end();

    await vi.waitFor(() => expect(exporter.getFinishedSpans().map((ended) => ended.name)).toContain('send b.slow'));
    const request = exporter.getFinishedSpans().find((ended) => ended.name === 'send b.slow');
    expect(parentOf(request!)).toBe(checkout.spanContext().spanId);
    expect(request!.status.code).toBe(SpanStatusCode.ERROR);
    expect(request!.attributes['error.type']).toBe('EXORELAY_TIMEOUT');
  }, 30_000);

  it('marks a failed handler and the request it fails with errors', async () => {
    await using landscape = await startLandscape();
    await using b = await startRelay(landscape, 'b', (relay) =>
      relay.registerHandler('b.work', async () => {
        throw new Error('disk full');
      }),
    );
    b.on('error', () => {});
    await using a = await startRelay(landscape, 'a');

    await expect(a.request('b.work', 1)).rejects.toMatchObject({ remoteCode: 'HANDLER_FAILED' });

    const span = await endedSpans(3);
    const handled = span('process b.work');
    expect(handled.status.code).toBe(SpanStatusCode.ERROR);
    expect(handled.attributes['exorelay.outcome']).toBe('exo.error');
    expect(handled.events.map((event) => event.attributes?.['exception.message'])).toEqual(['disk full']);
    const request = span('send b.work');
    expect(request.status.code).toBe(SpanStatusCode.ERROR);
    expect(request.attributes).toMatchObject({ 'exorelay.outcome': 'exo.error', 'error.type': 'HANDLER_FAILED' });
  }, 30_000);
});
