// Parses AsyncAPI documents the way AsyncAPI tools do: reads one JSON document a line from
// stdin and prints, for each, one line with the parser's errors and warnings as JSON. It runs in
// its own Node process because the test runner's module conditions would load the parser's
// broken ESM build; one process serves every document of a test file, as loading the parser
// costs seconds.
import { createInterface } from 'node:readline';
import { Parser } from '@asyncapi/parser';

const parser = new Parser();
for await (const line of createInterface({ input: process.stdin })) {
  const { document, diagnostics } = await parser.parse(line);
  const problems = diagnostics
    .filter((diagnostic) => diagnostic.severity <= 1)
    .map((diagnostic) => `${diagnostic.code}: ${diagnostic.message} at ${diagnostic.path.join('.')}`);
  if (document === undefined && problems.length === 0) problems.push('the parser returned no document');
  process.stdout.write(`${JSON.stringify(problems)}\n`);
}
