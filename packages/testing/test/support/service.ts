import { ExoRelay, type MessageHandler, type UntypedMessages } from 'exorelay';
import type { MockExoCom } from '../../src/index.js';

type Handlers = Record<string, MessageHandler<UntypedMessages, string, ExoRelay>>;

/** The service under test: a real relay pointed at the mock, listening on a free port, closed on dispose. */
export async function startService(
  bus: MockExoCom,
  serviceName: string,
  handlers: Handlers = {},
): Promise<ExoRelay & AsyncDisposable & { errors: Error[] }> {
  const relay = new ExoRelay({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1' });
  const errors: Error[] = [];
  relay.on('error', (error) => errors.push(error));
  relay.registerHandlers(handlers);
  await relay.listen(0);
  return Object.assign(relay, { errors, [Symbol.asyncDispose]: () => relay.close() });
}
