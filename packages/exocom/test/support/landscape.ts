import { ExoRelay, type MessageHandler, type RelayOptions, type UntypedMessages } from 'exorelay';
import { type ExoCom, type ExoComOptions, type FlowEvent, formatFlowEvent, startExoCom } from '../../src/index.js';

type Handlers = Record<string, MessageHandler<UntypedMessages, string, ExoRelay>>;

/** A bus on a free loopback port that records its flow log, closed on dispose. */
export async function startBus(options: ExoComOptions = {}): Promise<ExoCom & { flows: FlowEvent[]; lines: string[] }> {
  const bus = await startExoCom({ port: 0, retryDelay: 10, ...options });
  const flows: FlowEvent[] = [];
  const lines: string[] = [];
  bus.on('flow', (event) => {
    flows.push(event);
    lines.push(formatFlowEvent(event));
  });
  return Object.assign(bus, { flows, lines });
}

/**
 * A relay of `serviceName` pointed at `bus`, listening on a free port, resolved once the bus
 * routes the handled names to it; closed on dispose. Errors the relay emits are collected.
 */
export async function startService(
  bus: ExoCom,
  serviceName: string,
  handlers: Handlers = {},
  options: Partial<RelayOptions<UntypedMessages>> = {},
): Promise<ExoRelay & AsyncDisposable & { errors: Error[] }> {
  const relay = new ExoRelay({ serviceName, exocomPort: bus.port, exocomHost: '127.0.0.1', ...options });
  const errors: Error[] = [];
  relay.on('error', (error) => errors.push(error));
  relay.registerHandlers(handlers);
  const port = await relay.listen(0);
  if (options.http?.register !== false) {
    await bus.waitForInstance({ service: serviceName, port, receives: Object.keys(handlers) });
  }
  return Object.assign(relay, { errors, [Symbol.asyncDispose]: () => relay.close() });
}

/**
 * A relay of `serviceName` that receives over an event stream (`delivery: 'sse'`), its stream
 * open (so the bus routes its names to it); closed on dispose. Errors it emits are collected.
 */
export async function startSseService(
  bus: { port: number },
  serviceName: string,
  handlers: Handlers = {},
  options: Partial<RelayOptions<UntypedMessages>> = {},
): Promise<ExoRelay & AsyncDisposable & { errors: Error[] }> {
  const relay = new ExoRelay({
    serviceName,
    exocomPort: bus.port,
    exocomHost: '127.0.0.1',
    delivery: 'sse',
    ...options,
  });
  const errors: Error[] = [];
  relay.on('error', (error) => errors.push(error));
  relay.registerHandlers(handlers);
  await relay.listen();
  return Object.assign(relay, { errors, [Symbol.asyncDispose]: () => relay.close() });
}

/** Resolves once `check` holds, polling the bus's observable state; fails after `timeout` ms. */
export async function eventually(check: () => boolean, { timeout = 5000, interval = 5 } = {}): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
