import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Contracts } from '../define-contracts.js';
import { isContracts } from '../define-contracts.js';
import { ContractsModuleError } from '../errors.js';

/**
 * Imports a contracts module and picks its contracts: the export named `exportName`, else the
 * default export, else the only named export made by `defineContracts`.
 */
export async function loadContracts(modulePath: string, exportName: string | undefined): Promise<Contracts> {
  const exports = await importModule(modulePath);
  if (exportName !== undefined) {
    const chosen = exports[exportName];
    if (isContracts(chosen)) return chosen;
    throw new ContractsModuleError(
      modulePath,
      chosen === undefined
        ? `it has no export named '${exportName}'`
        : `its export '${exportName}' was not made by defineContracts`,
    );
  }
  if (isContracts(exports.default)) return exports.default;
  const found = Object.entries(exports).filter(([, value]) => isContracts(value));
  const [only] = found;
  if (found.length === 1 && only !== undefined) return only[1] as Contracts;
  if (found.length === 0) {
    throw new ContractsModuleError(modulePath, 'it exports no contracts: export the result of defineContracts');
  }
  const names = found.map(([name]) => name).join(', ');
  throw new ContractsModuleError(modulePath, `it exports several contracts (${names}): pick one with --export NAME`);
}

const typeScriptExtensions = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Loads a TypeScript module through tsx's loader, scoped to this import, so `export ./contracts.ts`
 * works on Node 20 without flags. Its imports of `@exorelay/contracts` resolve to the copy the
 * CLI runs, as with a plain `import()`.
 */
async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}

async function importModule(modulePath: string): Promise<Record<string, unknown>> {
  const file = resolve(modulePath);
  if (!existsSync(file)) throw new ContractsModuleError(modulePath, 'no such file');
  const url = pathToFileURL(file).href;
  try {
    if (typeScriptExtensions.has(extname(file))) return await importTypeScript(url);
    return (await import(url)) as Record<string, unknown>;
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new ContractsModuleError(
        modulePath,
        `Node cannot import '${extname(file)}' files by itself: run the CLI with a loader for them (for TypeScript: NODE_OPTIONS="--import tsx" exorelay-contracts …) or point it at the compiled .js`,
        { cause },
      );
    }
    throw new ContractsModuleError(modulePath, `importing it failed: ${(cause as Error).message}`, { cause });
  }
}
