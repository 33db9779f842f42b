import { deferred } from '@exorelay/conformance';
import { describe, expect, it } from 'vitest';
import { listeningRelay, postRaw, postRun } from './support/relay-fixture.js';

describe('maxConcurrentHandlers', () => {
  it('answers 503 with retry-after beyond the limit, and takes work again once a handler finished', async () => {
    const release = deferred<void>();
    const started: string[] = [];
    const startedTwo = deferred<void>();
    await using relay = await listeningRelay(1, {
      http: { register: false },
      maxConcurrentHandlers: 2,
      setup: (relay) =>
        relay.registerHandler('reports.build', async (_payload, { requestId }) => {
          started.push(requestId);
          if (started.length === 2) startedTwo.resolve();
          await release.promise;
        }),
    });
    const port = relay.port!;
    const running = [
      postRun(port, 'reports.build', { sender: 'web', requestId: 'a', oneWay: true }),
      postRun(port, 'reports.build', { sender: 'web', requestId: 'b', oneWay: true }),
    ];
    await startedTwo.promise;
    expect(relay.stats.activeHandlers).toBe(2);
    const refused = await fetch(`http://127.0.0.1:${port}/run/reports.build`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'web', requestId: 'c', oneWay: true }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toBe('busy: 2 handlers are running (maxConcurrentHandlers)');
    release.resolve();
    expect((await Promise.all(running)).map((answer) => answer.status)).toEqual([200, 200]);
    // The refused message was not remembered as handled: sent again, it runs.
    expect((await postRaw(port, '/run/reports.build', JSON.stringify({ sender: 'web', requestId: 'c' }))).status).toBe(
      200,
    );
    expect(started).toEqual(['a', 'b', 'c']);
  });
});
