import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors.js';

/** What a manifest says about a service: `service.yml`, or the `exoservice` field of `package.json`. */
export interface ServiceManifest {
  /** Where the manifest was read from, for messages. */
  file: string;
  name: string | undefined;
  /** The package's name without its scope: used when neither the manifest nor the definition names the service. */
  packageName: string | undefined;
  /** The service module, absolute; from `main` (the manifest's, or the package's). */
  main: string | undefined;
  receives: string[] | undefined;
  sends: string[] | undefined;
}

const manifestFiles = ['service.yml', 'service.yaml'];

/**
 * Reads the manifest in `folder`: `service.yml` (or `.yaml`) if there is one, else the
 * `exoservice` field of `package.json` (`main` falls back to the package's `main`; the package's
 * name is kept as the last resort for the service's name). Undefined when neither exists.
 *
 * @example
 * # service.yml
 * name: users
 * main: ./src/service.ts
 * receives: [users.create, users.list]
 * sends: []
 */
export async function readManifest(folder: string): Promise<ServiceManifest | undefined> {
  for (const name of manifestFiles) {
    const file = join(folder, name);
    const text = await readIfExists(file);
    if (text !== undefined)
      return fromFields(file, parseYamlFile(file, text), { packageName: undefined, main: undefined });
  }
  const packageFile = join(folder, 'package.json');
  const text = await readIfExists(packageFile);
  if (text === undefined) return undefined;
  const pkg = parseJsonFile(packageFile, text);
  const fields = pkg.exoservice;
  if (fields === undefined) return undefined;
  if (!isRecord(fields))
    throw new ConfigError(`${packageFile}: "exoservice" must be an object { name, main, receives, sends }`);
  return fromFields(packageFile, fields, {
    packageName: typeof pkg.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : undefined,
    main: typeof pkg.main === 'string' ? pkg.main : undefined,
  });
}

function fromFields(
  file: string,
  fields: Record<string, unknown>,
  fallback: { packageName: string | undefined; main: string | undefined },
): ServiceManifest {
  const main = optionalString(file, fields, 'main') ?? fallback.main;
  return {
    file,
    name: optionalString(file, fields, 'name'),
    packageName: fallback.packageName,
    main: main === undefined ? undefined : resolve(dirname(file), main),
    receives: optionalNames(file, fields, 'receives'),
    sends: optionalNames(file, fields, 'sends'),
  };
}

function optionalString(file: string, fields: Record<string, unknown>, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${file}: '${key}' must be a non-empty string`);
  return value;
}

function optionalNames(file: string, fields: Record<string, unknown>, key: string): string[] | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name !== '')) {
    throw new ConfigError(`${file}: '${key}' must be a list of message names`);
  }
  return value as string[];
}

function parseYamlFile(file: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid YAML: ${(error as Error).message.split('\n', 1)[0]}`);
  }
  if (!isRecord(parsed)) throw new ConfigError(`${file} must be a mapping: name, main, receives, sends`);
  return parsed;
}

function parseJsonFile(file: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new ConfigError(`${file} must be a JSON object`);
  return parsed;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
