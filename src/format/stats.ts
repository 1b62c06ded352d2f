import type { Stats, VsidStats } from '../analyze/stats.js';
import type { Palette } from './palette.js';
import { paletteTable } from './table.js';
import { addressText, hexUpper, instantText } from './text.js';
import { compareAddresses } from '../analyze/address.js';

/** Every provider address pair, as text, in the order first seen. */
const pairs = (s: VsidStats): [string, string][] =>
  [...s.paPairs].flatMap(([src, dsts]) => [...dsts].map((dst): [string, string] => [addressText(src), addressText(dst)]));

/** A set too long for a cell is shown as its first items and a count of the rest. */
function listed(items: string[], max: number, sep: string): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)}${sep}(+${items.length - max} more)`;
}

const sortedNumbers = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);

/** The per-VSID table and the totals line, as text. Colour comes from the palette only. */
export function formatStatsTable(stats: Stats, c: Palette): string {
  const table = paletteTable(['VSID', 'Hex', 'Frames', 'Bytes', 'FlowIDs', 'PA pairs', 'CAs', 'First', 'Last', 'Warnings'], c);
  for (const s of stats.rows()) {
    table.push([
      String(s.vsid),
      hexUpper(s.vsid, 6),
      String(s.frames),
      String(s.bytes),
      listed(sortedNumbers(s.flowIds).map(String), 8, ', '),
      listed(pairs(s).map((p) => p.join(' -> ')), 3, '\n'),
      String(s.caAddresses.size),
      instantText(s.first),
      instantText(s.last),
      s.warnings === 0 ? '0' : c.severity('warn', String(s.warnings)),
    ]);
  }
  const t = stats.totals;
  return (
    `${table.toString()}\n` +
    `frames read: ${t.framesRead}, shown: ${t.framesShown} (NVGRE: ${t.nvgreFrames}, other: ${t.otherFrames}), ` +
    `warnings: ${t.warnings}\n`
  );
}

function vsidJson(s: VsidStats): unknown {
  return {
    vsid: s.vsid,
    vsid_hex: hexUpper(s.vsid, 6),
    frames: s.frames,
    bytes: s.bytes,
    flow_ids: sortedNumbers(s.flowIds),
    pa_pairs: pairs(s),
    ca_addresses: [...s.caAddresses].sort(compareAddresses).map(addressText),
    first: instantText(s.first),
    last: instantText(s.last),
    warnings: s.warnings,
  };
}

/** `--stats --json`: the same as one JSON object. */
export function formatStatsJson(stats: Stats): string {
  const t = stats.totals;
  return `${JSON.stringify({
    vsids: stats.rows().map(vsidJson),
    totals: {
      frames_read: t.framesRead,
      frames_shown: t.framesShown,
      nvgre_frames: t.nvgreFrames,
      other_frames: t.otherFrames,
      warnings: t.warnings,
    },
  })}\n`;
}
