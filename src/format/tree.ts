import type { FieldDef } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Warning } from '../decode/warnings.js';
import { describeLayer } from './describe.js';
import { displayValue } from './fields.js';
import type { Palette } from './palette.js';
import { utcTime } from './text.js';

const INDENT = '  ';

/** `Frame 1: 2013-07-19T08:00:00.000000Z, 116 bytes on wire, 116 captured` */
export function frameTitle(pkt: Packet): string {
  const f = pkt.frame;
  return `Frame ${f.number}: ${utcTime(f.tsSec, f.tsNsec, f.tsDigits)}, ${f.origLen} bytes on wire, ${f.caplen} captured`;
}

/** C0, DEL and C1 controls (and the backslash that introduces an escape). */
const CONTROL = /[\x00-\x1f\x7f-\x9f\\]/g;

/** Untrusted text (a capture's comment) for a terminal: every control character as \xHH. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, (ch) => (ch === '\\' ? '\\\\' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** `  Comment: ...` under the frame line, when the capture gave the packet a comment (pcapng). */
function commentLine(pkt: Packet, c: Palette): string {
  const text = pkt.frame.comment;
  return text === undefined ? '' : `${INDENT}${c.label('Comment:')} ${escapeControls(text)}\n`;
}

function warningLines(warnings: Warning[] | null, indent: string, c: Palette): string {
  if (warnings === null) return '';
  let out = '';
  for (const w of warnings) out += `${indent}${c.severity(w.severity, `! ${w.severity} ${w.code}: ${w.message}`)}\n`;
  return out;
}

const indents: string[] = [];
const indent = (level: number): string => (indents[level] ??= INDENT.repeat(level));

/** `      Source: ` for a field at an indent, made once per palette and field: every frame repeats them. */
const prefixes = new WeakMap<Palette, Map<FieldDef, string[]>>();
function fieldPrefix(def: FieldDef, level: number, c: Palette): string {
  let byDef = prefixes.get(c);
  if (byDef === undefined) prefixes.set(c, (byDef = new Map()));
  let byLevel = byDef.get(def);
  if (byLevel === undefined) byDef.set(def, (byLevel = []));
  return (byLevel[level] ??= `${indent(level)}${c.label(`${def.label}:`)} `);
}

function layerLines(layer: Layer, c: Palette): string {
  const level = layer.depth + 1;
  let out = `${indent(level)}${c.layer(describeLayer(layer))}\n`;
  const fields = layer.fields;
  for (const key in fields) {
    const def = FIELD_DEFS.get(key);
    if (def === undefined) throw new Error(`field ${key} has no definition`);
    out += `${fieldPrefix(def, level + 1, c)}${displayValue(def, fields[key])}\n`;
  }
  return out + warningLines(layer.warnings, indent(level + 1), c);
}

/**
 * Message Analyzer-style tree: a header line per frame, then each layer's summary with its fields
 * indented below; layers carried in a tunnel sit one level deeper than the tunnel's own fields.
 */
export function formatTree(pkt: Packet, c: Palette): string {
  let out = `${c.frame(frameTitle(pkt))}\n${commentLine(pkt, c)}${warningLines(pkt.frameWarnings, INDENT, c)}`;
  for (const layer of pkt.layers) out += layerLines(layer, c);
  return out;
}

