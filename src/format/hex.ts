import type { Layer, Packet } from '../decode/packet.js';
import type { Palette } from './palette.js';
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

/**
 * A hex dump: offset, 16 bytes, ASCII (anything not printable as '.', so capture bytes never reach
 * the terminal raw). Marked bytes are coloured when the palette colours, and a marker line under
 * their row (^^ VSID, ~~ FlowID, >> inner frame) keeps them visible in a pipe.
 */
export function formatHex(bytes: Uint8Array, marks: Mark[], c: Palette): string {
  const kindAt = new Array<MarkKind | undefined>(bytes.length);
  for (const m of marks) for (let i = m.offset; i < m.offset + m.length && i < bytes.length; i++) kindAt[i] = m.kind;
  const width = Math.max(4, bytes.length.toString(16).length);
  const shift = width - 4; // columns move right with a wider offset
  let out = '';
  for (let row = 0; row < bytes.length; row += 16) {
    let hexPart = '';
    let ascii = '';
    let markLine = '';
    const labels: string[] = [];
    for (let i = 0; i < 16; i++) {
      const at = row + i;
      const sep = i === 8 ? '  ' : i === 0 ? '' : ' ';
      if (at >= bytes.length) {
        hexPart += `${sep}  `;
        continue;
      }
      const kind = kindAt[at];
      const b = bytes[at];
      const ch = b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      hexPart += sep + (kind ? c.mark(kind, HEX2[b]) : HEX2[b]);
      ascii += kind ? c.mark(kind, ch) : ch;
      if (kind) markLine = markLine.padEnd(column(i) + shift) + MARK_CHARS[kind];
    }
    for (const m of marks) if (m.offset >= row && m.offset < row + 16) labels.push(m.label);
    out += `${row.toString(16).padStart(width, '0')}  ${hexPart}  ${ascii}\n`;
    if (markLine !== '') out += `${markLine.padEnd(ASCII_COLUMN + shift)}${labels.join('; ')}\n`;
  }
  return out;
}

/** The dump of a packet's frame and, when it completed a fragmented datagram, of that datagram. */
export function formatPacketHex(pkt: Packet, c: Palette): string {
  let out = formatHex(pkt.frame.data, nvgreMarks(pkt.layers, false), c);
  if (pkt.reassembled !== null) {
    out += `Reassembled datagram, ${pkt.reassembled.length} bytes:\n${formatHex(pkt.reassembled, nvgreMarks(pkt.layers, true), c)}`;
  }
  return `${out}\n`;
}
