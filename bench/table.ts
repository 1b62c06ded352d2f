// The tables `npm run bench` prints, shaped as the README's performance section shows them.
import type { Case } from './cases.js';

export interface Row {
  case: Case;
  frames: number;
  bytes: number;
  wall: number;
  runs: number[];
  peakRssMb: number;
}

const s = (wall: number): string => (wall < 1 ? `${(wall * 1000).toFixed(0)} ms` : `${wall.toFixed(2)} s`);
const n = (v: number): string => Math.round(v).toLocaleString('en');

function versus(ours: Row, peer: Row): string {
  const x = peer.wall / ours.wall;
  return x >= 1 ? `${x.toFixed(1)}x faster than ${peer.case.name}` : `${(1 / x).toFixed(1)}x slower than ${peer.case.name}`;
}

/** One row per job, a column group per corpus: wall time, ratio to each peer, peak RSS. */
export function jobTable(rows: Row[], allocation: Map<string, number>): string {
  const corpora = [...new Set(rows.map((r) => r.frames))];
  const largest = corpora[corpora.length - 1];
  const head = ['job', ...corpora.flatMap((f) => [`${n(f)} frames`, 'vs peer', 'peak RSS']), `MB/s (${n(largest)})`, 'bytes allocated/frame'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const name of [...new Set(rows.map((r) => r.case.name))]) {
    const mine = rows.filter((r) => r.case.name === name);
    const cells = corpora.flatMap((f) => {
      const r = mine.find((x) => x.frames === f);
      if (r === undefined) return ['', '', ''];
      const peers = rows.filter((p) => p.frames === f && p.case.peerOf === name);
      const one = rows.find((p) => p.frames === f && p.case.name === r.case.scalingOf);
      const against = one === undefined ? peers.map((p) => versus(r, p)).join('; ') : `${(one.wall / r.wall).toFixed(2)}x one thread`;
      return [s(r.wall), against, Number.isNaN(r.peakRssMb) ? '' : `${r.peakRssMb} MB`];
    });
    const big = mine.find((x) => x.frames === largest);
    const alloc = allocation.get(name);
    lines.push(`| ${[mine[0].case.peerOf === undefined ? `nvgre-dissect ${name}` : name, ...cells, big ? n(big.bytes / 1e6 / big.wall) : '', alloc === undefined ? '' : n(alloc)].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Start-up: what a run of a tiny capture costs, against Node doing nothing and tshark. */
export function startupTable(rows: Row[]): string {
  const head = rows.map((r) => r.case.name);
  return [
    `| start-up, 8-frame seed capture (median of ${rows[0].runs.length}) | ${head.join(' | ')} |`,
    `|---|${head.map(() => '---').join('|')}|`,
    `| wall | ${rows.map((r) => s(r.wall)).join(' | ')} |`,
  ].join('\n');
}
