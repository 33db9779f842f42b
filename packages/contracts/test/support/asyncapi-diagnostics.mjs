// Parses an AsyncAPI document from stdin the way AsyncAPI tools do and prints the parser's
// errors and warnings as JSON. It runs in its own Node process because the test runner's
// module conditions would load the parser's broken ESM build.
import { text } from 'node:stream/consumers';
import { Parser } from '@asyncapi/parser';

const { document, diagnostics } = await new Parser().parse(await text(process.stdin));
const problems = diagnostics
  .filter((diagnostic) => diagnostic.severity <= 1)
  .map((diagnostic) => `${diagnostic.code}: ${diagnostic.message} at ${diagnostic.path.join('.')}`);
if (document === undefined && problems.length === 0) problems.push('the parser returned no document');
process.stdout.write(JSON.stringify(problems));
