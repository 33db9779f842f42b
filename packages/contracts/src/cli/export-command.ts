import { parseArgs } from 'node:util';
import { toAsyncAPI } from '../asyncapi.js';
import { UsageError } from '../errors.js';
import { type JSONSchemaTarget, toJSONSchema } from '../json-schema.js';
import { loadContracts } from './load-contracts.js';

export const usage = `Usage: exorelay-contracts export <module> --format asyncapi|jsonschema [options]

Prints the contracts that <module> exports (the result of defineContracts) as JSON.

Options:
  --format asyncapi|jsonschema   AsyncAPI 3.0 document, or one JSON Schema per message and reply
  --export NAME                  the export to use when the module exports several contracts
  --title TEXT                   AsyncAPI: title of the API (default: ExoRelay messages)
  --api-version VERSION          AsyncAPI: version of the API (default: 1.0.0)
  --target draft-2020-12|draft-07  JSON Schema dialect (default: draft-2020-12)
  -v, --version                  print the version
  -h, --help                     show this text

<module> may be JavaScript or TypeScript (.ts, .mts, .cts: loaded with tsx).`;

const formats = ['asyncapi', 'jsonschema'] as const;
const targets: readonly JSONSchemaTarget[] = ['draft-2020-12', 'draft-07'];

/** Runs `exorelay-contracts export …` and returns the JSON to print. */
export async function runExport(args: readonly string[]): Promise<string> {
  const { positionals, values } = parseExportArgs(args);
  const [modulePath, ...extra] = positionals;
  if (modulePath === undefined) throw new UsageError('export needs the path of a contracts module');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const format = values.format;
  if (!isOneOf(formats, format)) throw new UsageError(`--format must be ${formats.join(' or ')}`);
  const target = values.target ?? 'draft-2020-12';
  if (!isOneOf(targets, target)) throw new UsageError(`--target must be ${targets.join(' or ')}`);
  const contracts = await loadContracts(modulePath, values.export);
  const document =
    format === 'asyncapi'
      ? toAsyncAPI(contracts, {
          ...(values.title === undefined ? {} : { title: values.title }),
          ...(values['api-version'] === undefined ? {} : { version: values['api-version'] }),
        })
      : toJSONSchema(contracts, { target });
  return JSON.stringify(document, null, 2);
}

function parseExportArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        export: { type: 'string' },
        title: { type: 'string' },
        'api-version': { type: 'string' },
        target: { type: 'string' },
      },
    });
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
}

function isOneOf<T extends string>(allowed: readonly T[], value: string | undefined): value is T {
  return allowed.includes(value as T);
}
