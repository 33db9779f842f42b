import { encodeName, messageSubject } from '@exorelay/nats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** What nats-server accepts as a literal publish subject. */
function isLiteralSubject(subject: string): boolean {
  return subject.split('.').every((token) => token !== '' && token !== '*' && token !== '>' && !/\s/.test(token));
}

describe('subjects', () => {
  it.each([
    ['users.create', 'exorelay.users.create'],
    ['insufficient funds', 'exorelay.insufficient%20funds'],
    ['transfer money/now?', 'exorelay.transfer%20money%2Fnow%3F'],
    ['a..b', 'exorelay.a%2E%2Eb'],
    ['.hidden', 'exorelay.%2Ehidden'],
    ['trailing.', 'exorelay.trailing%2E'],
    ['orders.*', 'exorelay.orders.%2A'],
    ['events.>', 'exorelay.events.%3E'],
    ['100%', 'exorelay.100%25'],
    ['café', 'exorelay.caf%C3%A9'],
  ])('maps %j to %s', (name, subject) => {
    expect(messageSubject('exorelay', name)).toBe(subject);
  });

  it('every name becomes a literal subject (no empty tokens, wildcards or whitespace)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (name) => isLiteralSubject(encodeName(name))));
  });

  it('distinct names never share a subject', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (left, right) => {
        fc.pre(left !== right);
        return encodeName(left) !== encodeName(right);
      }),
    );
    expect(encodeName('a%2Eb')).not.toBe(encodeName('a.b'));
  });
});
