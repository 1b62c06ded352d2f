import { DROP_REASON_NAMES } from '../decode/protocols/etw.js';
import { type Appearance, changesOf, type JourneyResult, offsetNs, type PacketJourney, type Shape } from '../analyze/journey.js';
import { PROTO_TITLES, vsidText } from './describe.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, hexUpper, instantText } from './text.js';
import { escapeControls } from './text.js';

/** A drop reason by its name where a public source names it (src/decode/protocols/etw.ts), with its number. */
const reasonText = (n: number): string => (DROP_REASON_NAMES[n] === undefined ? String(n) : `${DROP_REASON_NAMES[n]} (${n})`);

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

/** `component 31 (Virtual Switch Extension)`, or `component 31` when the trace does not name it. */
function componentText(id: number, names: Map<number, string>): string {
  const name = names.get(id);
  return name === undefined ? `component ${id}` : `component ${id} (${escapeControls(name)})`;
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

function dropText(a: Appearance, names: Map<number, string>): string {
  return `dropped at ${componentText(a.componentId, names)}: drop reason ${reasonText(a.dropReason)}, location ${locationHex(a.dropLocation)}`;
}

/** One packet's path: each appearance, where it was encapsulated or decapsulated, dropped, last seen. */
function journeyText(j: PacketJourney, c: Palette): string {
  const names = j.names;
  const first = j.appearances[0];
  const digits = first.at.digits;
  const file = j.file === undefined ? '' : `${j.file === '-' ? '(stdin)' : escapeControls(j.file)}: `;
  let out = c.frame(`${file}PktGroupId ${j.pktGroupId}: ${plural(j.appearances.length, 'appearance')} from ${instantText(first.at)}`) + '\n';
  for (const a of j.appearances) {
    const where = `${componentText(a.componentId, names)}, DirTag ${a.dirTag}`;
    const line = `  ${offsetText(offsetNs(j, a), digits)}  frame ${a.frame}  ${where}: ${a.dropped ? 'dropped, ' : ''}${shapeText(a.shape)}`;
    out += `${line}\n`;
  }
  for (const ch of changesOf(j)) out += `  ${ch.kind} between component ${ch.from.componentId} and ${ch.to.componentId}\n`;
  for (const a of j.appearances) if (a.dropped) out += `  ${c.severity('warn', `! ${dropText(a, names)}`)}\n`;
  const last = j.appearances[j.appearances.length - 1];
  out += `  last seen at ${componentText(last.componentId, names)}, ${offsetText(offsetNs(j, last), digits)}${last.dropped ? ', where it was dropped' : ''}\n`;
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
    const rows = r.components.map((k) => [String(k.componentId), escapeControls(r.names.get(k.componentId) ?? ''), String(k.packets), String(k.appearances), String(k.drops)]);
    out += `\n${renderTable(COMPONENT_COLUMNS, rows, c, width).text}\n`;
  }
  if (r.drops.length > 0) {
    const rows = r.drops.map((d) => [reasonText(d.reason), String(d.drops), d.locations.map(locationHex).join(', '), d.components.join(', ')]);
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

const componentJson = (id: number, names: Map<number, string>): Record<string, unknown> => ({ component_id: id, component: names.get(id) ?? null });

function journeyJson(j: PacketJourney): Record<string, unknown> {
  const names = j.names;
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
      appearance: a.appearance,
      ...componentJson(a.componentId, names),
      direction: a.dirTag,
      dropped: a.dropped,
      ...(a.dropped && { drop_reason: a.dropReason, drop_location: a.dropLocation, drop_location_hex: locationHex(a.dropLocation) }),
      ...shapeJson(a.shape),
    })),
    changes: changesOf(j).map((ch) => ({ kind: ch.kind, from_component_id: ch.from.componentId, to_component_id: ch.to.componentId, from_frame: ch.from.frame, to_frame: ch.to.frame })),
    drops: j.appearances
      .filter((a) => a.dropped)
      .map((a) => ({ frame: a.frame, ...componentJson(a.componentId, names), drop_reason: a.dropReason, drop_location: a.dropLocation, drop_location_hex: locationHex(a.dropLocation) })),
    last_seen: { frame: last.frame, ...componentJson(last.componentId, names), offset_ns: offsetNs(j, last), dropped: last.dropped },
  };
}

/** `--journey --json`: the same as one JSON object; `packets` is empty for a capture without pktmon groups. */
export function formatJourneyJson(r: JourneyResult): string {
  return `${JSON.stringify({
    packets: r.journeys.map(journeyJson),
    components: r.components.map((k) => ({ ...componentJson(k.componentId, r.names), packets: k.packets, appearances: k.appearances, drops: k.drops })),
    drop_reasons: r.drops.map((d) => ({ drop_reason: d.reason, drops: d.drops, drop_locations: d.locations, component_ids: d.components })),
    totals: {
      packets: r.journeys.length,
      appearances: r.journeys.reduce((n, j) => n + j.appearances.length, 0),
      drops: r.drops.reduce((n, d) => n + d.drops, 0),
      frames_without_group: r.ungroupedFrames,
      pktmon_groups_in_capture: r.groupsSeen,
    },
  })}\n`;
}
