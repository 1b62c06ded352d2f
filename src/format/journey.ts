import { directionText, DROP_REASON_NAMES } from '../decode/protocols/etw.js';
import { type Appearance, changesOf, type JourneyResult, nameKey, offsetNs, type PacketJourney, type Shape } from '../analyze/journey.js';
import { PROTO_TITLES, vsidText } from './describe.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, hexUpper, instantText } from './text.js';
import { escapeControls } from './text.js';

/** A drop reason by its name where a public source names it (src/decode/protocols/etw.ts), with its number. */
function reasonText(n: number | undefined): string {
  if (n === undefined) return 'not in the converted file';
  return DROP_REASON_NAMES[n] === undefined ? String(n) : `${DROP_REASON_NAMES[n]} (${n})`;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What --journey says of a capture without pktmon's PktGroupIds (a pcap, NDIS-PacketCapture events). */
export const NO_GROUPS = 'no pktmon packet groups in the capture: --journey follows the PktGroupId pktmon logs with each appearance of a packet\n';

/** `+0.0000012 s`: seconds from the packet's first appearance, with the capture's fraction digits. */
export function offsetText(ns: number, digits: number): string {
  const sign = ns < 0 ? '-' : '+';
  const abs = Math.abs(ns);
  const unit = 10 ** (9 - digits);
  const frac = digits === 0 ? '' : `.${String(Math.floor((abs % 1e9) / unit)).padStart(digits, '0')}`;
  return `${sign}${Math.floor(abs / 1e9)}${frac} s`;
}

/** `component` or, in a pcapng converted by etl2pcapng, `interface` (which stands for the component). */
const whereWord = (interfaces: boolean): string => (interfaces ? 'interface' : 'component');

/** `component 31 (Virtual Switch Extension)`, or `component 31` when the trace does not name it. */
function componentText(id: number, names: Map<number, string>, interfaces: boolean): string {
  const name = names.get(id);
  const where = `${whereWord(interfaces)} ${id}`;
  return name === undefined ? where : `${where} (${escapeControls(name)})`;
}

const pair = (p: [number | string, number | string]): string => `${addressText(p[0])} -> ${addressText(p[1])}`;

/** `NVGRE, VSID 4020644 (0x3D59A4), PA a -> b, CA c -> d, ICMP` or `plain, CA c -> d, ICMP`. */
export function shapeText(s: Shape): string {
  const parts = [s.kind === 'nvgre' ? `NVGRE, VSID ${vsidText(s.vsid)}` : 'plain'];
  if (s.kind === 'nvgre' && s.pa !== null) parts.push(`PA ${pair(s.pa)}`);
  if (s.ca !== null) parts.push(`CA ${pair(s.ca)}`);
  if (s.protocol !== undefined) parts.push(PROTO_TITLES[s.protocol]);
  return parts.join(', ');
}

const locationHex = (location: number): string => hexUpper(location, 8);

function dropText(a: Appearance, j: PacketJourney): string {
  const at = `dropped at ${componentText(a.componentId, j.names, j.interfaces)}`;
  if (a.dropReason === undefined || a.dropLocation === undefined) return `${at}: the converted file keeps no drop reason or location`;
  return `${at}: drop reason ${reasonText(a.dropReason)}, location ${locationHex(a.dropLocation)}`;
}

/** One packet's path: each appearance, where it was encapsulated or decapsulated, dropped, last seen. */
function journeyText(j: PacketJourney, c: Palette): string {
  const names = j.names;
  const first = j.appearances[0];
  const digits = first.at.digits;
  const file = j.file === undefined ? '' : `${j.file === '-' ? '(stdin)' : escapeControls(j.file)}: `;
  let out = c.frame(`${file}PktGroupId ${j.pktGroupId}: ${plural(j.appearances.length, 'appearance')} from ${instantText(first.at)}`) + '\n';
  for (const a of j.appearances) {
    const where = componentText(a.componentId, names, j.interfaces) + (a.dirTag === undefined ? '' : `, direction ${directionText(a.dirTag)}`);
    const line = `  ${offsetText(offsetNs(j, a), digits)}  frame ${a.frame}  ${where}: ${a.dropped ? 'dropped, ' : ''}${shapeText(a.shape)}`;
    out += `${line}\n`;
  }
  for (const ch of changesOf(j)) out += `  ${ch.kind} between ${whereWord(j.interfaces)} ${ch.from.componentId} and ${ch.to.componentId}\n`;
  for (const a of j.appearances) if (a.dropped) out += `  ${c.severity('warn', `! ${dropText(a, j)}`)}\n`;
  const last = j.appearances[j.appearances.length - 1];
  out += `  last seen at ${componentText(last.componentId, names, j.interfaces)}, ${offsetText(offsetNs(j, last), digits)}${last.dropped ? ', where it was dropped' : ''}\n`;
  return out;
}

const COMPONENT_COLUMNS: Column[] = [{ head: 'Component' }, { head: 'Name', wrap: true }, { head: 'Packets' }, { head: 'Appearances' }, { head: 'Drops' }];
const DROP_COLUMNS: Column[] = [{ head: 'Drop reason' }, { head: 'Drops' }, { head: 'Locations', wrap: true }, { head: 'Components', wrap: true }];

/**
 * `--journey`: one block per packet in the order first seen, then a table per component and one
 * per drop reason over the packets shown, and the totals. `width` is the terminal's, undefined in a pipe.
 */
export function formatJourneyText(r: JourneyResult, c: Palette, width?: number): string {
  if (r.groupsSeen === 0) return NO_GROUPS;
  let out = r.journeys.map((j) => journeyText(j, c)).join('\n');
  if (r.journeys.length > 0) {
    const rows = r.components.map((k) => [
      k.interfaces ? `interface ${k.componentId}` : String(k.componentId),
      escapeControls(r.names.get(nameKey(k.interfaces, k.componentId)) ?? ''),
      String(k.packets),
      String(k.appearances),
      String(k.drops),
    ]);
    out += `\n${renderTable(COMPONENT_COLUMNS, rows, c, width).text}\n`;
  }
  if (r.drops.length > 0) {
    const rows = r.drops.map((d) => [
      reasonText(d.reason),
      String(d.drops),
      d.locations.map(locationHex).join(', '),
      // Only a converted file's drops have no reason: their components are its interfaces.
      d.components.map((id) => (d.reason === undefined ? `interface ${id}` : String(id))).join(', '),
    ]);
    out += `${renderTable(DROP_COLUMNS, rows, c, width).text}\n`;
  }
  const appearances = r.journeys.reduce((n, j) => n + j.appearances.length, 0);
  const drops = r.drops.reduce((n, d) => n + d.drops, 0);
  out += `${plural(r.journeys.length, 'packet')}, ${plural(appearances, 'appearance')}, ${plural(drops, 'drop')}`;
  if (r.ungroupedFrames > 0) out += `; ${plural(r.ungroupedFrames, 'frame')} without a pktmon PktGroupId left out`;
  return `${out}\n`;
}

function shapeJson(s: Shape): Record<string, unknown> {
  return {
    kind: s.kind,
    ...(s.kind === 'nvgre' && {
      vsid: s.vsid,
      vsid_hex: hexUpper(s.vsid, 6),
      flow_id: s.flowId,
      provider_src: s.pa === null ? null : addressText(s.pa[0]),
      provider_dst: s.pa === null ? null : addressText(s.pa[1]),
    }),
    customer_src: s.ca === null ? null : addressText(s.ca[0]),
    customer_dst: s.ca === null ? null : addressText(s.ca[1]),
    protocol: s.protocol ?? null,
  };
}

/** `component_id`, or a converted file's `interface_id`, and the name. */
const componentJson = (id: number, name: string | undefined, interfaces: boolean): Record<string, unknown> => ({
  [interfaces ? 'interface_id' : 'component_id']: id,
  component: name ?? null,
});

/** A drop's reason and location; null where a converted file keeps none. */
const dropJson = (a: Appearance): Record<string, unknown> => ({
  drop_reason: a.dropReason ?? null,
  drop_location: a.dropLocation ?? null,
  drop_location_hex: a.dropLocation === undefined ? null : locationHex(a.dropLocation),
});

function journeyJson(j: PacketJourney): Record<string, unknown> {
  const where = (a: Appearance): Record<string, unknown> => componentJson(a.componentId, j.names.get(a.componentId), j.interfaces);
  const w = j.interfaces ? 'interface' : 'component';
  const last = j.appearances[j.appearances.length - 1];
  return {
    ...(j.file !== undefined && { file: j.file }),
    // A string: PktGroupIds are 64-bit, past what a JSON number keeps exactly.
    pkt_group_id: String(j.pktGroupId),
    first_seen: instantText(j.appearances[0].at),
    appearances: j.appearances.map((a) => ({
      frame: a.frame,
      time: instantText(a.at),
      offset_ns: offsetNs(j, a),
      appearance: a.appearance ?? null,
      ...where(a),
      direction: a.dirTag ?? null,
      dropped: a.dropped,
      ...(a.dropped && dropJson(a)),
      ...shapeJson(a.shape),
    })),
    changes: changesOf(j).map((ch) => ({ kind: ch.kind, [`from_${w}_id`]: ch.from.componentId, [`to_${w}_id`]: ch.to.componentId, from_frame: ch.from.frame, to_frame: ch.to.frame })),
    drops: j.appearances.filter((a) => a.dropped).map((a) => ({ frame: a.frame, ...where(a), ...dropJson(a) })),
    last_seen: { frame: last.frame, ...where(last), offset_ns: offsetNs(j, last), dropped: last.dropped },
  };
}

/** `--journey --json`: the same as one JSON object; `packets` is empty for a capture without pktmon groups. */
export function formatJourneyJson(r: JourneyResult): string {
  return `${JSON.stringify({
    packets: r.journeys.map(journeyJson),
    components: r.components.map((k) => ({
      ...componentJson(k.componentId, r.names.get(nameKey(k.interfaces, k.componentId)), k.interfaces),
      packets: k.packets,
      appearances: k.appearances,
      drops: k.drops,
    })),
    drop_reasons: r.drops.map((d) => ({
      drop_reason: d.reason ?? null,
      drops: d.drops,
      drop_locations: d.locations,
      [d.reason === undefined ? 'interface_ids' : 'component_ids']: d.components,
    })),
    totals: {
      packets: r.journeys.length,
      appearances: r.journeys.reduce((n, j) => n + j.appearances.length, 0),
      drops: r.drops.reduce((n, d) => n + d.drops, 0),
      frames_without_group: r.ungroupedFrames,
      pktmon_groups_in_capture: r.groupsSeen,
    },
  })}\n`;
}
