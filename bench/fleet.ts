// The fleet case (issue 17 point 4): N captures of M frames in one command against one capture of
// N x M frames, the same frames, so the difference is what each file costs (open, format sniff,
// per-file state). Run alone: `npx tsx bench/fleet.ts --files 200 --frames 1000 --runs 3`;
// `npm run bench` runs it at 1,000 x 1,000 (--fleet-files, --fleet-frames, --no-fleet).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeCorpusFile } from './corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface FleetResult {
  files: number;
  framesPerFile: number;
  job: string;
  /** Median wall seconds: the files, and the one capture of all their frames. */
  fleetWall: number;
  singleWall: number;
  /** (fleet - single) / files, in milliseconds. */
  perFileMs: number;
  runs: { fleet: number[]; single: number[] };
}

const JOBS: [string, string[]][] = [
  ['stats', ['--stats']],
  ['summary', ['--summary']],
];

/** The corpus files, written once: `bench/corpus/fleet-<files>x<frames>/0000.pcap` ... */
async function corpus(files: number, frames: number): Promise<{ paths: string[]; single: string }> {
  const dir = `bench/corpus/fleet-${files}x${frames}`;
  mkdirSync(`${ROOT}${dir}`, { recursive: true });
  const paths = Array.from({ length: files }, (_, i) => `${dir}/${String(i).padStart(4, '0')}.pcap`);
  if (readdirSync(`${ROOT}${dir}`).length !== files) for (const p of paths) await writeCorpusFile(`${ROOT}${p}`, frames);
  const single = `bench/corpus/${files * frames}.pcap`;
  if (!existsSync(`${ROOT}${single}`)) await writeCorpusFile(`${ROOT}${single}`, files * frames);
  return { paths, single };
}

/** Wall seconds of one run, its output through a pipe (as a user's `| grep` reads it). */
function wall(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', 'bin/nvgre-dissect "$@" | cat > /dev/null', 'sh', ...args], { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`nvgre-dissect ${args.slice(0, 3).join(' ')} ... exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Fleet and single capture alternated run by run, so a slow moment of the shared machine falls on both. */
export async function fleetBench(files: number, framesPerFile: number, runs: number): Promise<FleetResult[]> {
  const { paths, single } = await corpus(files, framesPerFile);
  return JOBS.map(([job, opts]) => {
    const fleet: number[] = [];
    const one: number[] = [];
    for (let run = 0; run < runs; run++) {
      fleet.push(wall([...opts, ...paths]));
      one.push(wall([...opts, single]));
      process.stderr.write(`fleet ${files} x ${framesPerFile}, ${job}, run ${run + 1}/${runs}: ${fleet[run].toFixed(2)} s vs ${one[run].toFixed(2)} s\n`);
    }
    const [fleetWall, singleWall] = [median(fleet), median(one)];
    return { files, framesPerFile, job, fleetWall, singleWall, perFileMs: ((fleetWall - singleWall) / files) * 1000, runs: { fleet, single: one } };
  });
}

/** Rows for the bench's table. */
export function fleetRows(results: FleetResult[]): string[] {
  return results.map(
    (r) =>
      `${r.files.toLocaleString('en')} captures x ${r.framesPerFile.toLocaleString('en')} frames, ${r.job}: ${r.fleetWall.toFixed(2)} s, ` +
      `one capture of ${(r.files * r.framesPerFile).toLocaleString('en')}: ${r.singleWall.toFixed(2)} s, per file ${r.perFileMs.toFixed(2)} ms`,
  );
}

if (process.argv[1]?.endsWith('fleet.ts')) {
  const arg = (name: string, fallback: string): number => {
    const i = process.argv.indexOf(`--${name}`);
    return Number(i > 0 ? process.argv[i + 1] : fallback);
  };
  console.log(fleetRows(await fleetBench(arg('files', '1000'), arg('frames', '1000'), arg('runs', '3'))).join('\n'));
}
