import { type FieldId, fieldId, fieldKey } from '../decode/field-store.js';
import type { Frame } from '../capture/frame.js';
import { firstAfter, isIp, lastBefore, outermostOverlay } from '../analyze/address.js';
import type { FieldDef } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { upperProtocol } from '../decode/protocols/ipv6.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Severity, Warning } from '../decode/warnings.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { ipv4, ipv6, mac, rememberedBytes, UNSAFE_TEXT, unicodeEscape, writeUtcTime } from './text.js';

const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');
const IP_PROTO = fieldId('ip.proto');
const NVGRE_VSID = fieldId('nvgre.vsid');
const VXLAN_VNI = fieldId('vxlan.vni');
const IP_SRC = fieldId('ip.src');
const IP_DST = fieldId('ip.dst');
const IPV6_SRC = fieldId('ipv6.src');
const IPV6_DST = fieldId('ipv6.dst');

const enum JsonKind {
  Number,
  /** A string made once per value and kept as bytes, quotes included: addresses recur. */
  Remembered,
}

/** How one field is written: `"ip.src":` encoded once, and how its value goes. All of one shape, on purpose. */
interface JsonField {
  prefix: Uint8Array;
  kind: JsonKind;
  quoted: (v: number) => Uint8Array;
  def: FieldDef | undefined;
}

const quotedIpv4 = rememberedBytes((v) => `"${ipv4(v)}"`);
const quotedMac = rememberedBytes((v) => `"${mac(v)}"`);

function jsonField(key: string, def: FieldDef | undefined): JsonField {
  const kind = def?.kind === 'ipv4' || def?.kind === 'mac' ? JsonKind.Remembered : JsonKind.Number;
  return { prefix: encoded(`"${key}":`), kind, quoted: def?.kind === 'mac' ? quotedMac : quotedIpv4, def };
}

/** By field id, made on first use. Keys need no escaping: every one is a Wireshark field name from the registry. */
const JSON_FIELDS: (JsonField | undefined)[] = [];

/** `{"proto":"ip","fields":{` for every protocol, encoded once. */
const LAYER_START = new Map<string, Uint8Array>();
const layerStart = (proto: string): Uint8Array => {
  let b = LAYER_START.get(proto);
  if (b === undefined) LAYER_START.set(proto, (b = encoded(`{"proto":"${proto}","fields":{`)));
  return b;
};
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;

function writeLayer(layer: Layer, out: TextSink): void {
  out.bytes(layerStart(layer.proto));
  const fields = layer.fields;
  let first = true;
  for (let i = 0; i < fields.count; i++) {
    const id = fields.idAt(i);
    if (!first) out.byte(COMMA);
    first = false;
    let field = JSON_FIELDS[id];
    if (field === undefined) {
      const key = fieldKey(id);
      JSON_FIELDS[id] = field = jsonField(key, FIELD_DEFS.get(key));
    }
    out.bytes(field.prefix);
    const v = fields.valueAt(i);
    if (typeof v === 'number') {
      if (field.kind === JsonKind.Remembered) out.bytes(field.quoted(v));
      else out.num(v);
    } else if (typeof v === 'string') out.str(jsonText(v)); // text, or a u64 past 2^53 as its digits
    else if (v instanceof Uint8Array) {
      out.byte(QUOTE);
      if (field.def?.kind === 'ipv6') out.str(ipv6(v));
      else out.hexBytes(v, COLON);
      out.byte(QUOTE);
    } else out.str(JSON.stringify(v)); // a field occurring several times: [153,154,155]
  }
  out.str('}');
  // A header lent by the datagram's first fragment (a later fragment's NVGRE) says where it was read.
  if (layer.learntFrom !== 0) {
    out.str(',"learnt_from":');
    out.num(layer.learntFrom);
  }
  out.str('}');
}

function warningJson(proto: string, w: Warning): string {
  return `{"proto":"${proto}","code":"${w.code}","severity":"${w.severity}","message":${jsonText(w.message)}}`;
}

const hasWarnings = (l: Layer): boolean => l.warnings !== null;

const NO_WARNINGS: readonly { proto: string; warning: Warning }[] = [];

/** Every warning of the packet, outermost first, each with the protocol of the layer it concerns. */
function packetWarnings(pkt: Packet): readonly { proto: string; warning: Warning }[] {
  // Most frames have none: answer without building an array (asked for every frame).
  if (pkt.frameWarnings === null && !pkt.layers.some(hasWarnings)) return NO_WARNINGS;
  const all: { proto: string; warning: Warning }[] = [];
  for (const w of pkt.frameWarnings ?? []) all.push({ proto: 'frame', warning: w });
  for (const layer of pkt.layers) for (const w of layer.warnings ?? []) all.push({ proto: layer.proto, warning: w });
  return all;
}

/**
 * JSON.stringify escapes C0; the rest of UNSAFE_TEXT (DEL, C1, format characters, U+2028/2029) is
 * escaped too, \uHHHH per UTF-16 unit: the line stays valid JSON that is safe to show on a terminal.
 */
export function jsonText(s: string): string {
  return JSON.stringify(s).replace(UNSAFE_TEXT, (ch) => (ch.length === 1 ? unicodeEscape(ch.charCodeAt(0)) : unicodeEscape(ch.charCodeAt(0)) + unicodeEscape(ch.charCodeAt(1))));
}

/** `{"file":"name",`: the start of every JSON line of one capture, made once per capture. */
export const jsonFile = (path: string): Uint8Array => encoded(`{"file":${jsonText(path)},`);

const NO_FILE = encoded('{"file":null,');
const NULL = encoded('null');
const RANK: Record<Severity, number> = { note: 1, warn: 2, error: 3 };

/** `"nvgre"`, `"warn"`: a name as a JSON string, encoded once. */
const QUOTED_NAMES = new Map<string, Uint8Array>();
function quotedName(name: string): Uint8Array {
  let b = QUOTED_NAMES.get(name);
  if (b === undefined) QUOTED_NAMES.set(name, (b = encoded(`"${name}"`)));
  return b;
}

/** An address of an IP layer as a JSON string, or null (no such layer, or cut before it). */
function writeAddress(layer: Layer | undefined, v4: FieldId, v6: FieldId, out: TextSink): void {
  const v = layer?.fields.get(layer.proto === 'ip' ? v4 : v6);
  if (typeof v === 'number') out.bytes(quotedIpv4(v));
  else if (v instanceof Uint8Array) {
    out.byte(QUOTE);
    out.str(ipv6(v));
    out.byte(QUOTE);
  } else out.bytes(NULL);
}

const layerAt = (layers: Layer[], i: number): Layer | undefined => (i < 0 ? undefined : layers[i]);

/**
 * `"number":1,"time":"...","len":116,"caplen":116`: at the top of the line with the time in
 * microseconds, and again in `frame` with the capture's own digits.
 */
function writeFrameKeys(f: Frame, timeDigits: number, out: TextSink): void {
  out.str('"number":');
  out.num(f.number);
  out.str(',"time":"');
  writeUtcTime(out, f.tsSec, f.tsNsec, timeDigits);
  out.str('","len":');
  out.num(f.origLen);
  out.str(',"caplen":');
  out.num(f.caplen);
}

function writeNumber(v: unknown, out: TextSink): void {
  if (typeof v === 'number') out.num(v);
  else out.bytes(NULL);
}

/**
 * The flat keys every line has, whatever the capture (schema/frame.schema.json): the frame's
 * number, time and lengths, then its outermost overlay (NVGRE or VXLAN, the one --stats counts it
 * under) with the provider addresses carrying it and the tenant's addresses inside, and the worst
 * severity among its warnings; null where a frame has no such thing. An engine reading many
 * captures infers one schema from them, where `layers` differ from one capture to the next.
 */
function writeTop(pkt: Packet, warnings: readonly { warning: Warning }[], out: TextSink): void {
  // Always 6 digits: what the engines' timestamp types hold, and one format for them to recognise
  // (DuckDB leaves a column of 6, 7 and 9 digits as text).
  writeFrameKeys(pkt.frame, 6, out);
  const layers = pkt.layers;
  const nv = outermostOverlay(layers);
  const tunnel = layerAt(layers, nv);
  const pa = nv < 0 ? undefined : layerAt(layers, lastBefore(layers, nv, isIp));
  const ca = nv < 0 ? undefined : layerAt(layers, firstAfter(layers, nv, isIp));
  out.str(',"tunnel":');
  out.bytes(tunnel === undefined ? NULL : quotedName(tunnel.proto));
  out.str(',"vsid":');
  writeNumber(tunnel?.fields.get(tunnel.proto === 'nvgre' ? NVGRE_VSID : VXLAN_VNI), out);
  out.str(',"flow_id":');
  writeNumber(tunnel?.fields.get(NVGRE_FLOW_ID), out);
  out.str(',"pa_src":');
  writeAddress(pa, IP_SRC, IPV6_SRC, out);
  out.str(',"pa_dst":');
  writeAddress(pa, IP_DST, IPV6_DST, out);
  out.str(',"ca_src":');
  writeAddress(ca, IP_SRC, IPV6_SRC, out);
  out.str(',"ca_dst":');
  writeAddress(ca, IP_DST, IPV6_DST, out);
  out.str(',"ca_proto":');
  // What the tenant's IP header carries: after IPv6's extension headers, the last Next Header.
  writeNumber(ca === undefined ? undefined : ca.proto === 'ip' ? ca.fields.get(IP_PROTO) : upperProtocol(ca.fields), out);
  out.str(',"severity":');
  let worst: Severity | null = null;
  for (const { warning } of warnings) if (worst === null || RANK[warning.severity] > RANK[worst]) worst = warning.severity;
  out.bytes(worst === null ? NULL : quotedName(worst));
}

/**
 * One NDJSON line per frame (DESIGN.md section 4). Written by hand rather than JSON.stringify of an
 * object tree: keys and numbers need no escaping, and this runs once per frame. `file` (from
 * jsonFile) names the capture; null for a packet dissected from no file.
 */
export function writeJson(pkt: Packet, out: TextSink, file: Uint8Array | null): void {
  const f = pkt.frame;
  out.bytes(file ?? NO_FILE);
  const warnings = packetWarnings(pkt);
  writeTop(pkt, warnings, out);
  out.str(',"frame":{');
  writeFrameKeys(f, f.tsDigits, out);
  out.str(',"linktype":');
  out.num(f.linktype);
  if (f.comment !== undefined) out.str(`,"comment":${jsonText(f.comment)}`);
  out.str('},"layers":[');
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) {
    if (i > 0) out.byte(COMMA);
    writeLayer(layers[i], out);
  }
  out.str('],"warnings":[');
  for (let i = 0; i < warnings.length; i++) {
    if (i > 0) out.byte(COMMA);
    out.str(warningJson(warnings[i].proto, warnings[i].warning));
  }
  out.str(']}\n');
}

/** The JSON line of one packet as text, from no file. */
export const formatJson = (pkt: Packet): string => textOf((out) => writeJson(pkt, out, null));
