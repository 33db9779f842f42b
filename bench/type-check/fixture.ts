/**
 * Generates the type-check fixture: `messages` Zod schemas, declared once as plain schemas and
 * once through `defineContracts`, with `callSites` typed calls against each. The two programs
 * share `schemas.ts`, so the difference in check time is what the contract types add.
 */
export interface FixtureSize {
  messages: number;
  callSites: number;
}

/** File name → contents, relative to the fixture's directory. */
export type FixtureFiles = Record<string, string>;

const tsconfig = JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  },
  null,
  2,
);

/** One schema per message and reply, varied like a real API: strings, numbers, enums, arrays, optional fields. */
function schemas(messages: number): string {
  const lines = ["import { z } from 'zod';", ''];
  for (let index = 0; index < messages; index++) {
    lines.push(
      `export const payload${index} = z.object({ id: z.string(), count${index}: z.number().int(), kind: z.enum(['a${index}', 'b', 'c']), tags: z.array(z.string()).optional() });`,
      `export const done${index} = z.object({ id: z.string(), total${index}: z.number(), items: z.array(z.object({ name: z.string(), at: z.number() })) });`,
      `export const failed${index} = z.object({ reason: z.string(), code${index}: z.literal(${index}) });`,
    );
    if (index % 5 === 0) lines.push(`export const progress${index} = z.object({ percent: z.number() });`);
  }
  return `${lines.join('\n')}\n`;
}

function callIndex(site: number, messages: number): number {
  return (site * 7) % messages;
}

/** The same calls without contracts: a generic helper typed by the schemas themselves. */
function plainCalls({ messages, callSites }: FixtureSize): string {
  const lines = [
    "import type { z } from 'zod';",
    "import * as s from './schemas.js';",
    '',
    'declare function request<P extends z.ZodType, R extends z.ZodType>(payloadSchema: P, replySchema: R, payload: z.input<P>): Promise<z.output<R>>;',
    '',
    'export async function run(): Promise<number> {',
    '  let sum = 0;',
  ];
  for (let site = 0; site < callSites; site++) {
    const index = callIndex(site, messages);
    lines.push(
      `  const r${site} = await request(s.payload${index}, s.done${index}, { id: 'x', count${index}: ${site}, kind: 'b' });`,
      `  sum += r${site}.total${index} + r${site}.items.length;`,
    );
  }
  lines.push('  return sum;', '}');
  return `${lines.join('\n')}\n`;
}

function contractsModule(messages: number): string {
  const lines = [
    "import { defineContracts } from '@exorelay/contracts';",
    "import * as s from './schemas.js';",
    '',
    'export const contracts = defineContracts({',
  ];
  for (let index = 0; index < messages; index++) {
    const progress = index % 5 === 0 ? ` 'm${index}.progress': s.progress${index},` : '';
    lines.push(
      `  'm${index}.run': { payload: s.payload${index}, replies: {${progress} 'm${index}.done': s.done${index}, 'm${index}.failed': s.failed${index}, 'm${index}.gone': null }${index % 5 === 0 ? `, progress: ['m${index}.progress']` : ''} },`,
    );
  }
  lines.push('});');
  return `${lines.join('\n')}\n`;
}

/** The calls through a relay typed by the contracts: `request`, narrowing on `outcome`, `send`. */
function contractCalls({ messages, callSites }: FixtureSize): string {
  const lines = [
    "import type { ExoRelay } from 'exorelay';",
    "import type { InferMessages } from '@exorelay/contracts';",
    "import type { contracts } from './contracts.js';",
    '',
    'declare const relay: ExoRelay<InferMessages<typeof contracts>>;',
    '',
    'export async function run(): Promise<number> {',
    '  let sum = 0;',
  ];
  for (let site = 0; site < callSites; site++) {
    const index = callIndex(site, messages);
    lines.push(
      `  const r${site} = await relay.request('m${index}.run', { id: 'x', count${index}: ${site}, kind: 'b' });`,
      `  if (r${site}.outcome === 'm${index}.done') sum += r${site}.payload.total${index} + r${site}.payload.items.length;`,
    );
  }
  lines.push('  return sum;', '}');
  return `${lines.join('\n')}\n`;
}

/** Two programs over the same schemas: `plain/` (the schemas' own cost) and `contracts/`. */
export function generateFixture(size: FixtureSize): FixtureFiles {
  const shared = schemas(size.messages);
  return {
    'plain/tsconfig.json': tsconfig,
    'plain/schemas.ts': shared,
    'plain/calls.ts': plainCalls(size),
    'contracts/tsconfig.json': tsconfig,
    'contracts/schemas.ts': shared,
    'contracts/contracts.ts': contractsModule(size.messages),
    'contracts/calls.ts': contractCalls(size),
  };
}
