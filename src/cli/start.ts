// What bin/nvgre-dissect runs: the bundle, from its code cache (see code-cache.ts).
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { compileBundle } from './code-cache.js';
import type { main as Main } from './main.js';

const { main } = compileBundle(join(__dirname, 'main.cjs')).exports as { main: typeof Main };
// The young generation kept at the size start-up leaves it (2 MB, 4 in some runs) instead of
// growing to 16 MB: what a frame allocates dies with the frame, so the bigger one only saved
// collections, at 11 MB of a -s run's peak RSS. Each collection is then small, and done by this
// thread alone: handing it to helper threads cost more than it saved (on 2 busy cores the run
// took 4.28 s of wall time against 3.65 s without them). Set after the bundle is compiled: V8
// rejects a code cache made under other flags.
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--no-parallel-scavenge');
main(process.argv).then((code) => {
  process.exitCode = code;
});
