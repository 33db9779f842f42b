import { createHash } from 'node:crypto';
import { ConfigError } from 'exorelay';
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  ErrorCode,
  headers,
  type JetStreamManager,
  type JsMsg,
  NatsError,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';
import { debug } from './debug.js';
import { DurabilityUnavailableError } from './errors.js';
import type { NatsLink } from './nats-link.js';

/** Carries a durable message's reply subject: JetStream hands consumers its own reply subject (the ack). */
export const REPLY_TO_HEADER = 'Exo-Reply-To';

/**
 * Which message names travel durably: a list, a predicate, or contracts from
 * `@exorelay/contracts` (anything with `isDurable(name)`).
 */
export type DurableNames =
  | readonly string[]
  | ((name: string) => boolean)
  | {
      /** Whether message `name` travels through JetStream (contracts with `durable: true` say). */
      isDurable(name: string): boolean;
    };

export function durablePredicate(durable: DurableNames | undefined): (name: string) => boolean {
  if (durable === undefined) return () => false;
  if (typeof durable === 'function') return durable;
  if (Array.isArray(durable)) {
    const names = new Set<unknown>(durable);
    return (name) => names.has(name);
  }
  if (typeof durable === 'object' && durable !== null && 'isDurable' in durable) {
    return (name) => durable.isDurable(name);
  }
  throw new ConfigError(
    `natsTransport option durable must be a list of message names, a function or contracts, got ${String(durable)}`,
  );
}

/**
 * Durable delivery over JetStream. Each durable message name gets its own stream, holding only
 * that name's subject with interest retention: a message stays until every service that
 * consumes the name acknowledged it. Each service consumes through one durable pull consumer
 * named after it, which its instances share, so a service that is down gets what it missed
 * when it comes back, and only one of its instances handles each message.
 */
export class DurableChannel {
  readonly #link: NatsLink;
  readonly #serviceName: string;
  readonly #consumers = new Map<string, Promise<ConsumerMessages>>();
  #manager: Promise<JetStreamManager> | undefined;

  readonly #ackWait: number;

  constructor(link: NatsLink, serviceName: string, ackWait: number) {
    this.#link = link;
    this.#serviceName = serviceName;
    this.#ackWait = ackWait;
  }

  /**
   * Publishes into the stream of the message's subject and waits for JetStream to store it.
   * Resolves `false` when no stream keeps that subject: no service ever consumed the name.
   */
  async publish(subject: string, data: Uint8Array, requestId: string, replySubject: string): Promise<boolean> {
    const carried = headers();
    carried.set(REPLY_TO_HEADER, replySubject);
    try {
      // The request id doubles as JetStream's message id, so a repeated publish is stored once.
      await this.#link.connection.jetstream().publish(subject, data, { msgID: requestId, headers: carried });
      return true;
    } catch (error) {
      if (error instanceof NatsError && error.code === ErrorCode.NoResponders) return false;
      throw error;
    }
  }

  /** Creates (or finds) the name's stream and this service's consumer, then hands each message to `receive`. */
  consume(name: string, subject: string, receive: (msg: JsMsg) => void): Promise<void> {
    let consuming = this.#consumers.get(name);
    if (consuming === undefined) {
      consuming = this.#startConsuming(name, subject, receive);
      this.#consumers.set(name, consuming);
      consuming.catch(() => this.#consumers.delete(name));
    }
    return consuming.then(() => undefined);
  }

  /** The durable names consumed now. */
  names(): string[] {
    return [...this.#consumers.keys()];
  }

  /** Stops consuming one name (its handler was unregistered); JetStream keeps its messages for the service. */
  async stopConsuming(name: string): Promise<void> {
    const consuming = this.#consumers.get(name);
    this.#consumers.delete(name);
    await consuming?.then((messages) => messages.close()).catch(() => {});
  }

  /** Stops pulling messages; those pulled but not acknowledged are delivered again later. */
  async stop(): Promise<void> {
    const consumers = [...this.#consumers.values()];
    this.#consumers.clear();
    await Promise.allSettled(consumers.map(async (consuming) => (await consuming).close()));
  }

  async #startConsuming(name: string, subject: string, receive: (msg: JsMsg) => void): Promise<ConsumerMessages> {
    const manager = await this.#jetStreamManager(name);
    const stream = streamName(subject);
    const durable = consumerName(this.#serviceName);
    await manager.streams.add({
      name: stream,
      subjects: [subject],
      retention: RetentionPolicy.Interest,
      storage: StorageType.File,
      description: `ExoRelay durable message '${name}'`,
    });
    await manager.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.#ackWait),
      deliver_policy: DeliverPolicy.All,
      description: `ExoRelay service '${this.#serviceName}'`,
    });
    const consumer = await this.#link.connection.jetstream().consumers.get(stream, durable);
    const messages = await consumer.consume({ callback: receive });
    debug('%s consumes durable %s from stream %s as %s', this.#serviceName, name, stream, durable);
    return messages;
  }

  #jetStreamManager(name: string): Promise<JetStreamManager> {
    this.#manager ??= this.#link.connection.jetstreamManager().catch((cause: unknown) => {
      this.#manager = undefined;
      throw new DurabilityUnavailableError(name, { cause });
    });
    return this.#manager;
  }
}

/** JetStream names allow no dots, wildcards or whitespace: a readable part plus a hash keeps them unique. */
export function streamName(subject: string): string {
  return jetStreamName(subject);
}

export function consumerName(serviceName: string): string {
  return jetStreamName(serviceName);
}

function jetStreamName(text: string): string {
  const readable = text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}
