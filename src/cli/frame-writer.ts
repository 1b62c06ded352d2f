import type { Packet } from '../decode/packet.js';
import type { Clock } from '../format/clock.js';
import { ekFieldsWriter, writeEk } from '../format/ek.js';
import { DEFAULT_FIELDS_STYLE, fieldsWriter, type FieldsStyle } from '../format/field-columns.js';
import { writePacketHex } from '../format/hex.js';
import { jsonFile, writeJson } from '../format/json.js';
import type { Palette } from '../format/palette.js';
import { encoded, type TextSink } from '../format/sink.js';
import { writeSummary } from '../format/summary.js';
import { writeTree } from '../format/tree.js';
import { shownPath } from './paths.js';

export type Mode = 'tree' | 'summary' | 'json' | 'fields' | 'ek';

/** What decides how a shown frame is written; the same on the main thread and on a worker. */
export interface FrameFormat {
  mode: Mode;
  /** -T fields (and -T ek with -e): the -e fields, in order, and the -E style. */
  fields?: { names: string[]; style: FieldsStyle };
  /** A hex dump after each frame, VSID and FlowID marked. */
  hex: boolean;
}

export type FrameWriter = (pkt: Packet, out: TextSink) => void;

/**
 * How each shown frame of the capture at `path` is written, its hex dump too. A JSON line always
 * names its file (`"file"`), so lines of many captures can be joined in one table. With several
 * captures a summary line (and each of its -x dump lines) starts with the file's name, as
 * `grep -H` does; the tree heads each file with `==> name <==` instead (run.ts writes it). One
 * module for both threads: a worker writes a frame byte for byte as the main thread would.
 */
export function frameWriter(opts: FrameFormat, palette: Palette, clock: Clock, path: string, several: boolean): FrameWriter {
  const write = packetWriter(opts, palette, clock, path, several);
  if (!opts.hex) return write;
  const prefix = several && opts.mode === 'summary' ? encoded(`${shownPath(path)}:`) : new Uint8Array(0);
  return (pkt, out) => {
    write(pkt, out);
    writePacketHex(pkt, palette, out, prefix);
  };
}

function packetWriter(opts: FrameFormat, palette: Palette, clock: Clock, path: string, several: boolean): FrameWriter {
  const mode = opts.mode;
  // Fields are the user's own columns: no file name is added to them.
  if (mode === 'ek') {
    const names = opts.fields?.names ?? [];
    return names.length > 0 ? ekFieldsWriter(names, clock) : (pkt, out) => writeEk(pkt, clock, out);
  }
  if (mode === 'fields') return fieldsWriter(opts.fields?.names ?? [], opts.fields?.style ?? DEFAULT_FIELDS_STYLE, clock);
  if (mode === 'json') {
    const head = jsonFile(path);
    return (pkt, out) => writeJson(pkt, out, head);
  }
  if (mode === 'summary') {
    if (!several) return (pkt, out) => writeSummary(pkt, palette, out, clock);
    const prefix = encoded(`${shownPath(path)}:`);
    return (pkt, out) => {
      out.bytes(prefix);
      writeSummary(pkt, palette, out, clock);
    };
  }
  return (pkt, out) => writeTree(pkt, palette, out, clock);
}
