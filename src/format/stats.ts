import type { Overlay, Stats, SubnetStats } from '../analyze/stats.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, escapeControls, hexUpper, instantText } from './text.js';
import { compareAddresses } from '../analyze/address.js';
import { formatUnderlayTable, underlayJson } from './underlay.js';

/** Every provider address pair, as text, in the order first seen. */
const pairs = (s: SubnetStats): [string, string][] =>
  [...s.paPairs].flatMap(([src, dsts]) => [...dsts.keys()].map((dst): [string, string] => [addressText(src), addressText(dst)]));

/** A set too long for a cell is shown as its first items and a count of the rest. */
function listed(items: string[], max: number, sep: string): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)}${sep}(+${items.length - max} more)`;
}

/** The VMs a policy names in a subnet's frames, sorted (escaped: the policy file's text). */
const vmNames = (s: SubnetStats): string[] => [...(s.vms ?? [])].sort();
const vmList = (s: SubnetStats): string => listed(vmNames(s).map(escapeControls), 4, ', ');

const sortedNumbers = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);

/** What the totals add for a pktmon trace, whose packets are logged at each component they cross. */
export const PACKETS_ONCE = 'a packet pktmon logged at several components counts once';

/**
 * One table per overlay: NVGRE rows by VSID (with FlowIDs), VXLAN rows by VNI; a Packets column
 * after Frames when pktmon's PktGroupIds say which frames are one packet (`grouped`).
 */
function subnetTable(overlay: Overlay, rows: SubnetStats[], grouped: boolean, several: boolean, c: Palette, width?: number): string {
  const nvgre = overlay === 'nvgre';
  // A --policy's names: columns only when some row has them, so a run without one is as before.
  const named = rows.some((s) => s.rdid !== undefined || s.vms !== undefined);
  const columns: Column[] = [
    { head: nvgre ? 'VSID' : 'VXLAN VNI' },
    { head: 'Hex', drop: 2 },
    { head: 'Frames' },
    ...(grouped ? [{ head: 'Packets' }] : []),
    { head: 'Bytes' },
    ...(nvgre ? [{ head: 'FlowIDs seen', wrap: true }] : []),
    { head: 'PA pairs', wrap: true },
    { head: 'CA count' },
    ...(named ? [{ head: 'VMs', wrap: true }, { head: 'Routing domain', wrap: true, drop: 2 }] : []),
    // With several captures: in how many of them the subnet was seen (--json names them).
    ...(several ? [{ head: 'Captures', drop: 3 }] : []),
    { head: 'First', drop: 1 },
    { head: 'Last', drop: 1 },
    { head: 'Warnings', paint: (t: string) => (t === '0' ? t : c.severity('warn', t)) },
    { head: 'Notes', drop: 3 },
  ];
  const cells = rows.map((s) => [
    String(s.id),
    hexUpper(s.id, 6),
    String(s.frames),
    ...(grouped ? [String(s.packets.packets)] : []),
    String(s.bytes),
    ...(nvgre ? [listed(sortedNumbers(s.flowIds).map(String), 8, ', ')] : []),
    listed(pairs(s).map((p) => p.join(' -> ')), 3, '\n'),
    String(s.caAddresses.size),
    ...(named ? [vmList(s), escapeControls(s.rdid ?? '')] : []),
    ...(several ? [String(s.files.size)] : []),
    instantText(s.first),
    instantText(s.last),
    String(s.warnings),
    String(s.notes),
  ]);
  return `${renderTable(columns, cells, c, width).text}\n`;
}

/**
 * The per-VSID table (and a per-VNI one when VXLAN was seen), then the totals line. Colour comes
 * from the palette only; `width` is the terminal's, undefined in a pipe.
 */
export function formatStatsTable(stats: Stats, c: Palette, width?: number): string {
  const t = stats.totals;
  const grouped = stats.shown.grouped;
  let out = '';
  for (const overlay of ['nvgre', 'vxlan'] as const) {
    const rows = stats.rows(overlay);
    if (rows.length > 0) out += subnetTable(overlay, rows, grouped, stats.files.length > 0, c, width);
  }
  out += formatUnderlayTable(stats.underlay.rows(), stats.files, c, width);
  const vxlan = t.vxlanFrames > 0 ? `, VXLAN: ${t.vxlanFrames}` : '';
  const packets = grouped ? `packets: ${stats.shown.packets} (${PACKETS_ONCE}), ` : '';
  return (
    out +
    `frames read: ${t.framesRead}, shown: ${t.framesShown} (NVGRE: ${t.nvgreFrames}${vxlan}, other: ${t.otherFrames}), ${packets}` +
    `warnings: ${t.warnings}, notes: ${t.notes}\n`
  );
}

function subnetJson(s: SubnetStats, grouped: boolean, files: readonly string[]): Record<string, unknown> {
  return {
    ...(files.length > 0 && { files: [...s.files].sort((a, b) => a - b).map((i) => files[i]) }),
    frames: s.frames,
    ...(grouped && { packets: s.packets.packets }),
    bytes: s.bytes,
    ...(s.overlay === 'nvgre' && { flow_ids: sortedNumbers(s.flowIds) }),
    pa_pairs: pairs(s),
    ca_addresses: [...s.caAddresses].sort(compareAddresses).map(addressText),
    ...(s.vms !== undefined && { vms: vmNames(s) }),
    ...(s.rdid !== undefined && { rdid: s.rdid }),
    first: instantText(s.first),
    last: instantText(s.last),
    // Every warning, notes included, as before `notes` was added.
    warnings: s.warnings + s.notes,
    notes: s.notes,
  };
}

/**
 * `--stats --json`: the same as one JSON object. Extended only by adding keys: `warnings` still
 * counts notes too and `other_frames` is still every frame without NVGRE (VXLAN ones included).
 */
export function formatStatsJson(stats: Stats): string {
  const t = stats.totals;
  const grouped = stats.shown.grouped;
  return `${JSON.stringify({
    vsids: stats.rows('nvgre').map((s) => ({ vsid: s.id, vsid_hex: hexUpper(s.id, 6), ...subnetJson(s, grouped, stats.files) })),
    vnis: stats.rows('vxlan').map((s) => ({ vni: s.id, vni_hex: hexUpper(s.id, 6), ...subnetJson(s, grouped, stats.files) })),
    underlay: underlayJson(stats.underlay.rows(), stats.files),
    totals: {
      frames_read: t.framesRead,
      frames_shown: t.framesShown,
      nvgre_frames: t.nvgreFrames,
      other_frames: t.otherFrames + t.vxlanFrames,
      warnings: t.warnings + t.notes,
      vxlan_frames: t.vxlanFrames,
      notes: t.notes,
      // Only for pktmon traces: a plain capture's frames are its packets.
      ...(grouped && { packets_shown: stats.shown.packets }),
    },
  })}\n`;
}
