import { startTestBus } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { listeningRelay } from './support/relay-fixture.js';

// The traces themselves, across three services over ExoCom and NATS, are tested where the bus
// and the NATS transport may be dev dependencies: packages/service/test/tracing.test.ts.
describe('tracing without an OpenTelemetry SDK', () => {
  it('sends no trace context when the application registered no tracer provider', async () => {
    await using bus = await startTestBus();
    await using _users = await listeningRelay(bus.port, {
      serviceName: 'users',
      setup: (relay) => relay.registerHandler('users.get', (id, { reply }) => reply('users.found', id)),
    });
    await using web = await listeningRelay(bus.port, { serviceName: 'web' });

    expect((await web.request('users.get', 1)).payload).toBe(1);

    expect(bus.received.map(({ name }) => name)).toEqual(['users.get', 'users.found']);
    for (const { envelope } of bus.received) {
      expect(Object.keys(envelope)).not.toContain('traceparent');
      expect(Object.keys(envelope)).not.toContain('tracestate');
    }
  });
});
