import { ExoRelay, type RelayOptions, type UntypedMessages } from 'exorelay';
import { request } from 'undici';

export type DisposableRelay = ExoRelay & AsyncDisposable;

/** A relay pointed at `exocomPort`, listening on an ephemeral port, closed on dispose. */
export async function listeningRelay(
  exocomPort: number,
  options: Partial<RelayOptions<UntypedMessages>> & { setup?: (relay: ExoRelay) => void } = {},
): Promise<DisposableRelay> {
  const { setup, ...relayOptions } = options;
  const relay = new ExoRelay({ serviceName: 'test-service', exocomPort, exocomHost: '127.0.0.1', ...relayOptions });
  setup?.(relay);
  await relay.listen(0);
  return Object.assign(relay, { [Symbol.asyncDispose]: () => relay.close() });
}

export interface RawAnswer {
  status: number;
  text: string;
}

/** POSTs raw bytes to a relay's endpoint, as the bus (or an attacker) would. */
export async function postRaw(
  port: number,
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<RawAnswer> {
  const response = await request(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers });
  return { status: response.statusCode, text: await response.body.text() };
}

/** POSTs an envelope to `/run/NAME` of a relay. */
export function postRun(port: number, name: string, envelope: unknown): Promise<RawAnswer> {
  return postRaw(port, `/run/${encodeURIComponent(name)}`, JSON.stringify(envelope));
}
