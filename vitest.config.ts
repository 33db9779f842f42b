import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests run from source: the `@exorelay/source` export condition points every workspace
// package at its `src/index.ts`, so no build is needed before `vitest run`.
const conditions = ['@exorelay/source', 'node', 'import', 'module', 'default'];
// Tests run in Node, which Vitest starts with these conditions too: without `module`, a
// bundlers' condition whose files Node may not load (@opentelemetry/api's ESM build has
// extension-less imports).
const nodeConditions = conditions.filter((condition) => condition !== 'module');

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: nodeConditions } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test-setup/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.case.ts'],
    // Finds or installs nats-server and chromium before any test starts (or stops with one line).
    globalSetup: ['./test-setup/ensure-test-servers.ts'],
    setupFiles: ['./test-setup/fail-on-console.ts'],
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      // The type tests and what they import (the packages' sources), not every test file: tsc runs
      // after the other tests, so its time adds to the suite's. `pnpm typecheck` checks the rest.
      tsconfig: './test-setup/tsconfig.type-tests.json',
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One fork a core. Vitest's default is one fewer than cores: a single fork on two cores, which
    // ran the files one after another and left a core idle while a file waited on its servers and
    // child processes. Not more: those child processes need the cores too; four forks on two busy
    // cores took 16 % more CPU time and starved the flood test's sender (packages/exocom subset).
    maxWorkers: availableParallelism(),
    // A worker runs many test files: loading the packages once per worker, not once per file,
    // halves the suite's CPU time. Every test builds its own servers and relays (AsyncDisposable
    // fixtures on port 0), and setupFiles still run before each file.
    isolate: false,
    reporters: ['default', './test-setup/summary-reporter.ts'],
  },
});
