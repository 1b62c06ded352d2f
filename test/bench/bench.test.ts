// The bench's own arithmetic (issue 18.4): the allocation probe and the table the README shows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../bench/cases.js';
import { jobTable, type Row, startupTable } from '../../bench/table.js';
import { ROOT } from '../cli/spawn.js';

/** What the probe reports for a Node script, run as the bench runs nvgre-dissect. */
function probed(script: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  try {
    const out = join(dir, 'gc.json');
    const env = { ...process.env, NODE_OPTIONS: `--import=${ROOT}bench/gc-probe.mjs`, NVGRE_GC_PROBE: out };
    expect(spawnSync(process.execPath, ['-e', script], { env }).status).toBe(0);
    return (JSON.parse(readFileSync(out, 'utf8')) as { allocated: number }).allocated;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('allocation probe', () => {
  it('counts what a run allocates across many collections', () => {
    // 200,000 arrays of 32 doubles, each 16 + 8 * 32 bytes of backing store at least, all dropped:
    // about 54 MB through a young generation of a few MB.
    const script = 'let keep; for (let i = 0; i < 200000; i++) keep = new Array(32).fill(1.5);';
    const idle = probed('');
    const busy = probed(script) - idle;
    expect(busy).toBeGreaterThan(200_000 * (16 + 8 * 32));
    expect(busy).toBeLessThan(200_000 * 400);
  });
});

const c = (name: string, peerOf?: string): Case => ({ name, peerOf, argv: () => [] });
const row = (k: Case, frames: number, wall: number, peakRssMb = 60): Row => ({ case: k, frames, bytes: frames * 275, wall, runs: [wall], peakRssMb });

describe('bench tables', () => {
  it('a column group per corpus, each job against its peers, MB/s and allocation', () => {
    const ours = c('summary');
    const tcpdump = c('TZ=UTC tcpdump -nn', 'summary');
    const rows = [row(ours, 100_000, 0.25), row(tcpdump, 100_000, 0.5, 6), row(ours, 1_000_000, 2.75), row(tcpdump, 1_000_000, 1.375, 6)];
    expect(jobTable(rows, new Map([['summary', 412.4]])).split('\n')).toEqual([
      '| job | 100,000 frames | vs peer | peak RSS | 1,000,000 frames | vs peer | peak RSS | MB/s (1,000,000) | bytes allocated/frame |',
      '|---|---|---|---|---|---|---|---|---|',
      '| nvgre-dissect summary | 250 ms | 2.0x faster than TZ=UTC tcpdump -nn | 60 MB | 2.75 s | 2.0x slower than TZ=UTC tcpdump -nn | 60 MB | 100 | 412 |',
      '| TZ=UTC tcpdump -nn | 500 ms |  | 6 MB | 1.38 s |  | 6 MB | 200 |  |',
    ]);
  });
  it('a run on two threads against the same job on one', () => {
    const one = c('tree');
    const two: Case = { name: 'tree --jobs 2', scalingOf: 'tree', argv: () => [] };
    expect(jobTable([row(one, 100_000, 1.7), row(two, 100_000, 1)], new Map()).split('\n').slice(2)).toEqual([
      '| nvgre-dissect tree | 1.70 s |  | 60 MB | 16 |  |',
      '| nvgre-dissect tree --jobs 2 | 1.00 s | 1.70x one thread | 60 MB | 28 |  |',
    ]);
  });
  it('a start-up row', () => {
    expect(startupTable([row(c('nvgre-dissect'), 8, 0.088), row(c('node -e 0'), 8, 0.065)]).split('\n')).toEqual([
      '| start-up, 8-frame seed capture (median of 1) | nvgre-dissect | node -e 0 |',
      '|---|---|---|',
      '| wall | 88 ms | 65 ms |',
    ]);
  });
});
