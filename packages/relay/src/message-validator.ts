import type { RelayContracts } from './contracts.js';
import { ContractViolationError } from './errors.js';

export type Checked = { ok: true; value: unknown } | { ok: false; error: ContractViolationError };

/** Checks payloads and replies against the relay's contracts, in both directions. */
export class MessageValidator {
  constructor(
    private readonly contracts: RelayContracts | undefined,
    private readonly enabled: boolean,
  ) {}

  /** Whether `outcome` ends the replies to `name`: the contracts say, else the replier's `more`. */
  isFinal(name: string, outcome: string, more: boolean): boolean {
    return this.contracts?.isFinal(name, outcome) ?? !more;
  }

  /** Checks a payload (`outcome` undefined) or a reply; resolves with the parsed value. */
  async check(
    name: string,
    outcome: string | undefined,
    payload: unknown,
    direction: 'incoming' | 'outgoing',
  ): Promise<Checked> {
    const contracts = this.contracts;
    if (contracts === undefined || !this.enabled) return { ok: true, value: payload };
    const settled = await (outcome === undefined
      ? contracts.validatePayload(name, payload)
      : contracts.validateReply(name, outcome, payload));
    if (settled === undefined || settled.ok) return { ok: true, value: settled?.value ?? payload };
    return { ok: false, error: new ContractViolationError(name, direction, settled.issues, outcome) };
  }

  /** Like `check`, for what this relay sends: a violation is thrown to the sender. */
  async checkOutgoing(name: string, outcome: string | undefined, payload: unknown): Promise<void> {
    const checked = await this.check(name, outcome, payload, 'outgoing');
    if (!checked.ok) throw checked.error;
  }
}
