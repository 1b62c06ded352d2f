import { fieldId } from '../decode/field-store.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { MarkKind, Palette } from './palette.js';
import type { TextSink } from './sink.js';
import { hex, hexUpper, remembered } from './text.js';

const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');

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

/** Mark labels, made once per value: every frame of a flow repeats them. */
const vsidLabel = remembered((vsid) => `VSID ${hexUpper(vsid, 6)} (${vsid})`);
const flowLabel = remembered((flow) => `FlowID ${flow}`);
const innerLabel = remembered((offset) => `inner frame from ${hex(offset, 4)}`);

/** The marks of every NVGRE layer whose bytes are in `reassembled` (or the frame's, when false). */
export function nvgreMarks(layers: Layer[], reassembled: boolean): Mark[] {
  const marks: Mark[] = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    // A header lent by the first fragment has no bytes in this frame to point at.
    if (l.proto !== 'nvgre' || l.reassembled !== reassembled || l.learntFrom !== 0) continue;
    marks.push({ offset: l.offset, length: 3, kind: 'vsid', label: vsidLabel(l.fields.num(NVGRE_VSID)!) });
    marks.push({ offset: l.offset + 3, length: 1, kind: 'flow', label: flowLabel(l.fields.num(NVGRE_FLOW_ID)!) });
    const inner = layers[i + 1];
    if (inner !== undefined && inner.reassembled === reassembled) {
      marks.push({ offset: inner.offset, length: 1, kind: 'inner', label: innerLabel(inner.offset) });
    }
  }
  return marks;
}

/** Whether a mark covers any byte of the row at `row` (a loop, not a closure: this runs for every row). */
function marksIn(marks: Mark[], row: number): boolean {
  for (const m of marks) if (m.offset < row + 16 && m.offset + m.length > row) return true;
  return false;
}

/** The kind of the mark on byte `at`; where marks overlap, the last one given. */
function markAt(marks: Mark[], at: number): MarkKind | undefined {
  for (let i = marks.length - 1; i >= 0; i--) if (at >= marks[i].offset && at < marks[i].offset + marks[i].length) return marks[i].kind;
  return undefined;
}

const SPACE = 0x20;
const printable = (b: number): number => (b >= 0x20 && b < 0x7f ? b : 0x2e);

function spaces(out: TextSink, n: number): void {
  for (let i = 0; i < n; i++) out.byte(SPACE);
}

/**
 * A hex dump: offset, 16 bytes, ASCII (anything not printable as '.', so capture bytes never reach
 * the terminal raw). Marked bytes are coloured when the palette colours, and a marker line under
 * their row (^^ VSID, ~~ FlowID, >> inner frame) keeps them visible in a pipe.
 */
function writeHex(bytes: Uint8Array, marks: Mark[], c: Palette, out: TextSink, prefix: Uint8Array): void {
  let width = 4;
  while (bytes.length >= 16 ** width) width++;
  const shift = width - 4; // columns move right with a wider offset
  for (let row = 0; row < bytes.length; row += 16) {
    const end = Math.min(row + 16, bytes.length);
    const marked = marksIn(marks, row);
    out.bytes(prefix);
    out.hexDigits(row, width);
    out.byte(SPACE);
    for (let at = row; at < row + 16; at++) {
      out.byte(SPACE);
      if (at === row + 8) out.byte(SPACE);
      const kind = marked && !c.plain ? markAt(marks, at) : undefined;
      if (at >= end) spaces(out, 2);
      else if (kind === undefined) out.hexByte(bytes[at]);
      else out.str(c.mark(kind, HEX2[bytes[at]]));
    }
    spaces(out, 2);
    for (let at = row; at < end; at++) {
      const kind = marked && !c.plain ? markAt(marks, at) : undefined;
      if (kind === undefined) out.byte(printable(bytes[at]));
      else out.str(c.mark(kind, String.fromCharCode(printable(bytes[at]))));
    }
    out.byte(0x0a);
    if (marked) writeMarkerLine(marks, row, end, shift, out, prefix);
  }
}

/** `^^ ^^ ^^ ~~` under the marked bytes of a row, then what they are. */
function writeMarkerLine(marks: Mark[], row: number, end: number, shift: number, out: TextSink, prefix: Uint8Array): void {
  let col = 0;
  for (let at = row; at < end; at++) {
    const kind = markAt(marks, at);
    if (kind === undefined) continue;
    if (col === 0) out.bytes(prefix);
    const to = column(at - row) + shift;
    spaces(out, to - col);
    out.str(MARK_CHARS[kind]);
    col = to + 2;
  }
  if (col === 0) return; // the mark starts past the bytes there are
  spaces(out, ASCII_COLUMN + shift - col);
  let sep = '';
  for (const m of marks) {
    if (m.offset < row || m.offset >= row + 16) continue;
    out.str(sep);
    out.str(m.label);
    sep = '; ';
  }
  out.byte(0x0a);
}

const NO_PREFIX = new Uint8Array(0);

/**
 * The dump of a packet's frame and, when it completed a fragmented datagram, of that datagram.
 * `prefix` starts every line, the blank one after too: `name:` with several captures, so that a
 * grep on the dump still names the file, as `grep -H` would.
 */
export function writePacketHex(pkt: Packet, c: Palette, out: TextSink, prefix: Uint8Array = NO_PREFIX): void {
  writeHex(pkt.frame.data, nvgreMarks(pkt.layers, false), c, out, prefix);
  if (pkt.reassembled !== null) {
    out.bytes(prefix);
    out.str(`Reassembled datagram, ${pkt.reassembled.length} bytes:\n`);
    writeHex(pkt.reassembled, nvgreMarks(pkt.layers, true), c, out, prefix);
  }
  out.bytes(prefix);
  out.byte(0x0a);
}
