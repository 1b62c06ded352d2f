import { fieldKey, knownFieldId } from '../decode/field-store.js';
/**
 * -T ek: tshark's Elasticsearch bulk format, two lines per frame: an index line naming the index
 * by the packet's local date, then the document, `timestamp` (epoch milliseconds) and `layers`,
 * keyed by protocol (an array of objects when a protocol repeats, as the tenant's eth and ip do),
 * each field as `proto_` + its name with dots turned to underscores (`ip_ip_src`). Values are
 * strings as tshark writes them (`"0x3d59a400"`, bytes `"61:62"`), flags true/false. With -e, the
 * layers are those fields only, each an array of its -T fields values (`"ip_src":["172.16.0.2","10.1.0.2"]`).
 */
import type { FieldDef, FieldValue } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import type { Clock } from './clock.js';
import { FRAME_FIELD, FRAME_FIELDS, isTextField, occurrence, occurrences, writeFieldValue } from './field-values.js';
import { jsonText } from './json.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { writeUtcTime } from './text.js';

const QUOTE = 0x22;
const COMMA = 0x2c;

const underscored = (name: string): string => name.replaceAll('.', '_');

/** tshark's protocol of a field (the object it is written in): ipv6.hopopts.nxt's is ipv6.hopopts. */
const protoOfKey = (key: string): string => FIELD_DEFS.get(key)?.proto ?? key.slice(0, key.indexOf('.'));

/** `"ip_ip_src":`, made once per field: the field's own protocol first (data.len in an ICMP layer is data_data_len). */
const KEYS = new Map<string, Uint8Array>();
function keyOf(field: string): Uint8Array {
  let k = KEYS.get(field);
  if (k === undefined) KEYS.set(field, (k = encoded(`"${underscored(protoOfKey(field))}_${underscored(field)}":`)));
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
  if (def?.type === 'FT_BOOLEAN' && typeof v === 'number') return out.str(v ? 'true' : 'false');
  if (typeof v === 'string') return out.str(jsonText(v));
  out.byte(QUOTE);
  if (v instanceof Uint8Array && def?.kind !== 'ipv6') out.hexBytes(v, 0x3a);
  else writeFieldValue(def, v, out);
  out.byte(QUOTE);
}

function writeField(key: string, v: FieldValue, out: TextSink): void {
  out.bytes(keyOf(key));
  const def = FIELD_DEFS.get(key);
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array) return writeValue(def, v, out);
  out.byte(0x5b);
  for (let i = 0; i < v.length; i++) {
    if (i > 0) out.byte(COMMA);
    writeValue(def, v[i], out);
  }
  out.byte(0x5d);
}

/**
 * A layer's object: its fields in order, a run of another protocol's (an ICMP echo's data.*, an
 * IPv6 extension header's) in an object of that protocol's name, as tshark's tree nests them, then
 * `nested`, the layers this one holds.
 */
function writeLayer(layer: Layer, nested: readonly Layer[], out: TextSink): void {
  out.byte(0x7b);
  let first = true;
  let open: string = layer.proto;
  const f = layer.fields;
  for (let i = 0; i < f.count; i++) {
    const key = fieldKey(f.idAt(i));
    const proto = protoOfKey(key);
    if (proto !== open) {
      if (open !== layer.proto) out.byte(0x7d);
      if (proto !== layer.proto) {
        if (!first) out.byte(COMMA);
        out.str(`"${underscored(proto)}":{`);
        first = true;
      }
      open = proto;
    }
    if (!first) out.byte(COMMA);
    first = false;
    writeField(key, f.valueAt(i), out);
  }
  if (open !== layer.proto) out.byte(0x7d);
  if (nested.length > 0) {
    if (!first) out.byte(COMMA);
    writeLayers(nested, out);
  }
  out.byte(0x7d);
}

/**
 * Protocols whose tree holds what they carry: tshark's ICMP and ICMPv6 dissectors put an echo's
 * data and an error's quoted packet under their own item, so -T ek nests them in their object.
 */
const HOLDS_PAYLOAD = new Set(['icmp', 'icmpv6']);

/** `"proto":{...}` for each protocol of `layers`, an array when one repeats, each in its first one's place. */
function writeLayers(layers: readonly Layer[], out: TextSink): void {
  let end = layers.length;
  for (let i = 0; i < end; i++) if (HOLDS_PAYLOAD.has(layers[i].proto)) end = i + 1;
  for (let i = 0; i < end; i++) {
    const proto = layers[i].proto;
    let earlier = false;
    let count = 0;
    for (let j = 0; j < end; j++) {
      if (layers[j].proto !== proto) continue;
      if (j < i) earlier = true;
      count++;
    }
    if (earlier) continue; // written with the first of its protocol
    if (i > 0) out.byte(COMMA);
    out.str(`"${proto}":`);
    if (count > 1) out.byte(0x5b);
    let n = 0;
    for (let j = i; j < end; j++) {
      if (layers[j].proto !== proto) continue;
      if (n++ > 0) out.byte(COMMA);
      writeLayer(layers[j], j === end - 1 ? layers.slice(end) : [], out);
    }
    if (count > 1) out.byte(0x5d);
  }
}

/** The comment's pkt_comment object (tshark's first tree item), then the frame protocol's, with tshark's keys. */
function writeFrameLayer(pkt: Packet, clock: Clock, out: TextSink): void {
  const f = pkt.frame;
  if (f.comment !== undefined) out.str(`"pkt_comment":{"frame_frame_comment":${jsonText(f.comment)}},`);
  out.str('"frame":{');
  let first = true;
  for (const field of FRAME_FIELDS) {
    if (field.key === 'frame.comment' || !field.present(pkt)) continue;
    if (!first) out.byte(COMMA);
    first = false;
    out.bytes(keyOf(field.key));
    if (field.flag !== undefined) out.str(field.flag(pkt) ? 'true' : 'false');
    else if (field.key === 'frame.time') {
      // -T ek's own form of the arrival time: UTC ISO 8601, not -T fields' local text.
      out.byte(QUOTE);
      writeUtcTime(out, f.tsSec, f.tsNsec, 9);
      out.byte(QUOTE);
    } else if (isTextField(field)) out.str(jsonText(textOf((t) => field.write(pkt, clock, t))));
    else {
      out.byte(QUOTE);
      field.write(pkt, clock, out);
      out.byte(QUOTE);
    }
  }
  out.byte(0x7d);
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
  if (pkt.layers.length > 0) {
    out.byte(COMMA);
    writeLayers(pkt.layers, out);
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
        if (isTextField(frameField)) out.str(jsonText(textOf((t) => frameField.write(pkt, clock, t))));
        else {
          out.byte(QUOTE);
          frameField.write(pkt, clock, out);
          out.byte(QUOTE);
        }
        out.byte(0x5d);
        continue;
      }
      const id = knownFieldId(name);
      const n = occurrences(pkt.layers, id);
      if (n === 0) continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keys[c]);
      const def = FIELD_DEFS.get(name);
      for (let i = 0; i < n; i++) {
        if (i > 0) out.byte(COMMA);
        out.byte(QUOTE);
        writeFieldValue(def, occurrence(pkt.layers, id, i), out);
        out.byte(QUOTE);
      }
      out.byte(0x5d);
    }
    out.str('}}\n');
  };
}
