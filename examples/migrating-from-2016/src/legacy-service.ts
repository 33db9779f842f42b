import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a 2016 reply callback and handler got besides the payload. */
export interface LegacyContext {
  outcome: string;
  requestId: string;
  responseTo?: string;
  sender: string;
}

type LegacyCallback = (payload: unknown, context: LegacyContext) => void;
type LegacyReply = (outcome: string, payload?: unknown) => Promise<void>;
type LegacyHandler = (payload: unknown, tools: { reply: LegacyReply }) => void;

/**
 * A service that speaks to the bus exactly as the 2016 exorelay did, written at the wire level:
 * it takes `POST /run/NAME`, sends `POST /send/NAME` with `{ sender, requestId, payload,
 * responseTo }` and nothing else, calls a send's callback with every reply to it, and never
 * registers — the bus knows it from its configuration.
 */
export class LegacyService {
  readonly #serviceName: string;
  readonly #server: Server;
  readonly #handlers = new Map<string, LegacyHandler>();
  readonly #callbacks = new Map<string, LegacyCallback>();
  #exocomPort = 0;

  constructor(serviceName: string) {
    this.#serviceName = serviceName;
    this.#server = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      response.end('OK');
      if (request.url?.startsWith('/run/')) this.#run(decodeURIComponent(request.url.slice('/run/'.length)), body);
    });
  }

  registerHandler(name: string, handler: LegacyHandler): void {
    this.#handlers.set(name, handler);
  }

  /** Binds a free port on 127.0.0.1; the bus's configuration must then name it. */
  async listen(): Promise<number> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return (this.#server.address() as AddressInfo).port;
  }

  connect(exocomPort: number): void {
    this.#exocomPort = exocomPort;
  }

  /** Sends a message; `callback` gets every reply to it, as in 2016. Returns the request id. */
  async send(name: string, payload: unknown, callback?: LegacyCallback, responseTo?: string): Promise<string> {
    const requestId = randomUUID();
    if (callback !== undefined) this.#callbacks.set(requestId, callback);
    const response = await fetch(`http://127.0.0.1:${this.#exocomPort}/send/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: this.#serviceName, requestId, payload, responseTo }),
    });
    if (!response.ok) throw new Error(`the bus refused ${name}: ${response.status} ${await response.text()}`);
    await response.body?.cancel();
    return requestId;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #run(name: string, body: string): void {
    const message = JSON.parse(body) as Omit<LegacyContext, 'outcome'> & { payload?: unknown };
    const context = {
      outcome: name,
      requestId: message.requestId,
      responseTo: message.responseTo,
      sender: message.sender,
    };
    if (message.responseTo !== undefined) {
      this.#callbacks.get(message.responseTo)?.(message.payload, context);
      return;
    }
    const reply: LegacyReply = async (outcome, payload) => {
      await this.send(outcome, payload, undefined, message.requestId);
    };
    this.#handlers.get(name)?.(message.payload, { reply });
  }
}
