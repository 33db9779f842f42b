import { describe, expect, it } from 'vitest';
import { placeOf, samplesPerPlace } from '../harness/perf-places.js';

const relayFrame = { symbol: 'JS:*send file:///w/packages/relay/dist/outbox.js:83:59', dso: '[JIT] tid 7' };
const undiciFrame = {
  symbol: 'JS:*writeH1 /w/node_modules/.pnpm/undici@7.30.2/node_modules/undici/lib/dispatcher/client-h1.js:1144:18',
  dso: '[JIT] tid 7',
};

describe('placeOf', () => {
  it('names the kernel, the garbage collector and JSON by the leaf frame', () => {
    expect(placeOf([{ symbol: 'tcp_sendmsg', dso: '[kernel.kallsyms]' }, relayFrame])).toBe('kernel');
    expect(placeOf([{ symbol: 'v8::internal::Scavenger::ScavengePage', dso: 'node' }])).toBe('garbage collector');
    expect(placeOf([{ symbol: 'v8::internal::JsonParser<unsigned char>::ParseJson', dso: 'node' }, relayFrame])).toBe(
      'JSON (V8)',
    );
  });

  it('gives other samples to the nearest JavaScript frame, by package', () => {
    expect(placeOf([relayFrame, undiciFrame])).toBe('js packages/relay');
    expect(placeOf([{ symbol: 'Builtins_FindOrderedHashMapEntry', dso: 'node' }, undiciFrame, relayFrame])).toBe(
      'native undici',
    );
    expect(placeOf([{ symbol: 'uv_run', dso: 'node' }])).toBe('native, no JavaScript caller');
  });
});

describe('samplesPerPlace', () => {
  it('counts the samples of the pids asked for, one place each', async () => {
    const lines = [
      '7 ',
      '\tffffffff8201011d tcp_sendmsg_locked ([kernel.kallsyms])',
      '\t    7f214e1141a3 JS:*send file:///w/packages/relay/dist/outbox.js:83:59 (/tmp/perf-7.map)',
      '',
      '7 ',
      '\t    7f214e1141a3 JS:*send file:///w/packages/relay/dist/outbox.js:83:59 (/tmp/perf-7.map)',
      '',
      '8 ',
      '\tffffffff8201011d tcp_sendmsg_locked ([kernel.kallsyms])',
      '',
      '9 ',
      '\tffffffff8201011d tcp_sendmsg_locked ([kernel.kallsyms])',
      // perf pads a short pid to its width.
      '    9 ',
      '\t    7f214e1141a3 JS:*send file:///w/packages/relay/dist/outbox.js:83:59 (/tmp/perf-9.map)',
    ];
    const counts = await samplesPerPlace(lines, ['7', '9']);
    expect(Object.fromEntries(counts.get('7') ?? [])).toEqual({ kernel: 1, 'js packages/relay': 1 });
    expect(Object.fromEntries(counts.get('9') ?? [])).toEqual({ kernel: 1, 'js packages/relay': 1 });
    expect(counts.has('8')).toBe(false);
  });
});
