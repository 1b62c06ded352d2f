import { type FrameList, type PaPair, PROVIDER_FRAME_MAX } from '../analyze/underlay.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText } from './text.js';

/** Frames shown in a cell; the JSON keeps every frame the list holds. */
const CELL_FRAMES = 4;

/** A frame as `#3`, or `host-a.pcap#3` when several captures were read (`files` names them). */
const frameText = (files: readonly string[], r: { file: number; frame: number }): string =>
  `${files.length > 0 ? files[r.file] : ''}#${r.frame}`;

/** A count and the frames it counts: `2: #1, #7`, the rest as `+N more`. */
function counted(list: FrameList, files: readonly string[]): string {
  if (list.count === 0) return '0';
  const shown = list.first.slice(0, CELL_FRAMES).map((r) => frameText(files, r));
  const more = list.count - shown.length;
  return `${list.count}: ${shown.join(', ')}${more > 0 ? `, +${more} more` : ''}`;
}

const pairText = (p: PaPair): string => `${addressText(p.src)} -> ${addressText(p.dst)}`;

/** What the columns past Largest mean, under the table when one of them counts something. */
const LEGEND =
  'Fragmented: outer datagrams sent in pieces, then their frames. ICMP too big:\n' +
  'fragmentation needed or packet too big, in the tunnel or about it.\n' +
  `Over ${PROVIDER_FRAME_MAX}: tenant frames that do not fit a ${PROVIDER_FRAME_MAX}-byte provider frame with\n` +
  'their outer headers (42 bytes over IPv4, 62 over IPv6, 46 with a VLAN tag)\n';

/** `--stats`: the provider network per PA pair, after the VSID table. */
export function formatUnderlayTable(pairs: PaPair[], files: readonly string[], c: Palette, width?: number): string {
  if (pairs.length === 0) return '';
  const flag = (t: string): string => (t === '0' ? t : c.severity('warn', t));
  const columns: Column[] = [
    { head: 'PA pair', wrap: true },
    { head: 'Frames' },
    { head: 'Largest frame' },
    { head: 'Fragmented', wrap: true, paint: flag },
    { head: `Over ${PROVIDER_FRAME_MAX}`, wrap: true, paint: flag },
    { head: 'ICMP too big', wrap: true, paint: flag },
  ];
  const cells = pairs.map((p) => [
    pairText(p),
    String(p.frames),
    p.frames === 0 ? '-' : String(p.largest),
    p.datagrams === 0 ? '0' : `${p.datagrams} in ${counted(p.fragments, files)}`,
    counted(p.tooBig, files),
    counted(p.icmpTooBig, files),
  ]);
  const flagged = pairs.some((p) => p.datagrams > 0 || p.tooBig.count > 0 || p.icmpTooBig.count > 0);
  return `${renderTable(columns, cells, c, width).text}\n${flagged ? LEGEND : ''}`;
}

function listJson(list: FrameList, files: readonly string[]): Record<string, unknown> {
  return {
    count: list.count,
    frames: list.first.map((r) => (files.length > 0 ? { file: files[r.file], frame: r.frame } : r.frame)),
  };
}

/** `--stats --json`: the same per pair; a frame is its number, or {file, frame} with several captures. */
export function underlayJson(pairs: PaPair[], files: readonly string[]): Record<string, unknown>[] {
  return pairs.map((p) => ({
    pa_src: addressText(p.src),
    pa_dst: addressText(p.dst),
    frames: p.frames,
    largest_frame: p.frames === 0 ? null : p.largest,
    fragmented_datagrams: p.datagrams,
    fragments: listJson(p.fragments, files),
    over_provider_frame: listJson(p.tooBig, files),
    icmp_too_big: listJson(p.icmpTooBig, files),
  }));
}
