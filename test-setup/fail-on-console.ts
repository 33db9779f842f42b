import { afterEach } from 'vitest';

// A stray console call in library code is a bug (diagnostics go through debuglog), and in a
// test it hides what the test means to show. Fail the test that made one.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const calls: string[] = [];

for (const method of methods) {
  console[method] = (...args: unknown[]) => {
    calls.push(`console.${method}: ${args.map(String).join(' ')}`);
  };
}

afterEach(() => {
  if (calls.length === 0) return;
  const made = calls.splice(0);
  throw new Error(`unexpected console output:\n${made.join('\n')}`);
});
