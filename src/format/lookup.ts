import type { Conflict, LookupCounts, LookupRecord, LookupTable } from '../analyze/lookup.js';
import { vsidText } from './describe.js';
import { PACKETS_ONCE } from './stats.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, hexUpper, instantText, mac } from './text.js';

const sources = (r: LookupRecord): string => [...r.sources].sort().join('+');

/** A conflict in one sentence: what is inconsistent, every record involved with when it was last seen. */
export function conflictText(c: Conflict): string {
  const when = (r: LookupRecord): string => `last seen ${instantText(r.last)}`;
  switch (c.kind) {
    case 'ca_two_pas':
      return (
        `CA ${addressText(c.ca!)} in VSID ${vsidText(c.vsid!)} is behind ${c.records.length} PAs: ` +
        `${c.records.map((r) => `${addressText(r.pa)} (${when(r)})`).join(', ')}: a live migration, or a stale lookup record`
      );
    case 'ca_two_macs':
      return (
        `CA ${addressText(c.ca!)} in VSID ${vsidText(c.vsid!)} has ${new Set(c.records.map((r) => r.mac)).size} MACs: ` +
        `${c.records.map((r) => `${mac(r.mac)} (${when(r)})`).join(', ')}`
      );
    case 'mac_two_vsids':
      return (
        `MAC ${mac(c.mac!)} is in ${new Set(c.records.map((r) => r.vsid)).size} VSIDs: ` +
        `${c.records.map((r) => `${vsidText(r.vsid)} as ${addressText(r.ca)} (${when(r)})`).join(', ')}`
      );
  }
}

/** What the Source column's values mean, under the table (two lines, to fit 80 columns). */
const SOURCE_LEGEND =
  'Source: dst-side = inner destination of NVGRE frames sent to that PA;\n' +
  '        arp = sender of an inner ARP from that PA; arp+dst-side = both\n';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Why there are fewer records than frames: no NVGRE at all, or frames to a group address. */
function hints(counts: LookupCounts): string[] {
  const out: string[] = [];
  if (counts.nvgre === 0) {
    const others = [
      counts.vxlan > 0 ? plural(counts.vxlan, 'VXLAN frame') : '',
      counts.tebWithoutKey > 0 ? plural(counts.tebWithoutKey, 'Ethernet-over-GRE frame') + ' without a key' : '',
    ].filter((x) => x !== '');
    out.push(`no NVGRE frames${others.length > 0 ? ` (${others.join(', ')})` : ''}: lookup records are rebuilt from NVGRE only`);
  }
  if (counts.groupDestination > 0) {
    out.push(`${plural(counts.groupDestination, 'NVGRE frame')} to a broadcast or multicast address: HNV keeps no lookup record for those`);
  }
  return out;
}

const columns = (grouped: boolean): Column[] => [
  { head: 'CustomerAddress' },
  { head: 'VirtualSubnetID', wrap: true },
  { head: 'MACAddress' },
  { head: 'ProviderAddress' },
  { head: 'Frames' },
  ...(grouped ? [{ head: 'Packets' }] : []),
  { head: 'First seen', drop: 1 },
  { head: 'Last seen', drop: 1 },
  { head: 'Source', wrap: true, drop: 2 },
];

/**
 * `--lookup`: the table, then one `!` line per inconsistency. `width` is the terminal's,
 * undefined in a pipe.
 */
export function formatLookupTable(table: LookupTable, c: Palette, width?: number): string {
  const { records, conflicts, unplacedArp } = table.result();
  const grouped = table.fed.grouped;
  let out = '';
  if (records.length > 0) {
    const cells = records.map((r) => [
      addressText(r.ca),
      vsidText(r.vsid),
      mac(r.mac),
      addressText(r.pa),
      String(r.frames),
      ...(grouped ? [String(r.packets.packets)] : []),
      instantText(r.first),
      instantText(r.last),
      sources(r),
    ]);
    const { text, hidden } = renderTable(columns(grouped), cells, c, width);
    out += `${text}\n${hidden.includes('Source') ? '' : SOURCE_LEGEND}`;
  }
  const packets = grouped ? ` (frames: ${table.fed.frames}, packets: ${table.fed.packets}; ${PACKETS_ONCE})` : '';
  out += `${plural(records.length, 'lookup record')} from the capture${packets}\n`;
  for (const hint of hints(table.counts)) out += `${hint}\n`;
  for (const conflict of conflicts) out += `${c.severity('warn', `! ${conflictText(conflict)}`)}\n`;
  if (unplacedArp > 0) out += `${plural(unplacedArp, 'inner ARP sender')} not placed: their VSID is not known from NVGRE frames to them\n`;
  return out;
}

function recordJson(r: LookupRecord, grouped: boolean): Record<string, unknown> {
  return {
    customer_address: addressText(r.ca),
    vsid: r.vsid,
    vsid_hex: hexUpper(r.vsid, 6),
    mac: mac(r.mac),
    provider_address: addressText(r.pa),
    frames: r.frames,
    ...(grouped && { packets: r.packets.packets }),
    first_seen: instantText(r.first),
    last_seen: instantText(r.last),
    source: sources(r),
  };
}

/** `--lookup --json`: the same as one JSON object. */
export function formatLookupJson(table: LookupTable): string {
  const { records, conflicts, unplacedArp } = table.result();
  const grouped = table.fed.grouped;
  const json = (r: LookupRecord): Record<string, unknown> => recordJson(r, grouped);
  return `${JSON.stringify({
    records: records.map(json),
    conflicts: conflicts.map((c) => ({
      kind: c.kind,
      ...(c.vsid !== undefined && { vsid: c.vsid, vsid_hex: hexUpper(c.vsid, 6) }),
      ...(c.ca !== undefined && { customer_address: addressText(c.ca) }),
      ...(c.mac !== undefined && { mac: mac(c.mac) }),
      records: c.records.map(json),
      message: conflictText(c),
    })),
    unplaced_arp: unplacedArp,
    broadcast_multicast_frames: table.counts.groupDestination,
    // Only for pktmon traces: a plain capture's frames are its packets.
    ...(grouped && { frames: table.fed.frames, packets: table.fed.packets }),
  })}\n`;
}
