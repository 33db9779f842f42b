import type { TestBus } from '@exorelay/conformance';
import { ExoRelay, type MessageMap, type RelayOptions, type UntypedMessages } from 'exorelay';

/**
 * A relay pointed at a test bus, listening on an ephemeral port, closed on dispose. Resolves
 * once the bus routes to it. `setup` registers handlers before it listens.
 */
export async function startRelay<M extends MessageMap = UntypedMessages>(
  bus: TestBus,
  options: Omit<RelayOptions<M>, 'exocomPort' | 'exocomHost'>,
  setup: (relay: ExoRelay<M>) => void = () => {},
): Promise<ExoRelay<M> & AsyncDisposable> {
  const relay = new ExoRelay<M>({ ...options, exocomPort: bus.port, exocomHost: '127.0.0.1' });
  setup(relay);
  await relay.listen(0);
  await bus.waitForService(options.serviceName);
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

/** POSTs an envelope straight to a relay's `/run/NAME`, as the bus would, and returns the answer. */
export async function deliverDirectly(
  relay: { readonly port: number | undefined },
  name: string,
  envelope: Record<string, unknown>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${relay.port}/run/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  return { status: response.status, text: await response.text() };
}
