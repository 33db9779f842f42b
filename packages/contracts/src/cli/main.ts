#!/usr/bin/env node
import { isContractsError, UsageError } from '../errors.js';
import { runExport, usage } from './export-command.js';

/** `exorelay-contracts export <module> --format asyncapi|jsonschema`: prints contracts for other languages and tools. */
async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    console.error(usage);
    return 2;
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

process.exitCode = await main(process.argv.slice(2));
