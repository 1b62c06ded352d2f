// Issue 14's ETL target measured by CPU time rather than wall time (the bench's figure), for a
// shared machine: the bench's ETL corpus and its pcapng twin (bench/etl.ts's writers, the files
// `npm run bench` reads: bench/corpus/N.etl and N.pcapng, written when missing),
// then `-s F | cat` and `--stats F` on each, alternating, CPU (user + sys of the dissector, from
// GNU time) and wall medians. Not part of `npm test` or `npm run bench`:
//   npm run build && npx tsx bench/etl-ratio.ts [--frames 100000] [--runs 5]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { median } from './measure.js';
import { writeEtlCorpusFile, writePcapngCorpusFile } from './etl.js';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
const frames = Number(values.frames);
const runs = Number(values.runs);
const corpus = new URL('corpus/', import.meta.url).pathname;
const etl = `${corpus}${frames}.etl`;
const pcapng = `${corpus}${frames}.pcapng`;
if (!existsSync(etl)) await writeEtlCorpusFile(etl, frames);
if (!existsSync(pcapng)) await writePcapngCorpusFile(pcapng, frames);

const BIN = new URL('../bin/nvgre-dissect', import.meta.url).pathname;

/** CPU and wall seconds of one run; GNU time measures the dissector alone, before its output reaches `cat`. */
function run(flag: string, file: string): { cpu: number; wall: number } {
  const r = spawnSync('sh', ['-c', `/usr/bin/time -f '%U %S %e' "$0" "$1" "$2" | cat >/dev/null`, BIN, flag, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${flag} ${file}: exit ${r.status}: ${r.stderr}`);
  const [user, sys, wall] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpu: user + sys, wall };
}

for (const flag of ['-s', '--stats']) {
  const samples = { etl: [] as { cpu: number; wall: number }[], pcapng: [] as { cpu: number; wall: number }[] };
  for (let i = 0; i < runs; i++) {
    samples.etl.push(run(flag, etl));
    samples.pcapng.push(run(flag, pcapng));
  }
  const m = (xs: { cpu: number; wall: number }[], k: 'cpu' | 'wall'): number => median(xs.map((x) => x[k]));
  const fmt = (k: 'cpu' | 'wall'): string =>
    `${k} etl ${m(samples.etl, k).toFixed(2)} s, pcapng ${m(samples.pcapng, k).toFixed(2)} s, ratio ${(m(samples.etl, k) / m(samples.pcapng, k)).toFixed(2)}`;
  console.log(`${flag.padEnd(8)} ${fmt('cpu')}; ${fmt('wall')}`);
}
