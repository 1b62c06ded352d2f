// What `npm run bench` times: nvgre-dissect's modes, and the tools they are compared with. A lane
// adding cases writes them in its own module (an array of Case) and lists it in run.ts's CASES.
import { spawnSync } from 'node:child_process';
import { vsidOf } from './corpus.js';

export interface Case {
  /** The row's name. */
  name: string;
  /** For another tool's job: the nvgre-dissect case it is compared with. */
  peerOf?: string;
  /** For a run on more threads: the one-thread case it is the scaling of. */
  scalingOf?: string;
  argv: (file: string) => string[];
  env?: Record<string, string>;
  /** Also measure the bytes nvgre-dissect allocates per frame in this mode (once, on the smallest corpus). */
  allocation?: boolean;
  /** Skip corpora larger than this: a peer that would take minutes a run (tshark -T json on 1M frames). */
  maxFrames?: number;
}

export const BIN = 'bin/nvgre-dissect';
const VSID = vsidOf(0);
const hex8 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

// One thread (--jobs 1): the single-thread targets of issue 18; SCALING runs them on two.
const ONE = [BIN, '--jobs', '1'];
export const OURS: Case[] = [
  { name: 'tree', argv: (f) => [...ONE, f], allocation: true },
  { name: 'summary', argv: (f) => [...ONE, '--summary', f], allocation: true },
  { name: 'json', argv: (f) => [...ONE, '--json', f], allocation: true },
  { name: 'stats', argv: (f) => [...ONE, '--stats', f], allocation: true },
  { name: 'vsid filter', argv: (f) => [...ONE, '--vsid', String(VSID), '--summary', f] },
  { name: 'hex', argv: (f) => [...ONE, '--hex', f] },
];

/** Each mode on two threads against one (issue 18: at least 1.7x for tree and JSON). */
export const SCALING: Case[] = ['tree', 'summary', 'json', 'stats'].map((name) => {
  const one = OURS.find((c) => c.name === name)!;
  return { name: `${name} --jobs 2`, scalingOf: name, argv: (f: string) => [BIN, '--jobs', '2', ...one.argv(f).slice(ONE.length)] };
});

export const installed = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

const TSHARK: Case[] = [
  { name: 'tshark -V', peerOf: 'tree', argv: (f) => ['tshark', '-r', f, '-V'] },
  { name: 'tshark', peerOf: 'summary', argv: (f) => ['tshark', '-r', f] },
  // Issue 18's JSON target is on the 100k corpus: on 1M frames tshark takes 145 s a run.
  { name: 'tshark -T json', peerOf: 'json', argv: (f) => ['tshark', '-r', f, '-T', 'json'], maxFrames: 100_000 },
  // VSID in the key's upper 24 bits: the same frames as --vsid (tshark 4.0 has no nvgre fields).
  { name: 'tshark -Y', peerOf: 'vsid filter', argv: (f) => ['tshark', '-r', f, '-Y', `gre.key >= ${hex8(VSID << 8)} && gre.key <= ${hex8((VSID << 8) | 0xff)}`] },
];

const TCPDUMP: Case[] = [
  // TZ=UTC as we print times: with TZ unset, glibc's localtime() stats /etc/localtime for every
  // frame, which was more than half of tcpdump's time (1.64 s against 3.70 s on 1M frames).
  { name: 'TZ=UTC tcpdump -nn', peerOf: 'summary', argv: (f) => ['tcpdump', '-nn', '-r', f], env: { TZ: 'UTC' } },
  { name: 'tcpdump -nn', peerOf: 'summary', argv: (f) => ['tcpdump', '-nn', '-r', f] },
  // -nn: without it tcpdump -v resolves every address by DNS, which measures the resolver.
  { name: 'TZ=UTC tcpdump -nn -v', peerOf: 'tree', argv: (f) => ['tcpdump', '-nn', '-v', '-r', f], env: { TZ: 'UTC' } },
];

export const PEERS: Case[] = [...(installed('tshark') ? TSHARK : []), ...(installed('tcpdump') ? TCPDUMP : [])];

/** The start-up row: the 8-frame seed capture, against an empty Node and tshark on the same file. */
export const SEED = 'fixtures/seed-ping.pcap';
export const STARTUP: Case[] = [
  { name: 'nvgre-dissect', argv: (f) => [BIN, f] },
  { name: 'node -e 0', argv: () => [process.execPath, '-e', '0'] },
  ...(installed('tshark') ? [{ name: 'tshark -V', argv: (f: string) => ['tshark', '-r', f, '-V'] }] : []),
];
