import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplyRoutes, settleOwed } from '../src/reply-routes.js';

const route = {
  service: 'web',
  name: 'order.create',
  instance: '127.0.0.1:4000',
  awaitsInstance: false,
  awaitingFinal: 1,
};

describe('reply routes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps at most maxEntries routes, dropping the oldest first', () => {
    const routes = new ReplyRoutes({ maxEntries: 4, ttl: 60_000 });
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) routes.record(id, route);

    expect(routes.size).toBeLessThanOrEqual(4);
    expect(routes.take('r1', { final: true })).toBeUndefined();
    expect(routes.take('r5', { final: true })).toMatchObject({ service: 'web' });
  });

  it('forgets a route ttl ms after the message or its latest reply', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const routes = new ReplyRoutes({ maxEntries: 100, ttl: 1000 });
    routes.record('r1', route);
    routes.record('r2', route);

    vi.advanceTimersByTime(900);
    expect(routes.take('r1', { final: false })).toBeDefined();
    vi.advanceTimersByTime(600);
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

    expect(routes.size).toBeGreaterThanOrEqual(500);
    expect(routes.size).toBeLessThanOrEqual(1000);
    expect(routes.peek('r99999')).toBeDefined();
  });

  it('tells which open routes an instance owes a final reply on, oldest first', () => {
    const routes = new ReplyRoutes({ maxEntries: 100, ttl: 60_000 });
    for (const id of ['r1', 'r2', 'r3']) routes.record(id, { ...route, awaitingFinal: 2 });
    routes.peek('r1')!.owedBy = ['10.0.0.1:80', '10.0.0.2:80'];
    routes.peek('r2')!.owedBy = ['10.0.0.2:80'];
    routes.peek('r3')!.owedBy = ['10.0.0.1:80'];

    expect(routes.owedBy('10.0.0.1:80').map(([requestId]) => requestId)).toEqual(['r1', 'r3']);
    expect(settleOwed(routes.peek('r1')!, '10.0.0.1:80')).toBe(true);
    expect(settleOwed(routes.peek('r1')!, '10.0.0.1:80')).toBe(false);
    expect(routes.owedBy('10.0.0.1:80').map(([requestId]) => requestId)).toEqual(['r3']);
    routes.take('r3', { final: true });
    routes.take('r3', { final: true });
    expect(routes.owedBy('10.0.0.1:80')).toEqual([]);
  });

  it('counts no expired route in its size', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const routes = new ReplyRoutes({ maxEntries: 100, ttl: 1000 });
    routes.record('r1', route);
    vi.advanceTimersByTime(500);
    routes.record('r2', route);

    vi.advanceTimersByTime(700);
    expect(routes.size).toBe(1);
    expect(routes.peek('r1')).toBeUndefined();
    expect(routes.peek('r2')).toBeDefined();
  });
});
