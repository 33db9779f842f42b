import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureProgram, writeFixture } from './measure.js';

/**
 * `pnpm bench:types [--messages 500] [--call-sites 300]`: how much the contract types add to a
 * type-check, measured on a generated fixture (`plain/` = the schemas alone, `contracts/` = the
 * same schemas through `defineContracts` and a typed relay).
 */
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '500' },
    'call-sites': { type: 'string', default: '300' },
  },
});
const size = { messages: Number(values.messages), callSites: Number(values['call-sites']) };
const directory = join(import.meta.dirname, 'generated');
writeFixture(directory, size);
const plain = measureProgram(join(directory, 'plain'));
const contracts = measureProgram(join(directory, 'contracts'));
console.log(`${size.messages} messages, ${size.callSites} call sites`);
console.log('| program | check time | total time | instantiations | types |');
console.log('| --- | --: | --: | --: | --: |');
for (const [name, cost] of [
  ['schemas alone', plain],
  ['with contracts', contracts],
] as const) {
  console.log(
    `| ${name} | ${cost.checkSeconds.toFixed(2)} s | ${cost.totalSeconds.toFixed(2)} s | ${cost.instantiations} | ${cost.types} |`,
  );
}
console.log(`check time ratio: ${(contracts.checkSeconds / plain.checkSeconds).toFixed(2)}×`);
console.log(`instantiations ratio: ${(contracts.instantiations / plain.instantiations).toFixed(2)}×`);
