import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, chunk, cycle, orderEvents, seededRandom } from '../fixtures/payloads.js';

describe('bench payload fixtures', () => {
  it('makes the same events from the same seed, and other events from another', () => {
    expect(orderEvents(50, 7)).toEqual(orderEvents(50, 7));
    expect(orderEvents(50, 7)).not.toEqual(orderEvents(50, 8));
  });

  it('makes events of about 100 bytes of JSON', () => {
    const sizes = orderEvents(1024).map((event) => Buffer.byteLength(JSON.stringify(event)));
    const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(85);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(115);
    expect(mean).toBeGreaterThan(95);
    expect(mean).toBeLessThan(110);
  });

  it('makes distinct events, so no system can cache one answer', () => {
    const ids = new Set(orderEvents(1024).map((event) => event.id));
    expect(ids.size).toBe(1024);
  });

  it('makes events that satisfy their own shape', () => {
    for (const event of orderEvents(256)) {
      expect(event.id).toMatch(/^ord_[\w-]{6}$/);
      expect(['EUR', 'USD', 'GBP']).toContain(event.currency);
      expect(Number.isInteger(event.items) && event.items >= 1 && event.items <= 9).toBe(true);
      expect(event.amount).toBeGreaterThanOrEqual(0);
      expect(typeof event.express).toBe('boolean');
    }
  });

  it('makes chunks of exactly 1 KiB of ASCII, the same for the same seed', () => {
    const one = chunk();
    expect(one).toHaveLength(CHUNK_BYTES);
    expect(Buffer.byteLength(one)).toBe(CHUNK_BYTES);
    expect(chunk(CHUNK_BYTES, 1)).toBe(one);
    expect(chunk(CHUNK_BYTES, 2)).not.toBe(one);
    expect(chunk(10)).toHaveLength(10);
  });

  it('draws numbers in [0, 1) from a seed, spread over the range', () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const lowerHalf = draws.filter((draw) => draw < 0.5).length;
    expect(lowerHalf).toBeGreaterThan(4_700);
    expect(lowerHalf).toBeLessThan(5_300);
    expect(Array.from({ length: 5 }, seededRandom(42))).toEqual(draws.slice(0, 5));
  });

  it('cycles through a pool in order, and refuses an empty one', () => {
    const next = cycle(['a', 'b']);
    expect([next(), next(), next()]).toEqual(['a', 'b', 'a']);
    expect(() => cycle([])).toThrow(RangeError);
  });
});
