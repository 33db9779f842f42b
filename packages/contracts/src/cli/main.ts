#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { isContractsError, UsageError } from '../errors.js';
import { runExport, usage } from './export-command.js';

/** `exorelay-contracts export <module> --format asyncapi|jsonschema`: prints contracts for other languages and tools. */
async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    console.error(usage);
    return 2;
  }
  if (command === '--version' || command === '-v') {
    console.log(packageVersion());
    return 0;
  }
  if ([command, ...rest].some((arg) => arg === '--help' || arg === '-h')) {
    console.log(usage);
    return 0;
  }
  try {
    if (command !== 'export') throw new UsageError(`unknown command '${command}'`);
    console.log(await runExport(rest));
    return 0;
  } catch (error) {
    if (!isContractsError(error)) throw error;
    console.error(`exorelay-contracts: ${error.message}`);
    if (error instanceof UsageError) console.error(`\n${usage}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** The same from `src/cli/main.ts` (tests) and `dist/cli/main.js` (installed). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

process.exitCode = await main(process.argv.slice(2));
