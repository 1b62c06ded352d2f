// Run by `npm run build` after bundling: dist/cli/main.cjs.cache, from runs of the main output
// modes on the seed capture, so the functions a run compiles are in the cache too.
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { writeCodeCache } from './code-cache.js';
import type { main as Main } from './main.js';

const SEED = join(__dirname, '../../fixtures/seed-ping.pcap');
const discard = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

writeCodeCache(join(__dirname, 'main.cjs'), async (exports) => {
  const { main } = exports as { main: typeof Main };
  for (const mode of [[], ['--summary'], ['--json']]) {
    await main(['node', 'nvgre-dissect', ...mode, SEED], { stdin: Readable.from([]), stdout: discard(), stderr: process.stderr });
  }
}).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
