// `npm run bench`: nvgre-dissect against tshark and tcpdump on the same deterministic corpora.
// Options: --frames 100000,1000000 (the corpora, one column each), --runs 3, --no-peers, --huge
// (10M frames streamed through stdin, for the flat-memory check), --no-fleet, --fleet-files 1000,
// --fleet-frames 1000 (bench/fleet.ts). Every run's output goes through
// a pipe; runs alternate between all jobs, so a slow moment of the machine falls on all alike.
// Writes bench/results.json and prints the README's tables.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesPerFrame } from './allocation.js';
import { type Case, OURS, PEERS, SCALING, SEED, STARTUP } from './cases.js';
import { writeCorpusFile } from './corpus.js';
import { etlCases } from './etl.js';
import { fleetBench, fleetRows } from './fleet.js';
import { HAVE_TIME, measure, median } from './measure.js';
import { jobTable, type Row, startupTable } from './table.js';

/** Every case the bench runs: a lane adding cases imports its module here and lists it. */
const CASES: Case[] = [...OURS, ...SCALING, ...PEERS];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const FRAMES = arg('frames', '100000,1000000').split(',').map(Number);
const RUNS = Number(arg('runs', '3'));
/** Start-up runs are short and noisy: more of them. */
const STARTUP_RUNS = 21;
const WITH_PEERS = !process.argv.includes('--no-peers');
const HUGE = process.argv.includes('--huge');

/** `runs` rounds of every case on one file, the cases alternating within each round. */
async function timeAll(cases: Case[], file: string, frames: number, runs: number): Promise<Row[]> {
  const bytes = statSync(`${ROOT}${file}`).size;
  const walls = cases.map((): number[] => []);
  const rss = cases.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, c] of cases.entries()) {
      const sample = await measure(c.argv(file), ROOT, c.env);
      walls[i].push(sample.wall);
      rss[i].push(sample.rssKb);
      process.stderr.write(`${file}, run ${run + 1}/${runs}: ${c.name} ${sample.wall.toFixed(3)} s\n`);
    }
  }
  return cases.map((c, i) => ({ case: c, frames, bytes, wall: median(walls[i]), runs: walls[i], peakRssMb: Math.round(Math.max(...rss[i]) / 1024) }));
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  mkdirSync(`${ROOT}bench/corpus`, { recursive: true });
  const startup = await timeAll(WITH_PEERS ? STARTUP : STARTUP.filter((c) => c.name !== 'tshark -V'), SEED, 8, STARTUP_RUNS);
  const results: Row[] = [];
  const allocation = new Map<string, number>();
  for (const frames of FRAMES) {
    const file = `bench/corpus/${frames}.pcap`;
    if (!existsSync(`${ROOT}${file}`)) await writeCorpusFile(`${ROOT}${file}`, frames);
    const cases = [...CASES, ...(await etlCases(ROOT, frames))].filter((c) => (WITH_PEERS || c.peerOf === undefined) && frames <= (c.maxFrames ?? Infinity));
    results.push(...(await timeAll(cases, file, frames, RUNS)));
    if (frames !== FRAMES[0]) continue;
    for (const c of cases.filter((x) => x.allocation)) allocation.set(c.name, await bytesPerFrame(c, file, frames, SEED, ROOT));
  }
  let huge: { frames: number; peakRssMb: number; wall: number } | null = null;
  if (HUGE && HAVE_TIME) {
    // 10M frames (about 2.8 GB) generated on the fly into stdin: memory must not grow with it.
    // GNU time around nvgre-dissect alone: around the whole pipeline, its peak RSS would be the
    // generator's (the largest process of the pipeline).
    const frames = 10_000_000;
    const r = spawnSync('sh', ['-c', `npx tsx bench/corpus.ts ${frames} | /usr/bin/time -f '%e %M' bin/nvgre-dissect --stats - | cat > /dev/null`], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const [wall, rssKb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    huge = { frames, peakRssMb: Math.round(rssKb / 1024), wall };
  }
  const fleet = process.argv.includes('--no-fleet') ? [] : await fleetBench(Number(arg('fleet-files', '1000')), Number(arg('fleet-frames', '1000')), RUNS);
  const json = (rs: Row[]) => rs.map((r) => ({ job: r.case.name, frames: r.frames, bytes: r.bytes, medianWall: r.wall, peakRssMb: r.peakRssMb, runs: r.runs }));
  const report = { date: new Date().toISOString(), node: process.version, startup: json(startup), results: json(results), bytesAllocatedPerFrame: Object.fromEntries(allocation), huge, fleet };
  writeFileSync(`${ROOT}bench/results.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(startupTable(startup));
  console.log();
  console.log(jobTable(results, allocation));
  for (const line of fleetRows(fleet)) console.log(line);
  if (huge) console.log(`\n10,000,000 frames streamed through stdin (--stats): ${huge.wall.toFixed(1)} s, peak RSS ${huge.peakRssMb} MB`);
}

await main();
