import { inKilobytes, measureBundle } from './measure-bundle.js';

// `pnpm --filter @exorelay/browser size`: the figures for the README.
const size = await measureBundle();
process.stdout.write(
  `@exorelay/browser: ${inKilobytes(size.minified)} minified, ${inKilobytes(size.gzipped)} minified+gzipped\n`,
);
