import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source as a user would run the built one, with tsx to load .ts contracts. */
function runCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@exorelay/source', '--import', 'tsx', 'packages/contracts/src/cli/main.ts', ...args],
      { cwd: repositoryRoot },
      (error, stdout, stderr) => resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const fixture = (name: string) => `packages/contracts/test/${name}`;

describe('exorelay-contracts export', () => {
  it('prints one JSON Schema per message and reply', async () => {
    const result = await runCli('export', fixture('support/contracts.ts'), '--format', 'jsonschema');
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    const exported = JSON.parse(result.stdout);
    expect(Object.keys(exported.messages)).toEqual(['users.create', 'users.list', 'file.copy', 'users.deleted']);
    expect(exported.messages['file.copy'].replies['file.copying']).toMatchObject({
      progress: true,
      payload: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' },
    });
  });

  it('prints an AsyncAPI 3.0 document with the given title and version', async () => {
    const result = await runCli(
      'export',
      fixture('support/contracts.ts'),
      '--format',
      'asyncapi',
      '--title',
      'Users',
      '--api-version',
      '3.1.4',
    );
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ asyncapi: '3.0.0', info: { title: 'Users', version: '3.1.4' } });
    expect(Object.keys(document.operations)).toEqual(['users.create', 'users.list', 'file.copy', 'users.deleted']);
  });

  it('picks one of several exported contracts with --export, and asks for it otherwise', async () => {
    const picked = await runCli(
      'export',
      fixture('fixtures/two-contracts.ts'),
      '--format',
      'jsonschema',
      '--export',
      'files',
    );
    expect(picked.exitCode).toBe(0);
    expect(JSON.parse(picked.stdout).messages).toEqual({
      'file.deleted': expect.objectContaining({ durable: true }),
    });
    const ambiguous = await runCli('export', fixture('fixtures/two-contracts.ts'), '--format', 'jsonschema');
    expect(ambiguous).toMatchObject({ exitCode: 1, stdout: '' });
    expect(ambiguous.stderr).toContain('it exports several contracts (files, users): pick one with --export NAME');
  });

  it.each([
    {
      case: 'a module without contracts',
      args: ['export', fixture('fixtures/no-contracts.ts'), '--format', 'asyncapi'],
      exitCode: 1,
      says: 'it exports no contracts: export the result of defineContracts',
    },
    {
      case: 'a missing module',
      args: ['export', fixture('fixtures/absent.ts'), '--format', 'asyncapi'],
      exitCode: 1,
      says: 'absent.ts: no such file',
    },
    {
      case: 'a schema JSON cannot express',
      args: ['export', fixture('fixtures/dated-contracts.ts'), '--format', 'jsonschema'],
      exitCode: 1,
      says: "payload of 'meetings.plan' to JSON Schema: Date cannot be represented in JSON Schema",
    },
    {
      case: 'an unknown format',
      args: ['export', fixture('support/contracts.ts'), '--format', 'yaml'],
      exitCode: 2,
      says: '--format must be asyncapi or jsonschema',
    },
    { case: 'no module', args: ['export', '--format', 'asyncapi'], exitCode: 2, says: 'export needs the path' },
    { case: 'an unknown option', args: ['export', 'x.ts', '--fromat', 'asyncapi'], exitCode: 2, says: "'--fromat'" },
    { case: 'an unknown command', args: ['import'], exitCode: 2, says: "unknown command 'import'" },
  ])('fails on $case with a message on stderr', async ({ args, exitCode, says }) => {
    const result = await runCli(...args);
    expect(result).toMatchObject({ exitCode, stdout: '' });
    expect(result.stderr).toContain(says);
  });

  it('explains how to load a module Node cannot import by itself', async () => {
    const result = await runCli('export', fixture('fixtures/contracts.yaml'), '--format', 'asyncapi');
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toContain("Node cannot import '.yaml' files by itself: run the CLI with a loader for them");
  });

  it('prints its version for --version', async () => {
    const result = await runCli('--version');
    expect(result).toEqual({ exitCode: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('prints its usage for --help', async () => {
    const result = await runCli('export', '--help');
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: exorelay-contracts export <module> --format asyncapi|jsonschema');
  });
});

describe('the installed exorelay-contracts command', () => {
  const builtCli = 'packages/contracts/bin/exorelay-contracts.js';

  beforeAll(() => {
    // The command runs dist/: bring it up to date (a no-op after `pnpm install` built it).
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', 'packages/contracts'], { cwd: repositoryRoot });
  }, 120_000);

  it('loads a TypeScript contracts module by itself, on plain node without a loader', async () => {
    const result = await new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [builtCli, 'export', fixture('support/contracts.ts'), '--format', 'jsonschema'],
        { cwd: repositoryRoot },
        (error, stdout, stderr) => resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(Object.keys(JSON.parse(result.stdout) as object).length).toBeGreaterThan(0);
  });
});
