import { isReservedName, RESERVED_PREFIX } from '@exorelay/protocol';
import { InvalidArgumentError } from './errors.js';

/** A registered function that serves one message name. Kept loose here; `ExoRelay` types it per message. */
export type AnyHandler = (payload: never, context: never) => unknown;

/** Message name → handler. The texts of its errors are those of the original ExoRelay. */
export class HandlerRegistry {
  readonly #handlers = new Map<string, AnyHandler>();

  /** Adds a handler, or returns why it cannot. */
  register(name: unknown, handler: unknown): InvalidArgumentError | undefined {
    const problem = registrationProblem(name, handler, this.#handlers);
    if (problem !== undefined) return new InvalidArgumentError(problem);
    this.#handlers.set(name as string, handler as AnyHandler);
    return undefined;
  }

  /** Removes the handler of `name`; `false` when there was none. */
  unregister(name: string): boolean {
    return this.#handlers.delete(name);
  }

  has(name: string): boolean {
    return this.#handlers.has(name);
  }

  get(name: string): AnyHandler | undefined {
    return this.#handlers.get(name);
  }

  names(): string[] {
    return [...this.#handlers.keys()];
  }
}

function registrationProblem(name: unknown, handler: unknown, handlers: Map<string, AnyHandler>): string | undefined {
  if (name === undefined || name === null || name === '') return 'No request id provided';
  if (typeof name !== 'string') return 'Request ids must be strings';
  if (handler === undefined || handler === null) return 'No message handler provided';
  if (typeof handler !== 'function') return 'Message handler must be a function';
  if (isReservedName(name)) {
    return `Cannot register a handler for '${name}': names starting with '${RESERVED_PREFIX}' are reserved for the protocol`;
  }
  if (handlers.has(name)) return `There is already a handler for message '${name}'`;
  return undefined;
}
