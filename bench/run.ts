// `npm run bench`: nvgre-dissect against tshark and tcpdump on the same deterministic corpora.
// Options: --frames 100000,1000000 (corpora to run), --runs 3, --no-peers, --huge (10M frames
// streamed through stdin for the flat-memory check), --no-fleet, --fleet-files 1000, --fleet-frames
// 1000 (bench/fleet.ts). Writes bench/results.json and prints a table.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vsidOf, writeCorpusFile } from './corpus.js';
import { fleetBench, fleetRows } from './fleet.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const FRAMES = arg('frames', '100000,1000000').split(',').map(Number);
const RUNS = Number(arg('runs', '3'));
const PEERS = !process.argv.includes('--no-peers');
const HUGE = process.argv.includes('--huge');
const TIME = '/usr/bin/time';

interface Job {
  name: string;
  /** The nvgre-dissect job a peer job is compared with. */
  peerOf?: string;
  cmd: (file: string) => string[];
}

const VSID = vsidOf(0);
const hex8 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
const OURS: Job[] = [
  { name: 'tree', cmd: (f) => ['bin/nvgre-dissect', f] },
  { name: 'summary', cmd: (f) => ['bin/nvgre-dissect', '--summary', f] },
  { name: 'json', cmd: (f) => ['bin/nvgre-dissect', '--json', f] },
  { name: 'stats', cmd: (f) => ['bin/nvgre-dissect', '--stats', f] },
  { name: 'vsid filter', cmd: (f) => ['bin/nvgre-dissect', '--vsid', String(VSID), '--summary', f] },
  { name: 'hex', cmd: (f) => ['bin/nvgre-dissect', '--hex', f] },
];
const have = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const PEER_JOBS: Job[] = [
  ...(have('tshark')
    ? [
        { name: 'tshark -V', peerOf: 'tree', cmd: (f: string) => ['tshark', '-r', f, '-V'] },
        { name: 'tshark', peerOf: 'summary', cmd: (f: string) => ['tshark', '-r', f] },
        { name: 'tshark -T json', peerOf: 'json', cmd: (f: string) => ['tshark', '-r', f, '-T', 'json'] },
        // VSID in the key's upper 24 bits: the same frames as --vsid (tshark 4.0 has no nvgre fields).
        { name: 'tshark -Y', peerOf: 'vsid filter', cmd: (f: string) => ['tshark', '-r', f, '-Y', `gre.key >= ${hex8(VSID << 8)} && gre.key <= ${hex8((VSID << 8) | 0xff)}`] },
      ]
    : []),
  ...(have('tcpdump')
    ? [
        { name: 'tcpdump -nn', peerOf: 'summary', cmd: (f: string) => ['tcpdump', '-nn', '-r', f] },
        // -nn: without it tcpdump -v resolves every address by DNS, which measures the resolver.
        { name: 'tcpdump -nn -v', peerOf: 'tree', cmd: (f: string) => ['tcpdump', '-nn', '-v', '-r', f] },
      ]
    : []),
];

interface Sample {
  wall: number;
  rssKb: number;
}

/** One run, output to /dev/null; wall time and peak RSS from GNU time when it is there. */
function measure(argv: string[]): Sample {
  if (existsSync(TIME)) {
    const r = spawnSync(TIME, ['-f', '%e %M', ...argv], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const last = r.stderr.trim().split('\n').pop() ?? '';
    const [wall, rss] = last.split(' ').map(Number);
    return { wall, rssKb: rss };
  }
  const start = process.hrtime.bigint();
  spawnSync(argv[0], argv.slice(1), { cwd: ROOT, stdio: 'ignore' });
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, rssKb: NaN };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Result {
  corpus: string;
  frames: number;
  bytes: number;
  job: string;
  ours: boolean;
  medianWall: number;
  framesPerSecond: number;
  megabytesPerSecond: number;
  peakRssMb: number;
  runs: number[];
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  mkdirSync(`${ROOT}bench/corpus`, { recursive: true });
  const results: Result[] = [];
  for (const frames of FRAMES) {
    const file = `bench/corpus/${frames}.pcap`;
    if (!existsSync(`${ROOT}${file}`)) await writeCorpusFile(`${ROOT}${file}`, frames);
    const bytes = statSync(`${ROOT}${file}`).size;
    const jobs = [...OURS, ...(PEERS ? PEER_JOBS : [])];
    const samples = new Map<string, Sample[]>(jobs.map((j) => [j.name, []]));
    // Alternate jobs run by run, so a slow moment of the machine falls on all of them alike.
    for (let run = 0; run < RUNS; run++) {
      for (const job of jobs) {
        const s = measure(job.cmd(file));
        samples.get(job.name)!.push(s);
        process.stderr.write(`${frames} frames, run ${run + 1}/${RUNS}: ${job.name} ${s.wall.toFixed(2)} s\n`);
      }
    }
    for (const job of jobs) {
      const s = samples.get(job.name)!;
      const wall = median(s.map((x) => x.wall));
      results.push({
        corpus: file,
        frames,
        bytes,
        job: job.name,
        ours: job.peerOf === undefined,
        medianWall: wall,
        framesPerSecond: Math.round(frames / wall),
        megabytesPerSecond: Math.round(bytes / 1e6 / wall),
        peakRssMb: Math.round(Math.max(...s.map((x) => x.rssKb)) / 1024),
        runs: s.map((x) => x.wall),
      });
    }
  }
  let huge: { frames: number; peakRssMb: number; wall: number } | null = null;
  if (HUGE) {
    // 10M frames (about 2.8 GB) generated on the fly into stdin: memory must not grow with it.
    const frames = 10_000_000;
    // GNU time around nvgre-dissect alone: around the whole pipeline, its peak RSS would be the
    // generator's (the largest process of the pipeline), as it was until this was fixed.
    const r = spawnSync('sh', ['-c', `npx tsx bench/corpus.ts ${frames} | ${TIME} -f '%e %M' bin/nvgre-dissect --stats - > /dev/null`], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const [wall, rssKb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    huge = { frames, peakRssMb: Math.round(rssKb / 1024), wall };
  }
  const fleet = process.argv.includes('--no-fleet') ? [] : await fleetBench(Number(arg('fleet-files', '1000')), Number(arg('fleet-frames', '1000')), RUNS);
  writeFileSync(`${ROOT}bench/results.json`, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results, huge, fleet }, null, 2)}\n`);
  console.log([table(results, huge), ...fleetRows(fleet)].join('\n'));
}

/** The README table: one row per job and corpus, the ratio to the peer of the same job. */
function table(results: Result[], huge: { frames: number; peakRssMb: number; wall: number } | null): string {
  const rows = ['| corpus | job | median wall | frames/s | MB/s | peak RSS | vs peer |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const peers = results.filter((p) => p.corpus === r.corpus && !p.ours && PEER_JOBS.find((j) => j.name === p.job)?.peerOf === r.job);
    const vs = (p: Result): string => {
      const x = p.medianWall / r.medianWall;
      return x >= 1 ? `${x.toFixed(1)}x faster than ${p.job}` : `${(1 / x).toFixed(1)}x slower than ${p.job}`;
    };
    const ratio = r.ours ? peers.map(vs).join('; ') : '';
    rows.push(
      `| ${r.frames.toLocaleString('en')} | ${r.ours ? `nvgre-dissect ${r.job}` : r.job} | ${r.medianWall.toFixed(2)} s | ` +
        `${r.framesPerSecond.toLocaleString('en')} | ${r.megabytesPerSecond} | ${r.peakRssMb} MB | ${ratio} |`,
    );
  }
  if (huge) rows.push('', `10,000,000 frames streamed through stdin (--stats): ${huge.wall.toFixed(1)} s, peak RSS ${huge.peakRssMb} MB`);
  return rows.join('\n');
}

await main();
