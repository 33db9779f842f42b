import { describe, expectTypeOf, it } from 'vitest';
import { ExoRelay } from '../src/index.js';

declare module '../src/index.js' {
  interface AuthRegistry {
    auth: { userId: string; roles: string[] };
  }
}

describe('ctx.auth', () => {
  it('has the type AuthRegistry declares, or undefined when the sender gave none', () => {
    const relay = new ExoRelay({ serviceName: 'orders', exocomPort: 3100 });
    relay.registerHandler('orders.list', (_payload, ctx) => {
      expectTypeOf(ctx.auth).toEqualTypeOf<{ userId: string; roles: string[] } | undefined>();
    });
  });
});
