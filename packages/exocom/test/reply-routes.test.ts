import { describe, expect, it } from 'vitest';
import { ReplyRoutes } from '../src/reply-routes.js';

const route = { service: 'web', instance: '127.0.0.1:4000', awaitsInstance: false, awaitingFinal: 1 };

describe('reply routes', () => {
  it('keeps at most maxEntries routes, dropping the oldest first', () => {
    const routes = new ReplyRoutes({ maxEntries: 3, ttl: 60_000 });
    for (const id of ['r1', 'r2', 'r3', 'r4']) routes.record(id, route);

    expect(routes.size).toBe(3);
    expect(routes.take('r1', { final: true })).toBeUndefined();
    expect(routes.take('r4', { final: true })).toMatchObject({ service: 'web' });
  });

  it('forgets a route ttl ms after the message or its latest reply', () => {
    let now = 0;
    const routes = new ReplyRoutes({ maxEntries: 100, ttl: 1000, now: () => now });
    routes.record('r1', route);
    routes.record('r2', route);

    now = 900;
    expect(routes.take('r1', { final: false })).toBeDefined();
    now = 1500;
    expect(routes.take('r2', { final: true })).toBeUndefined();
    expect(routes.take('r1', { final: true })).toBeDefined();
    expect(routes.size).toBe(0);
  });

  it('forgets a route once every receiving service sent its final reply', () => {
    const routes = new ReplyRoutes({ maxEntries: 100, ttl: 60_000 });
    routes.record('r1', { ...route, awaitingFinal: 2 });

    routes.take('r1', { final: false });
    routes.take('r1', { final: true });
    expect(routes.size).toBe(1);
    routes.take('r1', { final: true });
    expect(routes.size).toBe(0);
  });

  it('stays bounded under a flood of fire-and-forget messages', () => {
    const routes = new ReplyRoutes({ maxEntries: 1000, ttl: 60_000 });
    for (let index = 0; index < 100_000; index += 1) routes.record(`r${index}`, route);

    expect(routes.size).toBe(1000);
  });
});
