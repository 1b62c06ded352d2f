import type { Conflict, LookupCounts, LookupRecord, LookupTable } from '../analyze/lookup.js';
import { vsidText } from './describe.js';
import { PACKETS_ONCE } from './stats.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, hexUpper, instantText, mac } from './text.js';

const sources = (r: LookupRecord): string => [...r.sources].sort().join('+');

/**
 * A conflict in one sentence: what is inconsistent, every record involved with when it was last
 * seen, and by which capture when several were read (`files`, LookupTable.files).
 */
export function conflictText(c: Conflict, files: readonly string[] = []): string {
  const when = (r: LookupRecord): string => `${files.length > 0 ? `${files[r.file]}, ` : ''}last seen ${instantText(r.last)}`;
  switch (c.kind) {
    case 'ca_two_pas': {
      // One entry per PA, with every capture that saw the CA there (the hosts, in a merged view).
      const byPa = new Map<LookupRecord['pa'], LookupRecord[]>();
      for (const r of c.records) byPa.set(r.pa, [...(byPa.get(r.pa) ?? []), r]);
      const seen = (rs: LookupRecord[]): string =>
        `${files.length > 0 ? `${[...new Set(rs.map((r) => files[r.file]))].join(', ')}; ` : ''}last seen ${instantText(rs[rs.length - 1].last)}`;
      return (
        `CA ${addressText(c.ca!)} in VSID ${vsidText(c.vsid!)} is behind ${byPa.size} PAs: ` +
        `${[...byPa].map(([pa, rs]) => `${addressText(pa)} (${seen(rs)})`).join(', ')}: a live migration, or a stale lookup record`
      );
    }
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

/** With several captures a Capture column names the one each record was seen in: which host saw it. */
const columns = (grouped: boolean, several: boolean): Column[] => [
  { head: 'CustomerAddress' },
  { head: 'VirtualSubnetID', wrap: true },
  { head: 'MACAddress' },
  { head: 'ProviderAddress' },
  ...(several ? [{ head: 'Capture', wrap: true }] : []),
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
  const files = table.files;
  let out = '';
  if (records.length > 0) {
    const cells = records.map((r) => [
      addressText(r.ca),
      vsidText(r.vsid),
      mac(r.mac),
      addressText(r.pa),
      ...(files.length > 0 ? [files[r.file]] : []),
      String(r.frames),
      ...(grouped ? [String(r.packets.packets)] : []),
      instantText(r.first),
      instantText(r.last),
      sources(r),
    ]);
    const { text, hidden } = renderTable(columns(grouped, files.length > 0), cells, c, width);
    out += `${text}\n${hidden.includes('Source') ? '' : SOURCE_LEGEND}`;
  }
  const packets = grouped ? ` (frames: ${table.fed.frames}, packets: ${table.fed.packets}; ${PACKETS_ONCE})` : '';
  const from = files.length > 0 ? `the ${files.length} captures` : 'the capture';
  out += `${plural(records.length, 'lookup record')} from ${from}${packets}\n`;
  for (const hint of hints(table.counts)) out += `${hint}\n`;
  for (const conflict of conflicts) out += `${c.severity('warn', `! ${conflictText(conflict, files)}`)}\n`;
  if (unplacedArp > 0) out += `${plural(unplacedArp, 'inner ARP sender')} not placed: their VSID is not known from NVGRE frames to them\n`;
  return out;
}

function recordJson(r: LookupRecord, grouped: boolean, files: readonly string[]): Record<string, unknown> {
  return {
    // Several captures: the one it was seen in, first, as on the frames' JSON lines.
    ...(files.length > 0 && { file: files[r.file] }),
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
  const files = table.files;
  const json = (r: LookupRecord): Record<string, unknown> => recordJson(r, grouped, files);
  return `${JSON.stringify({
    records: records.map(json),
    conflicts: conflicts.map((c) => ({
      kind: c.kind,
      ...(c.vsid !== undefined && { vsid: c.vsid, vsid_hex: hexUpper(c.vsid, 6) }),
      ...(c.ca !== undefined && { customer_address: addressText(c.ca) }),
      ...(c.mac !== undefined && { mac: mac(c.mac) }),
      records: c.records.map(json),
      message: conflictText(c, files),
    })),
    unplaced_arp: unplacedArp,
    broadcast_multicast_frames: table.counts.groupDestination,
    // Only for pktmon traces: a plain capture's frames are its packets.
    ...(grouped && { frames: table.fed.frames, packets: table.fed.packets }),
  })}\n`;
}
