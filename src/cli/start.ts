// What bin/nvgre-dissect runs: the bundle, from its code cache (see code-cache.ts).
import { join } from 'node:path';
import { compileBundle } from './code-cache.js';
import type { main as Main } from './main.js';

const { main } = compileBundle(join(__dirname, 'main.cjs')).exports as { main: typeof Main };
main(process.argv).then((code) => {
  process.exitCode = code;
});
