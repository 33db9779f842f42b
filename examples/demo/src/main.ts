import { parseArgs } from 'node:util';
import { runDemo } from './demo.js';

const { values } = parseArgs({
  options: {
    'in-process': { type: 'boolean', default: false },
    pace: { type: 'string', default: '25' },
  },
});

const passed = await runDemo({
  inProcess: values['in-process'] === true,
  output: process.stdout,
  progressPace: Number(values.pace),
});
process.exitCode = passed ? 0 : 1;
