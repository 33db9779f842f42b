import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// What a user reads in the editor: the compiler's messages and hovers for typed relays, pinned
// here because `expectTypeOf` can say that a line fails, not what the error says.
const testDirectory = import.meta.dirname;
const snippetFile = join(testDirectory, `type-messages-snippet-${process.pid}.ts`);
afterAll(() => rmSync(snippetFile, { force: true }));
// One registry for every compile: the packages' sources, zod and the lib files are parsed once
// for the file, not once per snippet. Each snippet is a new version of the snippet file.
const documents = ts.createDocumentRegistry();
let snippetVersion = 0;

const header = `
import { ExoRelay } from 'exorelay';
import * as z from 'zod';
import { defineContracts } from '../src/index.js';
import { contracts } from './support/contracts.js';
declare const relay: ExoRelay<NonNullable<(typeof contracts)['~messages']>>;
`;

function compile(body: string): { diagnostics: string[]; hover: (marker: string) => string } {
  const text = header + body;
  writeFileSync(snippetFile, text);
  const version = String(++snippetVersion);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    customConditions: ['@exorelay/source'],
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [snippetFile],
    getScriptVersion: (file) => (file === snippetFile ? version : '1'),
    getScriptSnapshot: (file) => {
      const content = ts.sys.readFile(file);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => testDirectory,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, documents);
  const diagnostics = service
    .getSemanticDiagnostics(snippetFile)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  const hover = (marker: string) => {
    const position = text.indexOf(marker);
    const info = service.getQuickInfoAtPosition(snippetFile, position);
    return ts.displayPartsToString(info?.displayParts);
  };
  return { diagnostics, hover };
}

describe('what the editor says about a typed relay', () => {
  it('refuses a misspelt name with one error on the name', () => {
    const { diagnostics } = compile(`relay.send('users.crate', { name: 'Ada' });`);
    expect(diagnostics).toHaveLength(1);
    // The valid names, not the declaration tree: ExoRelay's `send` spells its name parameter
    // `keyof M & string` so that the compiler prints the union.
    expect(diagnostics[0]).toBe(
      `Argument of type '"users.crate"' is not assignable to parameter of type '"users.create" | "users.list" | "file.copy" | "users.deleted"'.`,
    );
  });

  it('shows the reply union on hover over what request() resolves with', () => {
    const { diagnostics, hover } = compile(
      `export const created = await relay.request('users.create', { name: 'Ada' });`,
    );
    expect(diagnostics).toEqual([]);
    const shown = hover('created').replace(/\s+/g, ' ');
    expect(shown).toBe(
      'const created: Reply<"users.created", { id: string; name: string; role: "admin" | "member"; }, true> | Reply<"users.invalid", { reason: string; }, true>',
    );
  });

  it('names an unknown declaration key', () => {
    const { diagnostics } = compile(`defineContracts({ ping: { payload: z.string(), durabel: true } });`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.split('\n')[0]).toBe(
      `Type 'true' is not assignable to type 'true & { readonly "'durabel' is not a declaration key; use payload, replies, progress, durable or description": never; }'.`,
    );
  });
});
