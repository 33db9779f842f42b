import { httpTransport, sseTransport, type Transport } from 'exorelay';
import type { RunnerConfiguration } from './configuration.js';
import { ConfigError } from './errors.js';

/**
 * Builds the relay's transport from the settings: HTTP or SSE delivery through ExoCom, or NATS
 * (`EXORELAY_TRANSPORT=nats`), loaded only then so services that never use it need not install it.
 */
export async function chooseTransport(configuration: RunnerConfiguration): Promise<Transport> {
  const { exocomHost, exocomPort, host, exocomToken: token, busToken } = configuration;
  if (configuration.transport === 'nats') {
    const nats = await importNats();
    return nats.natsTransport({ servers: configuration.natsUrl ?? '', connection: configuration.natsConnection });
  }
  if (configuration.delivery === 'sse') {
    return sseTransport({ exocomHost, exocomPort, token });
  }
  // A relay bound to every interface registers as 'localhost', as the HTTP transport does by default.
  const advertisedHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return httpTransport({ exocomHost, exocomPort, host, advertisedHost, token, inbound: { token: busToken } });
}

async function importNats(): Promise<typeof import('@exorelay/nats')> {
  try {
    return await import('@exorelay/nats');
  } catch (cause) {
    throw new ConfigError(
      'EXORELAY_TRANSPORT=nats needs the @exorelay/nats package: npm install @exorelay/nats',
      'EXORELAY_TRANSPORT',
      { cause },
    );
  }
}
