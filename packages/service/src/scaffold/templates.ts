/** The files of a new service, by path relative to its folder. */
export function serviceTemplate(
  name: string,
  versions: { exorelay: string; typescript: string },
): Record<string, string> {
  const message = `${name}.greet`;
  const outcome = `${name}.greeted`;
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.0.0',
        private: true,
        type: 'module',
        exoservice: { main: './src/service.ts', receives: [message], sends: [] },
        scripts: { start: 'exoservice run', test: 'vitest run', typecheck: 'tsc --noEmit' },
        dependencies: {
          '@exorelay/contracts': versions.exorelay,
          '@exorelay/service': versions.exorelay,
          exorelay: versions.exorelay,
          zod: '^4',
        },
        devDependencies: {
          '@exorelay/testing': versions.exorelay,
          '@types/node': '^20',
          typescript: versions.typescript,
          vitest: '^4',
        },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'ESNext.Disposable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['src', 'test'],
      },
      null,
      2,
    )}\n`,
    'src/contracts.ts': `import { defineContracts } from '@exorelay/contracts';
import * as z from 'zod';

/** The messages of the ${name} service. Share this module with the services that talk to it. */
export const contracts = defineContracts({
  '${message}': {
    description: 'Greets someone by name.',
    payload: z.object({ name: z.string().min(1) }),
    replies: { '${outcome}': z.object({ greeting: z.string() }) },
  },
});
`,
    'src/service.ts': `import { defineService } from '@exorelay/service';
import { contracts } from './contracts.js';

/** Run it with \`npx exoservice run\` (EXOCOM_PORT says where the bus is). */
export default defineService({
  name: '${name}',
  contracts,
  receives: ['${message}'],
  beforeAll: ({ log }) => log.info('open databases and clients here'),
  handlers: {
    '${message}': ({ name }, { reply }) => reply('${outcome}', { greeting: \`Hello, \${name}!\` }),
  },
  afterAll: ({ log }) => log.info('close them here'),
});
`,
    'test/service.test.ts': `import { startService } from '@exorelay/service';
import { createMockExoCom } from '@exorelay/testing';
import { expect, test } from 'vitest';
import { contracts } from '../src/contracts.js';
import service from '../src/service.js';

test('${message} answers with a greeting', async () => {
  await using bus = await createMockExoCom({ contracts });
  await using _service = await startService(service, { exocomPort: bus.port, log: silent });

  const replies = await bus.send({ to: '${name}', name: '${message}', payload: { name: 'Ada' } }).toArray();

  expect(replies.at(-1)).toMatchObject({ outcome: '${outcome}', payload: { greeting: 'Hello, Ada!' } });
});

const silent = { info() {}, warn() {}, error() {} };
`,
    'README.md': `# ${name}

An ExoRelay service. \`src/contracts.ts\` declares its messages, \`src/service.ts\` handles them.

\`\`\`sh
npm install
npx exocom &                  # the bus, on port 3100
npx exoservice run            # reads "exoservice" in package.json; EXOCOM_PORT, PORT, HEALTH_PORT …
npm test
\`\`\`
`,
  };
}
