import { describe, expect, it } from 'vitest';
import { startRecordingBus } from './support/recording-bus.js';
import { listeningRelay } from './support/relay-fixture.js';

describe('closing right after sending', () => {
  it('still sends the fire-and-forget messages of the current tick', async () => {
    await using bus = await startRecordingBus();
    const relay = await listeningRelay(bus.port, { http: { register: false } });
    relay.send('last words', { bye: true });
    await relay.close();
    expect(bus.requests.map((request) => request.envelope.payload)).toEqual([{ bye: true }]);
  });
});
