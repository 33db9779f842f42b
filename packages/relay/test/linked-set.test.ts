import { describe, expect, it } from 'vitest';
import { LinkedSet } from '../src/linked-set.js';

describe('LinkedSet (the running handlers of a relay)', () => {
  it('keeps its values in the order they were added, and counts them', () => {
    const set = new LinkedSet<string>();
    for (const value of ['a', 'b', 'c']) set.add(value);
    expect(set.values()).toEqual(['a', 'b', 'c']);
    expect(set.size).toBe(3);
  });

  it('deletes a value wherever it sits: first, in the middle, last', () => {
    const set = new LinkedSet<string>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((value) => set.add(value));
    set.delete(b!);
    expect(set.values()).toEqual(['a', 'c', 'd']);
    set.delete(a!);
    expect(set.values()).toEqual(['c', 'd']);
    set.delete(d!);
    expect(set.values()).toEqual(['c']);
    set.delete(c!);
    expect(set.values()).toEqual([]);
    expect(set.size).toBe(0);
    set.add('e');
    expect(set.values()).toEqual(['e']);
  });

  it('ignores a second delete of the same entry', () => {
    const set = new LinkedSet<string>();
    const a = set.add('a');
    set.add('b');
    set.delete(a);
    set.delete(a);
    expect(set.values()).toEqual(['b']);
    expect(set.size).toBe(1);
    expect(a.linked).toBe(false);
  });

  it('holds on to nothing once a value left: neither the value nor its neighbours', () => {
    const set = new LinkedSet<object>();
    set.add({});
    const middle = set.add({ heavy: 'payload' });
    set.add({});
    set.delete(middle);
    expect(middle).toEqual({ value: undefined, previous: undefined, next: undefined, linked: false });
  });
});
