import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';

/** A relay pointed at a test bus, listening on an ephemeral port, closed on dispose. */
export async function startRelay(
  busPort: number,
  serviceName: string,
  options: Partial<RelayOptions<UntypedMessages>> = {},
  setup: (relay: ExoRelay) => void = () => {},
): Promise<ExoRelay & AsyncDisposable> {
  const relay = new ExoRelay({ serviceName, exocomPort: busPort, exocomHost: '127.0.0.1', ...options });
  setup(relay);
  await relay.listen(0);
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}
