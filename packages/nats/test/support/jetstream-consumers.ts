import { connect } from 'nats';

/** What the server knows of one durable consumer: how often it delivered, and what waits for an ack. */
export interface ConsumerState {
  stream: string;
  consumer: string;
  delivered: number;
  redelivered: number;
  ackPending: number;
  pending: number;
}

/** Reads every durable consumer of the JetStream server at `url`, straight from the server. */
export async function durableConsumers(url: string): Promise<ConsumerState[]> {
  const connection = await connect({ servers: url });
  try {
    const manager = await connection.jetstreamManager();
    const states: ConsumerState[] = [];
    for (const stream of await manager.streams.list().next()) {
      for (const info of await manager.consumers.list(stream.config.name).next()) {
        states.push({
          stream: stream.config.name,
          consumer: info.name,
          delivered: info.delivered.consumer_seq,
          redelivered: info.num_redelivered,
          ackPending: info.num_ack_pending,
          pending: info.num_pending,
        });
      }
    }
    return states;
  } finally {
    await connection.close();
  }
}

/**
 * Resolves once every durable consumer on the server has acknowledged all it was given: from
 * then on the server cannot deliver those messages again. Fails after `timeout` ms with the state.
 */
export async function allAcknowledged(url: string, { timeout = 10_000 } = {}): Promise<ConsumerState[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const states = await durableConsumers(url);
    if (states.length > 0 && states.every((state) => state.ackPending === 0 && state.pending === 0)) return states;
    if (Date.now() > deadline) {
      throw new Error(
        `durable consumers still hold unacknowledged messages after ${timeout} ms: ${JSON.stringify(states)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
