import type { Layer, Packet } from '../decode/packet.js';
import type { Palette } from './palette.js';
import { type TextSink, textOf } from './sink.js';
import { hex, hexUpper } from './text.js';

export type MarkKind = 'vsid' | 'flow' | 'inner';

/** Bytes to point at in a dump: the VSID, the FlowID, the first byte of the tenant's frame. */
export interface Mark {
  offset: number;
  length: number;
  kind: MarkKind;
  label: string;
}

const MARK_CHARS: Record<MarkKind, string> = { vsid: '^^', flow: '~~', inner: '>>' };
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Where byte i of a row starts: after the offset and two spaces, 3 columns a byte, a gap after 8. */
const column = (i: number): number => 6 + 3 * i + (i >= 8 ? 1 : 0);
const ASCII_COLUMN = column(16) + 1;

/** The marks of every NVGRE layer whose bytes are in `reassembled` (or the frame's, when false). */
export function nvgreMarks(layers: Layer[], reassembled: boolean): Mark[] {
  const marks: Mark[] = [];
  layers.forEach((l, i) => {
    if (l.proto !== 'nvgre' || l.reassembled !== reassembled) return;
    const vsid = l.fields['nvgre.vsid'] as number;
    marks.push({ offset: l.offset, length: 3, kind: 'vsid', label: `VSID ${hexUpper(vsid, 6)} (${vsid})` });
    marks.push({ offset: l.offset + 3, length: 1, kind: 'flow', label: `FlowID ${l.fields['nvgre.flow_id'] as number}` });
    const inner = layers[i + 1];
    if (inner !== undefined && inner.reassembled === reassembled) {
      marks.push({ offset: inner.offset, length: 1, kind: 'inner', label: `inner frame from ${hex(inner.offset, 4)}` });
    }
  });
  return marks;
}

const markAt = (marks: Mark[], at: number): MarkKind | undefined =>
  marks.find((m) => at >= m.offset && at < m.offset + m.length)?.kind;

const SPACE = 0x20;
const printable = (b: number): number => (b >= 0x20 && b < 0x7f ? b : 0x2e);

/**
 * A hex dump: offset, 16 bytes, ASCII (anything not printable as '.', so capture bytes never reach
 * the terminal raw). Marked bytes are coloured when the palette colours, and a marker line under
 * their row (^^ VSID, ~~ FlowID, >> inner frame) keeps them visible in a pipe. Rows without a mark
 * (nearly all) are written byte by byte; a marked row is made as text.
 */
export function writeHex(bytes: Uint8Array, marks: Mark[], c: Palette, out: TextSink): void {
  const width = Math.max(4, bytes.length.toString(16).length);
  for (let row = 0; row < bytes.length; row += 16) {
    if (marks.some((m) => m.offset < row + 16 && m.offset + m.length > row)) {
      out.str(markedRow(bytes, row, width, marks, c));
      continue;
    }
    out.hexDigits(row, width);
    out.byte(SPACE);
    const end = Math.min(row + 16, bytes.length);
    for (let at = row; at < row + 16; at++) {
      out.byte(SPACE);
      if (at === row + 8) out.byte(SPACE);
      if (at < end) out.hexByte(bytes[at]);
      else {
        out.byte(SPACE);
        out.byte(SPACE);
      }
    }
    out.byte(SPACE);
    out.byte(SPACE);
    for (let at = row; at < end; at++) out.byte(printable(bytes[at]));
    out.byte(0x0a);
  }
}

/** One row with marked bytes, and the marker line under it. */
function markedRow(bytes: Uint8Array, row: number, width: number, marks: Mark[], c: Palette): string {
  const shift = width - 4; // columns move right with a wider offset
  let hexPart = '';
  let ascii = '';
  let markLine = '';
  for (let i = 0; i < 16; i++) {
    const at = row + i;
    const sep = i === 8 ? '  ' : i === 0 ? '' : ' ';
    if (at >= bytes.length) {
      hexPart += `${sep}  `;
      continue;
    }
    const kind = markAt(marks, at);
    const b = bytes[at];
    const ch = String.fromCharCode(printable(b));
    hexPart += sep + (kind ? c.mark(kind, HEX2[b]) : HEX2[b]);
    ascii += kind ? c.mark(kind, ch) : ch;
    if (kind) markLine = markLine.padEnd(column(i) + shift) + MARK_CHARS[kind];
  }
  const labels = marks.filter((m) => m.offset >= row && m.offset < row + 16).map((m) => m.label);
  let out = `${row.toString(16).padStart(width, '0')}  ${hexPart}  ${ascii}\n`;
  if (markLine !== '') out += `${markLine.padEnd(ASCII_COLUMN + shift)}${labels.join('; ')}\n`;
  return out;
}

/** The dump of a packet's frame and, when it completed a fragmented datagram, of that datagram. */
export function writePacketHex(pkt: Packet, c: Palette, out: TextSink): void {
  writeHex(pkt.frame.data, nvgreMarks(pkt.layers, false), c, out);
  if (pkt.reassembled !== null) {
    out.str(`Reassembled datagram, ${pkt.reassembled.length} bytes:\n`);
    writeHex(pkt.reassembled, nvgreMarks(pkt.layers, true), c, out);
  }
  out.byte(0x0a);
}

/** The dump of a packet as text. */
export const formatPacketHex = (pkt: Packet, c: Palette): string => textOf((out) => writePacketHex(pkt, c, out));
