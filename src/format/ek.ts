/**
 * -T ek: tshark's Elasticsearch bulk format, two lines per frame: an index line naming the index
 * by the packet's local date, then the document, `timestamp` (epoch milliseconds) and `layers`,
 * keyed by protocol (an array of objects when a protocol repeats, as the tenant's eth and ip do),
 * each field as `proto_` + its name with dots turned to underscores (`ip_ip_src`). Values are
 * strings as tshark writes them (`"0x3d59a400"`, bytes `"61:62"`), flags true/false. With -e, the
 * layers are those fields only, each an array of its -T fields values (`"ip_src":["172.16.0.2","10.1.0.2"]`).
 */
import type { FieldDef } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Clock } from './clock.js';
import { FRAME_FIELD, FRAME_FIELDS, occurrence, occurrences, writeFieldValue } from './field-values.js';
import { jsonText } from './json.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { writeUtcTime } from './text.js';

const QUOTE = 0x22;
const COMMA = 0x2c;

const underscored = (name: string): string => name.replaceAll('.', '_');

/** `"ip_ip_src":`, made once per field: the field's own protocol first (data.len in an ICMP layer is data_data_len). */
const KEYS = new Map<string, Uint8Array>();
function keyOf(field: string): Uint8Array {
  let k = KEYS.get(field);
  if (k === undefined) KEYS.set(field, (k = encoded(`"${field.slice(0, field.indexOf('.'))}_${underscored(field)}":`)));
  return k;
}

let indexDay = Number.NaN;
let indexLine = encoded('');

/** `{"index":{"_index":"packets-2013-07-19","_type":"doc"}}`: the local date, as tshark names the index. */
function writeIndex(sec: number, out: TextSink): void {
  const d = new Date(sec * 1000);
  const day = d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
  if (day !== indexDay) {
    const p2 = (n: number): string => String(n).padStart(2, '0');
    indexLine = encoded(`{"index":{"_index":"packets-${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}","_type":"doc"}}\n`);
    indexDay = day;
  }
  out.bytes(indexLine);
}

/** One value of a decoder's field in a layer object: a string, a flag true/false, bytes as colon hex. */
function writeValue(def: FieldDef | undefined, v: number | string | Uint8Array, out: TextSink): void {
  if (def?.kind === 'bool' && typeof v === 'number') return out.str(v ? 'true' : 'false');
  if (typeof v === 'string') return out.str(jsonText(v));
  out.byte(QUOTE);
  if (v instanceof Uint8Array && def?.kind !== 'ipv6') out.hexBytes(v, 0x3a);
  else writeFieldValue(def, v, out);
  out.byte(QUOTE);
}

function writeLayer(layer: Layer, out: TextSink): void {
  out.byte(0x7b);
  let first = true;
  for (const key in layer.fields) {
    if (!first) out.byte(COMMA);
    first = false;
    out.bytes(keyOf(key));
    const def = FIELD_DEFS.get(key);
    const v = layer.fields[key];
    if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array) writeValue(def, v, out);
    else {
      out.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out.byte(COMMA);
        writeValue(def, v[i], out);
      }
      out.byte(0x5d);
    }
  }
  out.byte(0x7d);
}

/** The frame protocol's object: its fields as tshark's, and the comment as its pkt_comment layer has it. */
function writeFrameLayer(pkt: Packet, clock: Clock, out: TextSink): void {
  const f = pkt.frame;
  out.str('"frame":{"frame_frame_time":"');
  writeUtcTime(out, f.tsSec, f.tsNsec, 9);
  out.byte(QUOTE);
  for (const field of FRAME_FIELDS) {
    if (field.key === 'frame.time' || field.key === 'frame.comment') continue;
    out.byte(COMMA);
    out.bytes(keyOf(field.key));
    out.byte(QUOTE);
    field.write(pkt, clock, out);
    out.byte(QUOTE);
  }
  out.byte(0x7d);
  if (f.comment !== undefined) out.str(`,"pkt_comment":{"frame_frame_comment":${jsonText(f.comment)}}`);
}

function writeTimestamp(pkt: Packet, out: TextSink): void {
  const f = pkt.frame;
  writeIndex(f.tsSec, out);
  out.str('{"timestamp":"');
  out.num(f.tsSec * 1000 + Math.floor(f.tsNsec / 1e6));
  out.str('","layers":{');
}

/** Both lines of one frame, every layer. */
export function writeEk(pkt: Packet, clock: Clock, out: TextSink): void {
  writeTimestamp(pkt, out);
  writeFrameLayer(pkt, clock, out);
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) {
    const proto = layers[i].proto;
    let earlier = false;
    let count = 0;
    for (let j = 0; j < layers.length; j++) {
      if (layers[j].proto !== proto) continue;
      if (j < i) earlier = true;
      count++;
    }
    if (earlier) continue; // written with the first of its protocol
    out.str(`,"${proto}":`);
    if (count > 1) out.byte(0x5b);
    let n = 0;
    for (let j = i; j < layers.length; j++) {
      if (layers[j].proto !== proto) continue;
      if (n++ > 0) out.byte(COMMA);
      writeLayer(layers[j], out);
    }
    if (count > 1) out.byte(0x5d);
  }
  out.str('}}\n');
}

/** Both lines of one frame with only the -e fields (each known: see knownField), as tshark -T ek -e. */
export function ekFieldsWriter(names: readonly string[], clock: Clock): (pkt: Packet, out: TextSink) => void {
  const keys = names.map((n) => encoded(`"${underscored(n)}":[`));
  return (pkt, out) => {
    writeTimestamp(pkt, out);
    let first = true;
    for (let c = 0; c < names.length; c++) {
      const name = names[c];
      const frameField = FRAME_FIELD.get(name);
      if (frameField !== undefined) {
        if (!frameField.present(pkt)) continue;
        if (!first) out.byte(COMMA);
        first = false;
        out.bytes(keys[c]);
        if (name === 'frame.comment' || name === 'frame.time') out.str(jsonText(textOf((t) => frameField.write(pkt, clock, t))));
        else {
          out.byte(QUOTE);
          frameField.write(pkt, clock, out);
          out.byte(QUOTE);
        }
        out.byte(0x5d);
        continue;
      }
      const n = occurrences(pkt.layers, name);
      if (n === 0) continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keys[c]);
      const def = FIELD_DEFS.get(name);
      for (let i = 0; i < n; i++) {
        if (i > 0) out.byte(COMMA);
        out.byte(QUOTE);
        writeFieldValue(def, occurrence(pkt.layers, name, i), out);
        out.byte(QUOTE);
      }
      out.byte(0x5d);
    }
    out.str('}}\n');
  };
}
