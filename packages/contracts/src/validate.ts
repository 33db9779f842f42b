import type { StandardSchemaV1 } from '@standard-schema/spec';
import { getDotPath } from '@standard-schema/utils';
import type { ValidationResult } from 'exorelay';

/**
 * Runs a Standard Schema and turns its answer into the relay's shape. Stays synchronous when
 * the validator is, so a relay with contracts pays no extra tick per message.
 */
export function validateWith(schema: StandardSchemaV1, value: unknown): ValidationResult | Promise<ValidationResult> {
  const result = schema['~standard'].validate(value);
  return isPromiseLike(result) ? Promise.resolve(result).then(toValidationResult) : toValidationResult(result);
}

/** A thenable from another realm or promise library is still asynchronous: never read it as a result. */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as Partial<PromiseLike<T>>).then === 'function';
}

/** Checks that a message or reply declared without payload came without one. */
export function validateAbsent(value: unknown): ValidationResult {
  if (value === undefined) return { ok: true, value };
  return { ok: false, issues: [`expected no payload, got ${describeJson(value)}`] };
}

function toValidationResult(result: StandardSchemaV1.Result<unknown>): ValidationResult {
  if (result.issues === undefined) return { ok: true, value: result.value };
  return { ok: false, issues: result.issues.map(formatIssue) };
}

/** One readable line per issue: where in the payload (`items.0.price`), then what is wrong. */
export function formatIssue(issue: StandardSchemaV1.Issue): string {
  const path = getDotPath(issue);
  return path === null || path === '' ? issue.message : `${path}: ${issue.message}`;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
