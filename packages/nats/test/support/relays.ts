import { type NatsTransportOptions, natsTransport } from '@exorelay/nats';
import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';

export interface NatsRelayOptions {
  /** Registers handlers; runs before `listen()`. */
  setup?: (relay: ExoRelay) => void;
  relayOptions?: Partial<RelayOptions<UntypedMessages>>;
  transport?: Partial<NatsTransportOptions>;
  /** Whether to listen (subscribe); a relay that only sends need not. @default true */
  listen?: boolean;
}

/** A relay over NATS at `servers`, listening, closed on dispose. */
export async function startNatsRelay(
  servers: string | string[],
  serviceName: string,
  options: NatsRelayOptions = {},
): Promise<ExoRelay & AsyncDisposable> {
  const relay = new ExoRelay({
    serviceName,
    transport: natsTransport({ servers, ...options.transport }),
    ...options.relayOptions,
  });
  options.setup?.(relay);
  try {
    if (options.listen !== false) await relay.listen();
  } catch (error) {
    await relay.close();
    throw error;
  }
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}
