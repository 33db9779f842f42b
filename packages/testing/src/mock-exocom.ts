import { randomUUID } from 'node:crypto';
import { type Envelope, ERROR_OUTCOME, runPath, type ServiceRegistration } from '@exorelay/protocol';
import type { MessageMap, MessageName, TypedRelayContracts, UntypedMessages } from 'exorelay';
import { Pool } from 'undici';
import { DeliveryRejectedError, MockTimeoutError, PendingRepliesError, ServiceUnreachableError } from './errors.js';
import { type Answer, HttpEndpoint } from './http-endpoint.js';
import { type MockReplyStream, ReplyFeed } from './mock-reply-stream.js';
import { ReceivedLog } from './received-log.js';
import type {
  DeliveryTarget,
  MockReply,
  MockReplyMessage,
  MockSendMessage,
  ReceivedMessage,
  ReceivedPayload,
  ReplyOutcome,
} from './types.js';

/** Options of `createMockExoCom`. */
export interface MockExoComOptions<M extends MessageMap> {
  /**
   * The service's contracts: they type `send`, `reply` and `waitUntilReceived`, and decide
   * which replies end a reply stream (as they do for a relay).
   * @example createMockExoCom({ contracts })
   */
  contracts?: TypedRelayContracts<M>;
  /**
   * What `POST /send/NAME` answers as `receivers` for a message that is not a reply. The mock
   * stands in for every other service, so 1 unless told: 0 makes the service's `request()` fail
   * with `NoRespondersError`.
   * @default 1
   * @example receivers: (message) => (message.name === 'users.lookup' ? 0 : 1)
   */
  receivers?: number | ((message: ReceivedMessage) => number);
  /**
   * How long waits last (`waitUntilReceived`, `waitForService`, a reply stream's final reply), in ms.
   * @default 5000
   */
  timeout?: number;
  /**
   * The port to listen on; 0 picks a free one (read it from `bus.port`).
   * @default 0
   */
  port?: number;
}

/**
 * A stand-in for ExoCom in a service's tests, like the original exocom-mock: a real HTTP
 * endpoint on 127.0.0.1 that records what the service sends and delivers messages into it.
 * Make it with {@link createMockExoCom}.
 */
export class MockExoCom<M extends MessageMap = UntypedMessages> implements AsyncDisposable {
  readonly #endpoint: HttpEndpoint;
  readonly #options: MockExoComOptions<M>;
  readonly #timeout: number;
  readonly #log = new ReceivedLog();
  readonly #services = new Map<string, ServiceRegistration>();
  readonly #serviceWaiters = new Set<() => void>();
  readonly #feeds = new Map<string, ReplyFeed>();
  readonly #unexpected: string[] = [];
  readonly #replySeq = new Map<string, number>();
  readonly #pools = new Map<string, Pool>();

  private constructor(endpoint: HttpEndpoint, options: MockExoComOptions<M>) {
    this.#endpoint = endpoint;
    this.#options = options;
    this.#timeout = options.timeout ?? 5000;
  }

  /** @internal Use {@link createMockExoCom}. */
  static async create<M extends MessageMap>(options: MockExoComOptions<M>): Promise<MockExoCom<M>> {
    let mock: MockExoCom<M> | undefined;
    const endpoint = await HttpEndpoint.start(
      {
        send: (name, envelope, instance) => mock!.#take(name, envelope, instance),
        register: (body) => mock!.#register(body),
        deregister: (body) => mock!.#deregister(body),
        status: () => ({
          status: 200,
          json: { status: 'online', mock: true, services: [...mock!.#services.values()] },
        }),
      },
      options.port ?? 0,
    );
    mock = new MockExoCom(endpoint, options);
    return mock;
  }

  /** The port relays point `exocomPort` at. */
  get port(): number {
    return this.#endpoint.port;
  }

  /** Everything the service sent, replies included, in arrival order. */
  get received(): readonly ReceivedMessage[] {
    return this.#log.messages;
  }

  /** The service instances that registered, latest registration per service. */
  get services(): readonly ServiceRegistration[] {
    return [...this.#services.values()];
  }

  /**
   * Resolves with the `count`-th message named `name` the service sent (at once if it is here
   * already); rejects with a `MockTimeoutError` that lists what did arrive.
   *
   * @example
   * const created = await bus.waitUntilReceived('users.created')
   * expect(created.payload).toEqual({ id: 1, name: 'Jean-Luc' })
   */
  async waitUntilReceived<N extends string>(
    name: N,
    options: { timeout?: number; count?: number } = {},
  ): Promise<ReceivedMessage<N, ReceivedPayload<M, N>>> {
    const { timeout = this.#timeout, count = 1 } = options;
    return (await this.#log.waitFor(name, { timeout, count })) as ReceivedMessage<N, ReceivedPayload<M, N>>;
  }

  /** Resolves once a service named `name` registered (a relay does when it listens). */
  waitForService(name: string, options: { timeout?: number } = {}): Promise<ServiceRegistration> {
    const { timeout = this.#timeout } = options;
    const known = this.#services.get(name);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const check = () => {
        const registration = this.#services.get(name);
        if (registration === undefined) return;
        this.#serviceWaiters.delete(check);
        clearTimeout(timer);
        resolve(registration);
      };
      const timer = setTimeout(() => {
        this.#serviceWaiters.delete(check);
        reject(new MockTimeoutError(`service '${name}' to register`, timeout, [...this.#services.keys()]));
      }, timeout);
      this.#serviceWaiters.add(check);
    });
  }

  /**
   * Delivers a message into the service (`POST /run/NAME`), as the bus would, and returns the
   * stream of the service's replies. `to` is a service name (the mock waits for it to
   * register) or an address.
   *
   * @example
   * const replies = await bus.send({ to: 'users', name: 'users.create', payload: { name: 'Jean-Luc' } }).toArray()
   */
  send<N extends MessageName<M>>(message: MockSendMessage<M, N>): MockReplyStream<MockReply<M, N>> {
    const { name, to, sender = 'test', timeout = this.#timeout } = message;
    const envelope: Envelope = { sender, requestId: randomUUID() };
    const payload = (message as { payload?: unknown }).payload;
    if (payload !== undefined) envelope.payload = payload;
    const contracts = this.#options.contracts;
    let feed: ReplyFeed | undefined;
    const delivered = this.#addressOf(to, timeout)
      .then((address) => this.#deliver(address, name, envelope))
      .catch((error: Error) => {
        feed?.fail(error);
        throw error;
      });
    // The stream reports a failed delivery to whoever reads it; nobody has to await this.
    delivered.catch(() => {});
    feed = new ReplyFeed(
      {
        messageName: name,
        requestId: envelope.requestId,
        timeout,
        isFinal: (outcome, reply) =>
          outcome === ERROR_OUTCOME || (contracts?.isFinal(name, outcome) ?? reply.more !== true),
      },
      delivered,
    );
    this.#feeds.set(envelope.requestId, feed);
    return feed.stream as MockReplyStream<MockReply<M, N>>;
  }

  /**
   * Answers a message the service sent, as the service it was meant for would: delivers a reply
   * (`POST /run/OUTCOME` with `responseTo`) to the instance that sent it. Replies are numbered
   * (`seq`) in the order of the calls, per `sender`. Rejects when the service refuses it.
   *
   * @example
   * const lookup = await bus.waitUntilReceived('users.get')
   * await bus.reply(lookup, { outcome: 'users.found', payload: { id: 1 } })
   */
  async reply<N extends string, O extends ReplyOutcome<M, N>>(
    to: ReceivedMessage<N>,
    reply: MockReplyMessage<M, N, O>,
  ): Promise<void> {
    const sender = reply.sender ?? 'test';
    // Requesters restore order per replying service, so each sender numbers from 0.
    const sequence = `${to.requestId} ${sender}`;
    const seq = this.#replySeq.get(sequence) ?? 0;
    this.#replySeq.set(sequence, seq + 1);
    const envelope: Envelope = { sender, requestId: randomUUID(), responseTo: to.requestId, seq };
    if (reply.payload !== undefined) envelope.payload = reply.payload;
    if (reply.progress === true) envelope.more = true;
    const address = to.instance ?? (await this.#addressOf(to.sender ?? '', this.#timeout));
    await this.#deliver(address, reply.outcome, envelope);
  }

  /**
   * Throws a `PendingRepliesError` when the service sent replies nobody looked at: replies still
   * buffered in a stream from `send()`, replies after a stream's final reply, and replies to
   * requests the mock never sent. Replies after a `break` out of a stream are not counted.
   */
  assertNoPendingReplies(): void {
    const pending = [...this.#unexpected];
    for (const feed of this.#feeds.values()) {
      for (const outcome of feed.unread) {
        pending.push(`'${outcome}' answering '${feed.settings.messageName}' was not read`);
      }
    }
    if (pending.length > 0) throw new PendingRepliesError(pending);
  }

  /** Forgets what was received and every reply stream (open ones end); registrations stay. */
  reset(): void {
    this.#log.clear();
    for (const feed of this.#feeds.values()) feed.cancel();
    this.#feeds.clear();
    this.#unexpected.length = 0;
    this.#replySeq.clear();
  }

  /** Stops listening, ends open reply streams, and frees every connection. */
  async close(): Promise<void> {
    for (const feed of this.#feeds.values()) feed.cancel();
    await this.#endpoint.close();
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    this.#pools.clear();
  }

  /** Closes the mock, for `await using mock = await createMockExoCom()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #take(name: string, envelope: Envelope, instance: string | undefined): Answer {
    const message: ReceivedMessage = {
      name,
      payload: envelope.payload,
      sender: envelope.sender,
      requestId: envelope.requestId,
      responseTo: envelope.responseTo,
      instance,
      envelope: { ...envelope },
    };
    this.#log.add(message);
    if (envelope.responseTo === undefined) {
      const receivers = this.#options.receivers ?? 1;
      return { status: 200, json: { receivers: typeof receivers === 'function' ? receivers(message) : receivers } };
    }
    const feed = this.#feeds.get(envelope.responseTo);
    if (feed?.isOpen === true) {
      feed.push(name, envelope);
      return { status: 200, json: { receivers: 1 } };
    }
    if (feed === undefined)
      this.#unexpected.push(`'${name}' answering a request the mock did not send (${envelope.responseTo})`);
    else if (!feed.isCancelled)
      this.#unexpected.push(`'${name}' answering '${feed.settings.messageName}' after its final reply`);
    return { status: 200, json: { receivers: 0 } };
  }

  #register(body: unknown): Answer {
    const registration = body as ServiceRegistration;
    if (
      typeof registration?.serviceName !== 'string' ||
      typeof registration.host !== 'string' ||
      !Number.isInteger(registration.port)
    ) {
      return { status: 400, text: 'a registration needs serviceName, host and port' };
    }
    this.#services.set(registration.serviceName, registration);
    for (const check of this.#serviceWaiters) check();
    return { status: 200, text: `registered ${registration.serviceName}` };
  }

  #deregister(body: unknown): Answer {
    const { serviceName, host, port } = (body ?? {}) as Partial<ServiceRegistration>;
    const known = serviceName === undefined ? undefined : this.#services.get(serviceName);
    if (known?.host === host && known?.port === port) this.#services.delete(serviceName!);
    return { status: 200, text: 'deregistered' };
  }

  async #addressOf(target: DeliveryTarget, timeout: number): Promise<string> {
    if (typeof target !== 'string') return `${target.host}:${target.port}`;
    const registration = await this.waitForService(target, { timeout });
    return `${registration.host}:${registration.port}`;
  }

  async #deliver(address: string, name: string, envelope: Envelope): Promise<void> {
    let pool = this.#pools.get(address);
    if (pool === undefined) {
      pool = new Pool(`http://${address}`, { connections: 8 });
      this.#pools.set(address, pool);
    }
    let status: number;
    let text: string;
    try {
      const response = await pool.request({
        method: 'POST',
        path: runPath(name),
        body: JSON.stringify(envelope),
        headers: { 'content-type': 'application/json' },
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (cause) {
      throw new ServiceUnreachableError(name, address, { cause });
    }
    if (status < 200 || status >= 300) throw new DeliveryRejectedError(name, status, text);
  }
}

/**
 * Starts a mock ExoCom for a service's tests. Point the relay at `bus.port`.
 *
 * @example
 * await using bus = await createMockExoCom()
 * const relay = new ExoRelay({ serviceName: 'users', exocomPort: bus.port })
 * relay.registerHandler('users.create', async (user, { reply, send }) => { … })
 * await relay.listen(0)
 * const [created] = await bus.send({ to: 'users', name: 'users.create', payload: { name: 'Jean-Luc' } }).toArray()
 * await bus.waitUntilReceived('users.created')
 */
export function createMockExoCom<M extends MessageMap = UntypedMessages>(
  options: MockExoComOptions<M> = {},
): Promise<MockExoCom<M>> {
  return MockExoCom.create(options);
}
