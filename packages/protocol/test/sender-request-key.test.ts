import { describe, expect, it } from 'vitest';
import { senderRequestKey } from '../src/index.js';

describe('senderRequestKey', () => {
  it('is the same for the same sender and requestId', () => {
    expect(senderRequestKey('orders', 'r1')).toBe(senderRequestKey('orders', 'r1'));
  });

  it('tells apart pairs whose sender and requestId join to the same text', () => {
    expect(senderRequestKey('a:b', 'c')).not.toBe(senderRequestKey('a', 'b:c'));
    expect(senderRequestKey('a\nb', 'c')).not.toBe(senderRequestKey('a', 'b\nc'));
  });
});
