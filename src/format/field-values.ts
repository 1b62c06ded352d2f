/**
 * Field values one by one as tshark's -T fields and -T ek print them: numbers bare (no names, no
 * units), hex fields as 0x with their width (eth.type 0x0800, gre.key 0x3d59a400), flags 1/0,
 * addresses as text, bytes as bare hex; and the `frame` protocol's fields, which no decoder sets.
 */
import type { FieldDef, FieldValue } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { Clock } from './clock.js';
import type { TextSink } from './sink.js';
import { writeSpan } from './clock.js';
import { hex, ipv4Bytes, ipv6, macBytes } from './text.js';
import { escapeControls } from './tree.js';

/**
 * Hex digits tshark -T fields pads these to, where the tree pads to the bits the field has (as
 * Wireshark's tree does: `Flags: 0x002`): -T fields goes by the field's type (tcp.flags is a
 * FT_UINT16, 0x0002; ipv6.tclass a FT_UINT32, 0x00000000), and icmpv6.echo.identifier is hex
 * there. Found by comparing with tshark's recordings (test/cli/tshark-options.test.ts).
 */
const TSHARK_HEX_WIDTH: Readonly<Record<string, number>> = {
  'tcp.flags': 4,
  'ip.flags': 2,
  'ipv6.flow': 6,
  'ipv6.tclass': 8,
  'icmpv6.echo.identifier': 4,
};

/** One occurrence of a decoder's field. */
export function writeFieldValue(def: FieldDef | undefined, v: number | string | Uint8Array, out: TextSink): void {
  // Text from the capture (a pktmon component's name), or a u64 past 2^53 as its digits.
  if (typeof v === 'string') return out.str(escapeControls(v));
  if (v instanceof Uint8Array) {
    if (def?.kind === 'ipv6') out.str(ipv6(v));
    else out.hexBytes(v, -1);
    return;
  }
  const width = def === undefined ? undefined : TSHARK_HEX_WIDTH[def.key];
  if (width !== undefined) return out.str(hex(v, width));
  switch (def?.kind) {
    case 'hex':
      return out.str(hex(v, def.width ?? 1));
    case 'bool':
      return out.byte(v ? 0x31 : 0x30);
    case 'ipv4':
      return out.bytes(ipv4Bytes(v));
    case 'mac':
      return out.bytes(macBytes(v));
    default:
      return out.num(v);
  }
}

/** Every occurrence of a field in a packet's layers, outermost first: a list field is one occurrence per element. */
export function occurrences(layers: readonly Layer[], key: string): number {
  let n = 0;
  for (const l of layers) {
    const v = l.fields[key];
    if (v === undefined) continue;
    n += typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array ? 1 : v.length;
  }
  return n;
}

/** The `i`th occurrence (0-based) of `key` in the layers; `occurrences` says how many there are. */
export function occurrence(layers: readonly Layer[], key: string, i: number): number | string | Uint8Array {
  for (const l of layers) {
    const v: FieldValue | undefined = l.fields[key];
    if (v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array) {
      if (i === 0) return v;
      i--;
    } else if (i < v.length) return v[i];
    else i -= v.length;
  }
  throw new RangeError(`${key} has no occurrence ${i}`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Made on first use: building an Intl formatter costs about 40 ms, paid at start-up by every run otherwise.
let zone: Intl.DateTimeFormat | undefined;

/** tshark's frame.time: `Jul 19, 2013 08:00:00.000000000 UTC`, local time and zone. */
function frameTimeText(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  zone ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  const name = zone.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${MONTHS[d.getMonth()]} ${p2(d.getDate())}, ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(nsec).padStart(9, '0')} ${name}`;
}

/** The `frame` protocol's fields: present on every frame (frame.comment only when it has one). */
export interface FrameField {
  key: string;
  label: string;
  /** tshark's type, for -G fields. */
  type: string;
  present(pkt: Packet): boolean;
  write(pkt: Packet, clock: Clock, out: TextSink): void;
}

const always = (): boolean => true;

export const FRAME_FIELDS: readonly FrameField[] = [
  { key: 'frame.time', label: 'Arrival Time', type: 'FT_ABSOLUTE_TIME', present: always, write: (p, _c, out) => out.str(frameTimeText(p.frame.tsSec, p.frame.tsNsec)) },
  { key: 'frame.time_epoch', label: 'Epoch Time', type: 'FT_ABSOLUTE_TIME', present: always, write: (p, _c, out) => writeSpan(out, p.frame.tsSec, p.frame.tsNsec, 9) },
  { key: 'frame.time_delta', label: 'Time delta from previous captured frame', type: 'FT_RELATIVE_TIME', present: always, write: (p, c, out) => c.writeDelta(out, p.frame, 9) },
  { key: 'frame.time_delta_displayed', label: 'Time delta from previous displayed frame', type: 'FT_RELATIVE_TIME', present: always, write: (p, c, out) => c.writeDeltaShown(out, p.frame, 9) },
  { key: 'frame.time_relative', label: 'Time since reference or first frame', type: 'FT_RELATIVE_TIME', present: always, write: (p, c, out) => c.writeRelative(out, p.frame, 9) },
  { key: 'frame.number', label: 'Frame Number', type: 'FT_UINT32', present: always, write: (p, _c, out) => out.num(p.frame.number) },
  { key: 'frame.len', label: 'Frame Length', type: 'FT_UINT32', present: always, write: (p, _c, out) => out.num(p.frame.origLen) },
  { key: 'frame.cap_len', label: 'Capture Length', type: 'FT_UINT32', present: always, write: (p, _c, out) => out.num(p.frame.caplen) },
  {
    key: 'frame.protocols',
    label: 'Protocols in frame',
    type: 'FT_STRING',
    present: always,
    write: (p, _c, out) => {
      // Our layers' names, so NVGRE is named (tshark shows it as gre) and ethertype is not.
      for (let i = 0; i < p.layers.length; i++) {
        if (i > 0) out.byte(0x3a);
        out.str(p.layers[i].proto);
      }
    },
  },
  { key: 'frame.comment', label: 'Comment', type: 'FT_STRING', present: (p) => p.frame.comment !== undefined, write: (p, _c, out) => out.str(p.frame.comment ?? '') },
];

export const FRAME_FIELD = new Map(FRAME_FIELDS.map((f) => [f.key, f]));
