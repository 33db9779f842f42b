import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../fixtures/payloads.js';
import { DeliveryCounter } from '../harness/delivery-counter.js';
import type { Rig } from '../harness/rig.js';
import { readStream } from '../harness/trials.js';

/** A rig whose stream delivers every chunk at once and counts how often it was read. */
function streamingRig(): Rig & { streams: number } {
  const rig = {
    streams: 0,
    deliveries: new DeliveryCounter(),
    send: async () => {},
    request: async () => undefined,
    async stream(chunks: number) {
      rig.streams += 1;
      return chunks * CHUNK_BYTES;
    },
    async [Symbol.asyncDispose]() {},
  };
  return rig;
}

const realGc = globalThis.gc;
afterEach(() => {
  globalThis.gc = realGc;
});

/** Counts forced GCs: the memory reading forces them, and no timed stream may follow one. */
function countForcedGcs(): { count: number } {
  const counted = { count: 0 };
  globalThis.gc = (() => {
    counted.count += 1;
  }) as typeof globalThis.gc;
  return counted;
}

describe('readStream', () => {
  it('times a speed round without forcing a GC, over every stream of the round', async () => {
    const gcs = countForcedGcs();
    const rig = streamingRig();

    const sample = await readStream('system', rig, { chunks: 100, streams: 4, awaited: false, measure: 'speed' });

    expect(gcs.count).toBe(0);
    expect(rig.streams).toBe(4);
    expect(Object.keys(sample).sort()).toEqual(['bandwidth', 'chunk rate']);
    expect(sample['chunk rate']).toBeGreaterThan(0);
  });

  it('reads memory from one stream after forced GCs, and reports no speed from it', async () => {
    const gcs = countForcedGcs();
    const rig = streamingRig();

    const sample = await readStream('system', rig, { chunks: 100, streams: 4, awaited: false, measure: 'memory' });

    expect(gcs.count).toBeGreaterThan(0);
    expect(rig.streams).toBe(1);
    expect(Object.keys(sample).sort()).toEqual(['peak RSS', 'peak heap']);
  });

  it('fails a round whose stream delivered fewer bytes than asked for', async () => {
    const rig = { ...streamingRig(), stream: async (chunks: number) => chunks * CHUNK_BYTES - 1 };

    await expect(
      readStream('system', rig, { chunks: 100, streams: 1, awaited: false, measure: 'speed' }),
    ).rejects.toThrow('system delivered 102399 bytes of 102400');
  });
});
