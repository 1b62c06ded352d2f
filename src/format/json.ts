import type { FieldDef, FieldValue } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Warning } from '../decode/warnings.js';
import { hexBytes, ipv4, ipv6, mac, utcTime } from './text.js';

/** A field as JSON: numbers stay numbers, addresses and bytes become tshark-style strings. */
export function jsonValue(def: FieldDef | undefined, v: FieldValue): number | string {
  if (typeof v !== 'number') return def?.kind === 'ipv6' ? ipv6(v) : hexBytes(v);
  if (def?.kind === 'ipv4') return ipv4(v);
  if (def?.kind === 'mac') return mac(v);
  return v;
}

/** `"ip.src":` for every field, made once: keys need no escaping. */
const KEY_PREFIX = new Map([...FIELD_DEFS.keys()].map((k) => [k, `"${k}":`]));

function layerJson(layer: Layer): string {
  let out = `{"proto":"${layer.proto}","fields":{`;
  let sep = '';
  for (const key in layer.fields) {
    const v = jsonValue(FIELD_DEFS.get(key), layer.fields[key]);
    out += `${sep}${KEY_PREFIX.get(key) ?? `"${key}":`}${typeof v === 'number' ? v : `"${v}"`}`;
    sep = ',';
  }
  return `${out}}}`;
}

function warningJson(proto: string, w: Warning): string {
  return `{"proto":"${proto}","code":"${w.code}","severity":"${w.severity}","message":${JSON.stringify(w.message)}}`;
}

const NO_WARNINGS: readonly { proto: string; warning: Warning }[] = [];

/** Every warning of the packet, outermost first, each with the protocol of the layer it concerns. */
export function packetWarnings(pkt: Packet): readonly { proto: string; warning: Warning }[] {
  // Most frames have none: answer without building an array (every output mode asks, every frame).
  if (pkt.frameWarnings === null && pkt.layers.every((l) => l.warnings === null)) return NO_WARNINGS;
  const all: { proto: string; warning: Warning }[] = [];
  for (const w of pkt.frameWarnings ?? []) all.push({ proto: 'frame', warning: w });
  for (const layer of pkt.layers) for (const w of layer.warnings ?? []) all.push({ proto: layer.proto, warning: w });
  return all;
}

/** JSON.stringify escapes C0; DEL and C1 too, so no raw control character reaches a terminal. */
function jsonText(s: string): string {
  return JSON.stringify(s).replace(/[\x7f-\x9f]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

/**
 * One NDJSON line per frame (DESIGN.md section 4). Built by hand rather than JSON.stringify of an
 * object tree: keys and numbers need no escaping, and this runs once per frame.
 */
export function formatJson(pkt: Packet): string {
  const f = pkt.frame;
  const frame =
    `{"number":${f.number},"time":"${utcTime(f.tsSec, f.tsNsec, f.tsDigits)}",` +
    `"len":${f.origLen},"caplen":${f.caplen},"linktype":${f.linktype}` +
    `${f.comment === undefined ? '' : `,"comment":${jsonText(f.comment)}`}}`;
  let out = `{"frame":${frame},"layers":[`;
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) out += (i > 0 ? ',' : '') + layerJson(layers[i]);
  out += '],"warnings":[';
  const warnings = packetWarnings(pkt);
  for (let i = 0; i < warnings.length; i++) out += (i > 0 ? ',' : '') + warningJson(warnings[i].proto, warnings[i].warning);
  return `${out}]}\n`;
}
