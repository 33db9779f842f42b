import type { RelayContracts, ValidationResult } from './contracts.js';
import { ContractViolationError } from './errors.js';

export type Checked = { ok: true; value: unknown } | { ok: false; error: ContractViolationError };

/**
 * Checks payloads and replies against the relay's contracts, in both directions. Answers
 * synchronously when there is nothing to check or the schema checks synchronously: the relay
 * then adds no promise to the message's way.
 */
export class MessageValidator {
  constructor(
    private readonly contracts: RelayContracts | undefined,
    private readonly enabled: boolean,
  ) {}

  /** Whether `outcome` ends the replies to `name`: the contracts say, else the replier's `more`. */
  isFinal(name: string, outcome: string, more: boolean): boolean {
    return this.contracts?.isFinal(name, outcome) ?? !more;
  }

  /** Checks a payload (`outcome` undefined) or a reply; the parsed value, or the violation. */
  check(
    name: string,
    outcome: string | undefined,
    payload: unknown,
    direction: 'incoming' | 'outgoing',
  ): Checked | Promise<Checked> {
    const contracts = this.contracts;
    if (contracts === undefined || !this.enabled) return { ok: true, value: payload };
    const result =
      outcome === undefined
        ? contracts.validatePayload(name, payload)
        : contracts.validateReply(name, outcome, payload);
    const toChecked = (settled: ValidationResult | undefined): Checked => {
      if (settled === undefined || settled.ok) return { ok: true, value: settled?.value ?? payload };
      return { ok: false, error: new ContractViolationError(name, direction, settled.issues, outcome) };
    };
    return isPromiseLike(result) ? Promise.resolve(result).then(toChecked) : toChecked(result);
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

/**
 * Runs `next` with a check's result: at once when the check answered synchronously, else once
 * it settles. The way every message goes on after its contract check, with no promise between
 * when none is needed.
 */
export function afterCheck<R>(
  checked: Checked | Promise<Checked>,
  next: (checked: Checked) => R,
): R | Promise<Awaited<R>> {
  return checked instanceof Promise ? (checked.then(next) as Promise<Awaited<R>>) : next(checked);
}
