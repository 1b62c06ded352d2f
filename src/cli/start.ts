// What bin/nvgre-dissect runs: the bundle, from its code cache (see code-cache.ts).
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { compileBundle } from './code-cache.js';
import type { main as Main } from './main.js';

const { main } = compileBundle(join(__dirname, 'main.cjs')).exports as { main: typeof Main };
// The young generation kept at the size start-up leaves it (2 MB) instead of growing to 16 MB:
// what a frame allocates dies with the frame, so the bigger one only saved collections (about 3%
// of a -s run's CPU time) at 11 MB of peak RSS. Set after the bundle is compiled: V8 rejects a
// code cache made under other flags.
setFlagsFromString('--semi-space-growth-factor=1');
main(process.argv).then((code) => {
  process.exitCode = code;
});
