import { knownFieldId } from '../decode/field-store.js';
/** -T fields: one line per frame of the -e fields' values, as tshark writes them (-E options). */
import type { Packet } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Clock } from './clock.js';
import { FRAME_FIELD, isTextField, occurrence, occurrences, writeFieldValue } from './field-values.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { UNSAFE_TEXT } from './text.js';

export interface FieldsStyle {
  header: boolean;
  separator: string;
  /** f: the first occurrence, l: the last, a: all, joined by the aggregator. */
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
  /** The quote around each non-empty value ('' for none). */
  quote: string;
  /** Tabs, newlines and backslashes in text as \t \n \\ (tshark's escape=y). */
  escape: boolean;
}

/** tshark's defaults. */
export const DEFAULT_FIELDS_STYLE: FieldsStyle = { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '', escape: true };

/** Every field -e and -G know: the frame's and every decoder's. */
export const knownField = (name: string): boolean => FRAME_FIELD.has(name) || FIELD_DEFS.has(name);

const BACKSLASHED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from the capture (a comment) for one cell: tshark's escapes with escape=y; any other
 * control or format character always as \xHH or \uHHHH, so no capture writes to the terminal raw.
 */
function cellText(s: string, escape: boolean): string {
  const t = escape ? s.replace(/[\\\n\r\t]/g, (c) => BACKSLASHED[c]) : s;
  return t.replace(UNSAFE_TEXT, (c) => (escape || !'\n\r\t'.includes(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c));
}

type Cell = (pkt: Packet, clock: Clock, out: TextSink) => void;

/** The writer of one column. */
function column(name: string, style: FieldsStyle): Cell {
  const quote = style.quote === '' ? null : encoded(style.quote);
  const open = (out: TextSink): void => {
    if (quote !== null) out.bytes(quote);
  };
  const frameField = FRAME_FIELD.get(name);
  if (frameField !== undefined) {
    const text = isTextField(frameField);
    return (pkt, clock, out) => {
      if (!frameField.present(pkt)) return;
      open(out);
      if (text) out.str(cellText(textOf((t) => frameField.write(pkt, clock, t)), style.escape));
      else frameField.write(pkt, clock, out);
      open(out);
    };
  }
  const def = FIELD_DEFS.get(name);
  const id = knownFieldId(name);
  const aggregator = encoded(style.aggregator);
  return (pkt, _clock, out) => {
    const n = occurrences(pkt.layers, id);
    if (n === 0) return;
    open(out);
    if (style.occurrence === 'a') {
      for (let i = 0; i < n; i++) {
        if (i > 0) out.bytes(aggregator);
        writeFieldValue(def, occurrence(pkt.layers, id, i), out);
      }
    } else writeFieldValue(def, occurrence(pkt.layers, id, style.occurrence === 'f' ? 0 : n - 1), out);
    open(out);
  };
}

export type FieldsWriter = (pkt: Packet, out: TextSink) => void;

/** header=y's first line: the names, unquoted, as tshark writes it. */
export const fieldsHeader = (names: readonly string[], style: FieldsStyle): string => `${names.join(style.separator)}\n`;

/** The line writer for `names` (each known: see knownField); `clock` gives the frame.time_* spans. */
export function fieldsWriter(names: readonly string[], style: FieldsStyle, clock: Clock): FieldsWriter {
  const cells = names.map((n) => column(n, style));
  const separator = encoded(style.separator);
  return (pkt, out) => {
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) out.bytes(separator);
      cells[i](pkt, clock, out);
    }
    out.byte(0x0a);
  };
}
