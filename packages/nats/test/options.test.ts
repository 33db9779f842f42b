import { natsTransport } from '@exorelay/nats';
import { ConfigError } from 'exorelay';
import { describe, expect, it } from 'vitest';

describe('options', () => {
  it.each([
    [{ servers: [] }, 'natsTransport needs servers'],
    [{ servers: '' }, 'natsTransport needs servers'],
    [{ servers: 'nats://127.0.0.1:4222', subjectPrefix: 'has space' }, 'subjectPrefix must be'],
    [{ servers: 'nats://127.0.0.1:4222', subjectPrefix: 'a..b' }, 'subjectPrefix must be'],
    [{ servers: 'nats://127.0.0.1:4222', subjectPrefix: 'events.>' }, 'subjectPrefix must be'],
    [{ servers: 'nats://127.0.0.1:4222', reconnectWait: 0 }, 'reconnectWait must be a positive number'],
    [{ servers: 'nats://127.0.0.1:4222', replyRouteTtl: Number.NaN }, 'replyRouteTtl must be a positive number'],
    [{ servers: 'nats://127.0.0.1:4222', durable: 'user signed up' }, 'durable must be a list of message names'],
  ])('refuses %j with a ConfigError', (options, text) => {
    const act = () => natsTransport(options as Parameters<typeof natsTransport>[0]);
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(text);
  });

  it('takes durable names as a list, a function or contracts', () => {
    for (const durable of [['user signed up'], (name: string) => name === 'x', { isDurable: () => true }]) {
      expect(natsTransport({ servers: 'nats://127.0.0.1:4222', durable }).kind).toBe('nats');
    }
  });

  it('takes one server, several, and a nested prefix', () => {
    expect(natsTransport({ servers: 'nats://127.0.0.1:4222' }).kind).toBe('nats');
    expect(natsTransport({ servers: ['nats://a:4222', 'nats://b:4222'], subjectPrefix: 'acme.staging' }).kind).toBe(
      'nats',
    );
  });

  it('tells the relay that core NATS never delivers a message twice, and JetStream may', () => {
    // Without durable names the relay keeps no memory of recent deliveries: nothing can repeat.
    expect(natsTransport({ servers: 'nats://127.0.0.1:4222' }).deliversOnce).toBe(true);
    expect(natsTransport({ servers: 'nats://127.0.0.1:4222', durable: ['user signed up'] }).deliversOnce).toBe(false);
  });
});
