import type { RelayContracts, ValidationResult } from './contracts.js';
import { ContractViolationError } from './errors.js';
import { isPromiseLike } from './promise-like.js';

/**
 * What a contract check made of a payload: its parsed value, or the violation. `undefined` when
 * no contract checks it (no contracts, or validation off): the payload goes on as it is, and
 * the relay makes no object per message to say so.
 */
export type Checked = { ok: true; value: unknown } | { ok: false; error: ContractViolationError } | undefined;

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
    if (contracts === undefined || !this.enabled) return undefined;
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

/** The payload a check let through: its parsed value, or the payload itself when nothing checked it. */
export function checkedValue(checked: Exclude<Checked, { ok: false }>, payload: unknown): unknown {
  return checked === undefined ? payload : checked.value;
}
