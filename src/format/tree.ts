import { type FieldId, fieldId, fieldKey } from '../decode/field-store.js';
import type { EtwPacketInfo } from '../capture/etw-packet.js';
import type { FieldDef, FieldValue } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { directionText } from '../decode/protocols/etw.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Warning } from '../decode/warnings.js';
import { type Clock, ISO_CLOCK } from './clock.js';
import { describeLayer, type VmNames, writeDescription } from './describe.js';
import { displayValue } from './fields.js';
import type { Palette } from './palette.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { escapeControls } from './text.js';

const NVGRE_VM_SRC = fieldId('nvgre.vm_src');
const NVGRE_VM_DST = fieldId('nvgre.vm_dst');

const INDENT = '  ';
const NEWLINE = 0x0a;

/** `Frame 1: 2013-07-19T08:00:00.000000Z, 116 bytes on wire, 116 captured` */
function writeFrameTitle(pkt: Packet, clock: Clock, out: TextSink): void {
  const f = pkt.frame;
  out.str('Frame ');
  out.num(f.number);
  out.str(': ');
  clock.write(out, f);
  out.str(', ');
  out.num(f.origLen);
  out.str(' bytes on wire, ');
  out.num(f.caplen);
  out.str(' captured');
  if (f.etw !== undefined) writeSeenAt(f.etw, out);
}

/**
 * Where an ETW trace saw the packet: `, at component 31 (name), direction In, appearance 2 of
 * PktGroupId 562949953421313` (pktmon), `, at interface 2 (name), PktGroupId 562949953421313`
 * (pktmon converted by etl2pcapng), `, sent on interface 12, vSwitch port 3 (name)` (NDIS).
 */
function writeSeenAt(e: EtwPacketInfo, out: TextSink): void {
  if (e.provider === 'pktmon-pcapng') {
    out.str(e.dropped ? ', dropped at interface ' : ', at interface ');
    out.num(e.interfaceId);
    if (e.component !== undefined) out.str(` (${escapeControls(e.component)})`);
    out.str(`, PktGroupId ${e.pktGroupId}`);
    return;
  }
  if (e.provider === 'pktmon') {
    out.str(e.dropped ? ', dropped at component ' : ', at component ');
    out.num(e.componentId);
    if (e.component !== undefined) out.str(` (${escapeControls(e.component)})`);
    out.str(`, direction ${directionText(e.dirTag)}`);
    out.str(', appearance ');
    out.num(e.appearance);
    out.str(` of PktGroupId ${e.pktGroupId}`);
    return;
  }
  out.str(e.direction === 'send' ? ', sent on interface ' : e.direction === 'receive' ? ', received on interface ' : ', on interface ');
  out.num(e.lowerIfIndex);
  const v = e.vswitch;
  if (v === undefined) return;
  out.str(', vSwitch port ');
  out.num(v.portId);
  out.str(` (${escapeControls(v.portName)}, NIC ${escapeControls(v.nicName)})`);
  if (v.vlanId !== undefined && v.vlanId !== 0) {
    out.str(', VLAN ');
    out.num(v.vlanId);
  }
}

/**
 * What an ETW trace logged with a packet, as a pcapng comment (-w), so Wireshark shows it:
 * `at component 9 (Microsoft Hyper-V Network Adapter), direction In, appearance 1 of PktGroupId ...`.
 */
export const etwNote = (e: EtwPacketInfo): string => textOf((out) => writeSeenAt(e, out)).slice(2);


function writeWarnings(warnings: Warning[] | null, level: number, c: Palette, out: TextSink): void {
  if (warnings === null) return;
  // Escaped: a message may quote the capture's own text (a pktmon component's name).
  for (const w of warnings) out.str(`${indent(level)}${c.severity(w.severity, `! ${w.severity} ${w.code}: ${escapeControls(w.message)}`)}\n`);
}

const indents: string[] = [];
const indent = (level: number): string => (indents[level] ??= INDENT.repeat(level));

/** How a field's line is written; chosen once per field, so the per-frame work is one switch. */
const enum Style {
  /** Prefix, then the number in decimal. */
  Dec,
  /** Prefix, then `0x` and hex digits. */
  Hex,
  /** Prefix, then `4020644 (0x3D59A4)`. */
  DecHex,
  /** The whole line, made once per value: names, flags, units, addresses recur frame after frame. */
  Remembered,
  /** Prefix, then the value's text (bytes, IPv6 addresses). */
  Text,
}

/**
 * Distinct values a field's line remembers before the rest are made each time (a sequence number).
 * The first values stay, unlike text.ts's `remembered`, whose slots the last value takes: with a
 * slot cache per line, lines of many values (payload lengths) evicted their hot ones (tree on 1M
 * frames: 6.7 -> 7.2 s, 82 -> 121 MB peak RSS).
 */
const REMEMBER_LIMIT = 1024;

/** What the tree writes for one field at one indent under one palette. All of one shape, on purpose. */
interface FieldLine {
  def: FieldDef;
  style: Style;
  width: number;
  /** `      Source: `, encoded. */
  prefix: Uint8Array;
  prefixText: string;
  lines: Map<number, Uint8Array>;
  /** For a field whose unit is shown only sometimes (FieldDef.unitIf): its line without the unit, and the field that decides. */
  bare: FieldLine | undefined;
  unitIf: FieldId;
}

function styleOf(def: FieldDef): Style {
  if (def.kind === 'bytes' || def.kind === 'ipv6') return Style.Text;
  if (def.names !== undefined || def.bits !== undefined || def.unit !== undefined || def.shown !== undefined) return Style.Remembered;
  if (def.kind === 'dec') return Style.Dec;
  if (def.kind === 'hex') return Style.Hex;
  if (def.kind === 'dechex') return Style.DecHex;
  return Style.Remembered;
}

/** Field lines per palette, indent and field id, made on first use: every frame repeats them. */
type LinesByLevel = (FieldLine | undefined)[][];
const lineCache = new WeakMap<Palette, LinesByLevel>();
function fieldLine(id: FieldId, level: number, c: Palette, byLevel: LinesByLevel): FieldLine {
  const lines = (byLevel[level] ??= []);
  let line = lines[id];
  if (line === undefined) {
    const key = fieldKey(id);
    const def = FIELD_DEFS.get(key);
    if (def === undefined) throw new Error(`field ${key} has no definition`);
    const prefixText = `${indent(level)}${c.label(`${def.label}:`)} `;
    const bare = def.unitIf === undefined ? undefined : { ...def, unit: undefined, unitIf: undefined };
    const unitIf = def.unitIf === undefined ? -1 : fieldId(def.unitIf.key);
    line = { def, style: styleOf(def), width: def.width ?? 1, prefix: encoded(prefixText), prefixText, lines: new Map(), bare: undefined, unitIf };
    if (bare !== undefined) line.bare = { ...line, def: bare, style: styleOf(bare), lines: new Map() };
    lines[id] = line;
  }
  return line;
}

function writeField(line: FieldLine, v: FieldValue, out: TextSink): void {
  if (typeof v !== 'number') {
    out.bytes(line.prefix);
    // A string is text from the capture's metadata (a component's name), or a u64's digits.
    out.str(typeof v === 'string' ? escapeControls(v) : displayValue(line.def, v));
    out.byte(NEWLINE);
    return;
  }
  switch (line.style) {
    case Style.Dec:
      out.bytes(line.prefix);
      out.num(v);
      break;
    case Style.Hex:
      out.bytes(line.prefix);
      out.hex(v, line.width);
      break;
    case Style.DecHex:
      out.bytes(line.prefix);
      out.num(v);
      out.byte(0x20);
      out.byte(0x28);
      out.hex(v, line.width, true);
      out.byte(0x29);
      break;
    default: {
      let text = line.lines.get(v);
      if (text === undefined) {
        text = encoded(`${line.prefixText}${displayValue(line.def, v)}\n`);
        if (line.lines.size < REMEMBER_LIMIT) line.lines.set(v, text);
      }
      out.bytes(text);
      return;
    }
  }
  out.byte(NEWLINE);
}

function writeLayer(layer: Layer, c: Palette, byLevel: LinesByLevel, out: TextSink, vms?: VmNames): void {
  const level = layer.depth + 1;
  out.str(indent(level));
  // Colour wraps the whole line, so a coloured one is made as text first.
  if (c.plain) writeDescription(layer, out, vms);
  else out.str(c.layer(describeLayer(layer, vms)));
  out.byte(NEWLINE);
  const fields = layer.fields;
  for (let i = 0; i < fields.count; i++) {
    const line = fieldLine(fields.idAt(i), level + 1, c, byLevel);
    const when = line.def.unitIf;
    writeField(when !== undefined && (fields.num(line.unitIf)! & when.mask) === 0 ? line.bare! : line, fields.valueAt(i), out);
  }
  writeWarnings(layer.warnings, level + 1, c, out);
}

/** The VM names an NVGRE layer was given by a policy, escaped, and the depth of the headers they name. */
function policyVms(nvgre: Layer): [VmNames | undefined, number] {
  const src = nvgre.fields.get(NVGRE_VM_SRC) as string | undefined;
  const dst = nvgre.fields.get(NVGRE_VM_DST) as string | undefined;
  if (src === undefined && dst === undefined) return [undefined, -1];
  return [[src === undefined ? undefined : escapeControls(src), dst === undefined ? undefined : escapeControls(dst)], nvgre.depth + 1];
}

/**
 * Message Analyzer-style tree: a header line per frame, then each layer's summary with its fields
 * indented below; layers carried in a tunnel sit one level deeper than the tunnel's own fields.
 */
export function writeTree(pkt: Packet, c: Palette, out: TextSink, clock: Clock = ISO_CLOCK): void {
  if (c.plain) writeFrameTitle(pkt, clock, out);
  else out.str(c.frame(textOf((title) => writeFrameTitle(pkt, clock, title))));
  out.byte(NEWLINE);
  const comment = pkt.frame.comment;
  // A capture's comment (pcapng) under the frame line.
  if (comment !== undefined) out.str(`${INDENT}${c.label('Comment:')} ${escapeControls(comment)}\n`);
  writeWarnings(pkt.frameWarnings, 1, c, out);
  let byLevel = lineCache.get(c);
  if (byLevel === undefined) lineCache.set(c, (byLevel = []));
  // A policy's VM names (src/analyze/names.ts) go after the tenant's addresses, in the first IP header the NVGRE layer carries.
  let vms: VmNames | undefined;
  let vmsDepth = -1;
  for (const layer of pkt.layers) {
    const named = vms !== undefined && layer.depth === vmsDepth && (layer.proto === 'ip' || layer.proto === 'ipv6');
    writeLayer(layer, c, byLevel, out, named ? vms : undefined);
    if (named) vms = undefined;
    else if (layer.proto === 'nvgre') [vms, vmsDepth] = policyVms(layer);
  }
  // A blank line after each frame, as tshark -V leaves: frames stand apart, and a hex dump follows as tshark's does.
  out.byte(NEWLINE);
}

/** The tree of one packet as text. */
export const formatTree = (pkt: Packet, c: Palette): string => textOf((out) => writeTree(pkt, c, out));
