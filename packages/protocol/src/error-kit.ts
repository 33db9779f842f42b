/**
 * The one way every ExoRelay package declares its errors. A family (`ExoRelayError`,
 * `NatsTransportError` …) is a base class with a `Symbol.for` brand; each of its classes stands
 * for one stable `code` and carries a brand of its own. `instanceof` tests these brands rather
 * than prototypes, so it holds across two installed copies of a package (undici does the same).
 * Every error also carries one brand shared by all packages, which {@link isExoRelayError} tests.
 */

const anyErrorBrand = Symbol.for('exorelay.any-error');

/** An error of an ExoRelay package: match on its stable `code`; the message is for humans. */
export interface CodedError<Code extends string = string> extends Error {
  readonly code: Code;
}

/** What a family lends the classes that join it from another family: its brand. */
export interface ErrorBrand {
  readonly brand: symbol;
}

/** The base class of one family of errors, made by {@link defineErrorFamily}. */
export interface ErrorFamily<Code extends string> extends ErrorBrand {
  new (code: Code, message: string, options?: ErrorOptions): CodedError<Code>;
  /** Whether `value` is an error of this family, made by this installed copy or another. */
  readonly is: (value: unknown) => value is CodedError<Code>;
  /**
   * The base of the class that stands for `code`: extend it with a constructor that passes the
   * message. Its errors are named `name` and also belong to the families in `alsoIn`.
   */
  withCode<C extends Code>(code: C, name: string, ...alsoIn: readonly ErrorBrand[]): ErrorClass<C>;
}

/** The base of one error class, made by {@link ErrorFamily.withCode}. */
export interface ErrorClass<Code extends string> {
  new (message: string, options?: ErrorOptions): CodedError<Code>;
}

/**
 * Makes the base class of a family of errors: `name` is its errors' name, `brand` the key of its
 * `Symbol.for` brand (`'exocom.error'`); each code's class is branded `'<brand>.<code>'`.
 *
 * @example
 * ```ts
 * export const ExoComError = defineErrorFamily<ExoComErrorCode>('exocom.error', 'ExoComError');
 * export type ExoComError = CodedError<ExoComErrorCode>;
 *
 * export class PortInUseError extends ExoComError.withCode(ExoComErrorCode.PortInUse, 'PortInUseError') {
 *   constructor(readonly port: number) {
 *     super(`port ${port} is already in use`);
 *   }
 * }
 * ```
 */
export function defineErrorFamily<Code extends string>(brand: string, name: string): ErrorFamily<Code> {
  const familyBrand = Symbol.for(brand);
  const codeBrand = (code: string): symbol => Symbol.for(`${brand}.${code}`);

  class FamilyError extends Error {
    static readonly brand = familyBrand;
    static readonly is = (value: unknown): value is FamilyError => hasBrand(value, familyBrand);
    readonly code: Code;

    constructor(code: Code, message: string, options?: ErrorOptions) {
      super(message, options);
      this.name = name;
      this.code = code;
      brandWith(this, [anyErrorBrand, familyBrand, codeBrand(code)]);
    }

    static override [Symbol.hasInstance](instance: unknown): boolean {
      return hasBrand(instance, familyBrand);
    }

    static withCode<C extends Code>(code: C, className: string, ...alsoIn: readonly ErrorBrand[]): ErrorClass<C> {
      const classBrand = codeBrand(code);
      return class extends FamilyError {
        declare readonly code: C;

        constructor(message: string, options?: ErrorOptions) {
          super(code, message, options);
          this.name = className;
          const joinedFamilies = alsoIn.map((family) => family.brand);
          brandWith(this, joinedFamilies);
        }

        static override [Symbol.hasInstance](instance: unknown): boolean {
          return hasBrand(instance, classBrand);
        }
      };
    }
  }
  return FamilyError;
}

/**
 * Whether `value` is an error of any ExoRelay package (`exorelay`, `exocom`, `@exorelay/nats`,
 * `@exorelay/browser` …), from this installed copy or another.
 *
 * @example
 * ```ts
 * if (isExoRelayError(error)) log.warn(error.code, error.message);
 * else throw error;
 * ```
 */
export function isExoRelayError(value: unknown): value is CodedError {
  return hasBrand(value, anyErrorBrand);
}

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function brandWith(error: Error, brands: readonly symbol[]): void {
  for (const brand of brands) Object.defineProperty(error, brand, { value: true });
}
