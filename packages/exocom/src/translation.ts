import { isReservedName } from '@exorelay/protocol';
import { ConfigError } from './errors.js';

/**
 * One renaming: the bus routes `public`, the service knows the message as `internal`. Lets a
 * generic service (a store, a mailer) join a landscape under the names the landscape uses.
 */
export interface Translation {
  public: string;
  internal: string;
}

/**
 * Renames messages for one service: messages going to it and replies it receives get their
 * internal name; what it sends (messages and replies) gets the public name. Payloads are never
 * touched. Names without a translation pass through.
 */
export class NameTranslator {
  readonly translations: readonly Translation[];
  readonly #toInternal = new Map<string, string>();
  readonly #toPublic = new Map<string, string>();

  /** Throws a `ConfigError` when a name is reserved or translated twice. */
  constructor(translations: readonly Translation[], path = 'translations') {
    this.translations = translations;
    translations.forEach((translation, index) => {
      const at = `${path}[${index}]`;
      for (const side of ['public', 'internal'] as const) {
        const name = translation[side];
        if (typeof name !== 'string' || name === '')
          throw new ConfigError('must be a non-empty string', `${at}.${side}`);
        if (isReservedName(name)) throw new ConfigError(`'${name}' is reserved for the protocol`, `${at}.${side}`);
      }
      if (this.#toInternal.has(translation.public)) {
        throw new ConfigError(`translates the public name '${translation.public}' a second time`, at);
      }
      if (this.#toPublic.has(translation.internal)) {
        throw new ConfigError(`translates the internal name '${translation.internal}' a second time`, at);
      }
      this.#toInternal.set(translation.public, translation.internal);
      this.#toPublic.set(translation.internal, translation.public);
    });
  }

  /** The name the service knows a public message name by. */
  toInternal(publicName: string): string {
    return this.#toInternal.get(publicName) ?? publicName;
  }

  /** The name the landscape knows a name the service uses by. */
  toPublic(internalName: string): string {
    return this.#toPublic.get(internalName) ?? internalName;
  }
}
