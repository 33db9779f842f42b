/** A validator's answer: the (possibly transformed) value, or readable issues. */
export type ValidationResult = { ok: true; value: unknown } | { ok: false; issues: readonly string[] };

/**
 * The run-time side of message contracts, as the relay needs it. `@exorelay/contracts`
 * builds objects of this shape from Zod or any Standard Schema; anything else that
 * implements it works too. A name the contracts do not describe is not validated.
 */
export interface RelayContracts {
  /** Checks the payload of message `name`; `undefined` when the contracts do not describe `name`. */
  validatePayload(name: string, payload: unknown): ValidationResult | Promise<ValidationResult> | undefined;
  /** Checks a reply to `name` with `outcome`; `undefined` when not described. */
  validateReply(
    name: string,
    outcome: string,
    payload: unknown,
  ): ValidationResult | Promise<ValidationResult> | undefined;
  /** Whether `outcome` ends the reply stream of `name`; `undefined` lets the wire's `more` flag decide. */
  isFinal(name: string, outcome: string): boolean | undefined;
}
