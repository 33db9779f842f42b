import { setTimeout as delay } from 'node:timers/promises';

/** Where the bus is and which instance withdraws. */
export interface Withdrawal {
  exocomHost: string;
  exocomPort: number;
  serviceName: string;
  /** The address the relay registered: its advertised host and bound port. */
  host: string;
  port: number;
  /** Handlers of this service still running. */
  activeHandlers(): number;
  /** Ends the wait: the drain time is over. */
  signal: AbortSignal;
}

const pollInterval = 20;

interface StatusInstance {
  host: string;
  port: number;
  receives: string[];
  inFlight: number;
}

/**
 * Lets an HTTP-delivered service stop without losing a message. The relay keeps handling while
 * the instance re-registers with no names (so the bus routes new messages to the other
 * instances), then this waits until the bus has no delivery to it under way and every handler
 * finished, polling `GET /status`. Only then may the relay close: a relay that closes while
 * still registered answers 503 to messages already routed to it.
 *
 * Resolves early when `signal` aborts; the relay's own bounded drain takes over then.
 */
export async function withdrawFromBus(withdrawal: Withdrawal): Promise<void> {
  const bus = `http://${withdrawal.exocomHost}:${withdrawal.exocomPort}`;
  const { serviceName, host, port, signal } = withdrawal;
  const announceNothing = () =>
    fetch(`${bus}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName, host, port, receives: [] }),
      signal,
    });
  try {
    // A bus that routes from its configuration only takes no registrations: nothing to withdraw.
    if ((await announceNothing()).status === 404) return;
    for (;;) {
      const instance = await findInstance(bus, withdrawal);
      // The relay re-announces its names now and then; withdraw them again.
      if (instance !== undefined && instance.receives.length > 0) await announceNothing();
      else if ((instance?.inFlight ?? 0) === 0 && withdrawal.activeHandlers() === 0) return;
      await delay(pollInterval, undefined, { signal });
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}

async function findInstance(bus: string, withdrawal: Withdrawal): Promise<StatusInstance | undefined> {
  const response = await fetch(`${bus}/status`, { signal: withdrawal.signal });
  const status = (await response.json()) as { services?: { name: string; instances?: StatusInstance[] }[] };
  const service = status.services?.find((candidate) => candidate.name === withdrawal.serviceName);
  return service?.instances?.find((instance) => instance.host === withdrawal.host && instance.port === withdrawal.port);
}
