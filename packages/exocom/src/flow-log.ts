import { styleText } from 'node:util';
import type { DeliveryFailedError } from './errors.js';
import type { InstanceChange } from './routing-table.js';

/** One receiving instance of a flow. */
export interface FlowReceiver {
  service: string;
  /** The name the receiver got, after translation. */
  name: string;
  /** `host:port` of the instance that got it, or its event-stream id. */
  instance: string;
  /** How many instances the service has; one of them got the message. */
  instances: number;
}

/** What the bus did with one message; the `flow` event carries it and `formatFlowEvent` prints it. */
export type FlowEvent =
  | {
      kind: 'message';
      /** The public name. */
      name: string;
      sender: string;
      requestId: string;
      /** Empty when nobody receives the name. */
      receivers: FlowReceiver[];
      /** The sender reads no replies to it (`oneWay` in the envelope): nothing will answer it. */
      oneWay?: true;
    }
  | {
      kind: 'reply';
      /** The reply's outcome, public name. */
      name: string;
      /** The replying service (for a `DELIVERY_FAILED` reply: the service that could not be reached). */
      sender: string;
      requestId: string;
      responseTo: string;
      final: boolean;
      /** Empty when the bus has no route for `responseTo` (unknown or expired), or no address for the requester. */
      receivers: FlowReceiver[];
      /** Why a reply with a route reached nobody, in words a user can act on (the requester has no address). */
      dropped?: string;
    }
  | {
      kind: 'delivery-failed';
      name: string;
      sender: string;
      requestId: string;
      receiver: FlowReceiver;
      error: DeliveryFailedError;
    };

/** How `formatFlowEvent` and `formatInstanceChange` write a line. */
export interface FormatOptions {
  /**
   * Colour the line with ANSI escapes.
   * @default false
   */
  colors?: boolean;
}

type Style = 'bold' | 'dim' | 'cyan' | 'green' | 'yellow' | 'red';

/**
 * One readable line per flow, as the CLI prints it.
 *
 * @example
 * bus.on('flow', (event) => lines.push(formatFlowEvent(event)))
 * // web  --[ users.create ]->  users (2 instances)
 * // users  --[ users.created ]->  web (reply)
 */
export function formatFlowEvent(event: FlowEvent, options: FormatOptions = {}): string {
  const paint = painter(options);
  const sender = paint('cyan', event.sender);
  const name = paint('bold', event.name);
  switch (event.kind) {
    case 'message': {
      const receivers =
        event.receivers.length === 0 ? paint('yellow', '(no receivers)') : describeReceivers(event, paint);
      return `${sender}  --[ ${name} ]->  ${receivers}`;
    }
    case 'reply': {
      if (event.dropped !== undefined) return `${sender}  --[ ${name} ]-x  ${paint('red', event.dropped)}`;
      if (event.receivers.length === 0) {
        return `${sender}  --[ ${name} ]->  ${paint('yellow', '(reply to an unknown or expired request)')}`;
      }
      const kind = event.final ? '(reply)' : '(progress reply)';
      return `${sender}  --[ ${name} ]->  ${describeReceivers(event, paint)} ${paint('dim', kind)}`;
    }
    case 'delivery-failed': {
      const receiver = `${event.receiver.service} at ${event.receiver.instance}`;
      const { status } = event.error;
      // A 4xx means the instance is up and said no (422: the payload broke its contract): not a failure to deliver.
      if (status !== undefined && status >= 400 && status < 500) {
        const refusal = `${receiver}: refused (${status})${refusalDetail(event.error.reason, status)}`;
        return `${sender}  --[ ${name} ]-x  ${paint('yellow', refusal)}`;
      }
      return `${sender}  --[ ${name} ]-x  ${paint('red', `${receiver}: delivery failed, ${event.error.reason}`)}`;
    }
  }
}

/**
 * One readable line when an instance joins, changes or leaves.
 *
 * @example
 * bus.on('instance', (change) => lines.push(formatInstanceChange(change)))
 * // users  joined at 127.0.0.1:4001 (registration), receives users.create, users.list
 * // web  joined over event stream 6f1c…e2 (connected), receives web.notify
 */
export function formatInstanceChange(change: InstanceChange, options: FormatOptions = {}): string {
  const paint = painter(options);
  const { service, host, port, receives, up, eventStream } = change.instance;
  const place = eventStream === undefined ? `at ${host}:${port}` : `over event stream ${eventStream.id}`;
  const where = `${paint('cyan', service)}  ${place}`;
  const handles = receives.length === 0 ? 'receives nothing yet' : `receives ${receives.join(', ')}`;
  switch (change.type) {
    case 'added':
      return `${paint('cyan', service)}  joined ${place} (${change.reason}), ${handles}`;
    case 'removed':
      return `${where} ${paint('yellow', `left (${change.reason})`)}`;
    case 'updated':
      return up
        ? `${where} updated (${change.reason}), ${handles}`
        : `${where} ${paint('red', `is down (${change.reason})`)}`;
  }
}

function describeReceivers(event: { name: string; receivers: FlowReceiver[] }, paint: Painter): string {
  const byService = new Map<string, FlowReceiver[]>();
  for (const receiver of event.receivers)
    byService.set(receiver.service, [...(byService.get(receiver.service) ?? []), receiver]);
  return [...byService.values()]
    .map((receivers) => {
      const [first] = receivers as [FlowReceiver];
      const renamed = first.name === event.name ? '' : ` as '${first.name}'`;
      const count = first.instances > 1 ? ` (${first.instances} instances)` : '';
      return `${paint('green', first.service)}${renamed}${count}`;
    })
    .join(', ');
}

type Painter = (style: Style, text: string) => string;

/** What the instance said, on the same line: `status 422: {…}` becomes `, {…}`. */
function refusalDetail(reason: string, status: number): string {
  const detail = reason.replace(`status ${status}`, '').replace(/^: /, '').replace(/\s+/g, ' ').trim();
  return detail === '' ? '' : `, ${detail}`;
}

function painter({ colors = false }: FormatOptions): Painter {
  if (!colors) return (_style, text) => text;
  // The caller decides whether the output can show colours (the CLI asks the stream), so Node
  // 22's own check of process.stdout is turned off; Node 20 does not check.
  return (style, text) => styleText(style, text, { validateStream: false });
}
