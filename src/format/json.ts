import type { FieldDef } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Warning } from '../decode/warnings.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { ipv4, ipv6, mac, rememberedBytes, UNSAFE_TEXT, unicodeEscape, writeUtcTime } from './text.js';

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

/** Keys need no escaping: every one is a Wireshark field name from the registry. */
const JSON_FIELDS = new Map([...FIELD_DEFS].map(([key, def]) => [key, jsonField(key, def)]));

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
  for (const key in fields) {
    if (!first) out.byte(COMMA);
    first = false;
    let field = JSON_FIELDS.get(key);
    if (field === undefined) JSON_FIELDS.set(key, (field = jsonField(key, undefined)));
    out.bytes(field.prefix);
    const v = fields[key];
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

/** `{"file":"name",`: the start of a JSON line that says which capture it is from (several were given). */
export const jsonFile = (path: string): Uint8Array => encoded(`{"file":${jsonText(path)},`);

/**
 * One NDJSON line per frame (DESIGN.md section 4). Written by hand rather than JSON.stringify of an
 * object tree: keys and numbers need no escaping, and this runs once per frame. `file` (from
 * jsonFile) starts the object with the capture's name.
 */
export function writeJson(pkt: Packet, out: TextSink, file?: Uint8Array): void {
  const f = pkt.frame;
  if (file === undefined) out.byte(0x7b);
  else out.bytes(file);
  out.str('"frame":{"number":');
  out.num(f.number);
  out.str(',"time":"');
  writeUtcTime(out, f.tsSec, f.tsNsec, f.tsDigits);
  out.str('","len":');
  out.num(f.origLen);
  out.str(',"caplen":');
  out.num(f.caplen);
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
  const warnings = packetWarnings(pkt);
  for (let i = 0; i < warnings.length; i++) {
    if (i > 0) out.byte(COMMA);
    out.str(warningJson(warnings[i].proto, warnings[i].warning));
  }
  out.str(']}\n');
}

/** The JSON line of one packet as text. */
export const formatJson = (pkt: Packet): string => textOf((out) => writeJson(pkt, out));
