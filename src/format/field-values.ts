import { type FieldId, fieldKey } from '../decode/field-store.js';
/**
 * Field values one by one as tshark's -T fields and -T ek print them: numbers bare (no names, no
 * units), hex fields as 0x with their width (eth.type 0x0800, gre.key 0x3d59a400), flags 1/0,
 * addresses as text, bytes as bare hex; and the `frame` protocol's fields, which no decoder sets.
 */
import { type FieldDef, type FieldValue, fieldBase, typeDigits } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { Clock } from './clock.js';
import type { TextSink } from './sink.js';
import { writeSpan } from './clock.js';
import { hex, ipv4Bytes, ipv6, macBytes } from './text.js';
import { escapeControls } from './text.js';
import { wtapEncap } from '../decode/names.js';

/** One occurrence of a decoder's field. */
export function writeFieldValue(def: FieldDef | undefined, v: number | string | Uint8Array, out: TextSink): void {
  // Text from the capture (a pktmon component's name), or a u64 past 2^53 as its digits.
  if (typeof v === 'string') return out.str(escapeControls(v));
  if (v instanceof Uint8Array) {
    if (def?.kind === 'ipv6') out.str(ipv6(v));
    else out.hexBytes(v, -1);
    return;
  }
  // Hex by tshark's base, padded to the type's width (tcp.flags, a FT_UINT16, is 0x0002; the tree
  // pads to the bits the field has, 0x002); BASE_HEX_DEC (ip.id) shows hex first too.
  const base = def === undefined ? '' : fieldBase(def);
  if (def !== undefined && (base === 'BASE_HEX' || base === 'BASE_HEX_DEC')) return out.str(hex(v, typeDigits(def.type)));
  switch (def?.kind) {
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
export function occurrences(layers: readonly Layer[], id: FieldId): number {
  let n = 0;
  for (const l of layers) {
    const v = l.fields.get(id);
    if (v === undefined) continue;
    n += typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array ? 1 : v.length;
  }
  return n;
}

/** The `i`th occurrence (0-based) of field `id` in the layers; `occurrences` says how many there are. */
export function occurrence(layers: readonly Layer[], id: FieldId, i: number): number | string | Uint8Array {
  for (const l of layers) {
    const v: FieldValue | undefined = l.fields.get(id);
    if (v === undefined) continue;
    if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array) {
      if (i === 0) return v;
      i--;
    } else if (i < v.length) return v[i];
    else i -= v.length;
  }
  throw new RangeError(`${fieldKey(id)} has no occurrence ${i}`);
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
  /** tshark's description, where it has one. */
  blurb?: string;
  /** tshark's type and base, for -G fields. */
  type: string;
  base: string;
  present(pkt: Packet): boolean;
  write(pkt: Packet, clock: Clock, out: TextSink): void;
  /** A flag's value, for -T ek's true/false (write gives -T fields' 1/0). */
  flag?(pkt: Packet): boolean;
}

const always = (): boolean => true;
const fromPcapng = (p: Packet): boolean => p.frame.section !== undefined;

const UNSET = (): boolean => false;

/** In tshark's order (the frame tree's), which -T ek keeps. */
export const FRAME_FIELDS: readonly FrameField[] = [
  { key: 'frame.section_number', label: 'Section number', blurb: 'The number of the file section this frame is in', type: 'FT_UINT32', base: 'BASE_DEC', present: fromPcapng, write: (p, _c, out) => out.num(p.frame.section ?? 0) },
  { key: 'frame.interface_id', label: 'Interface id', type: 'FT_UINT32', base: 'BASE_DEC', present: fromPcapng, write: (p, _c, out) => out.num(p.frame.interfaceId ?? 0) },
  // tshark names an interface with no if_name "unknown".
  { key: 'frame.interface_name', label: 'Interface name', blurb: 'The friendly name for this interface', type: 'FT_STRING', base: '', present: fromPcapng, write: (p, _c, out) => out.str(p.frame.interfaceName ?? 'unknown') },
  {
    key: 'frame.encap_type',
    label: 'Encapsulation type',
    type: 'FT_INT16',
    base: 'BASE_DEC',
    present: (p) => wtapEncap(p.frame.linktype) !== undefined,
    write: (p, _c, out) => out.num(wtapEncap(p.frame.linktype) ?? 0),
  },
  { key: 'frame.time', label: 'Arrival Time', blurb: 'Absolute time when this frame was captured', type: 'FT_ABSOLUTE_TIME', base: '', present: always, write: (p, _c, out) => out.str(frameTimeText(p.frame.tsSec, p.frame.tsNsec)) },
  // Nothing shifts our times (tshark's --time-shift, editcap -t): always 0.
  { key: 'frame.offset_shift', label: 'Time shift for this packet', blurb: 'Time shift applied to this packet', type: 'FT_RELATIVE_TIME', base: '', present: always, write: (_p, _c, out) => out.str('0.000000000') },
  { key: 'frame.time_epoch', label: 'Epoch Time', blurb: 'Epoch time when this frame was captured', type: 'FT_RELATIVE_TIME', base: '', present: always, write: (p, _c, out) => writeSpan(out, p.frame.tsSec, p.frame.tsNsec, 9) },
  { key: 'frame.time_delta', label: 'Time delta from previous captured frame', type: 'FT_RELATIVE_TIME', base: '', present: always, write: (p, c, out) => c.writeDelta(out, p.frame, 9) },
  { key: 'frame.time_delta_displayed', label: 'Time delta from previous displayed frame', type: 'FT_RELATIVE_TIME', base: '', present: always, write: (p, c, out) => c.writeDeltaShown(out, p.frame, 9) },
  { key: 'frame.time_relative', label: 'Time since reference or first frame', blurb: 'Time relative to time reference or first frame', type: 'FT_RELATIVE_TIME', base: '', present: always, write: (p, c, out) => c.writeRelative(out, p.frame, 9) },
  { key: 'frame.number', label: 'Frame Number', type: 'FT_UINT32', base: 'BASE_DEC', present: always, write: (p, _c, out) => out.num(p.frame.number) },
  { key: 'frame.len', label: 'Frame length on the wire', type: 'FT_UINT32', base: 'BASE_DEC', present: always, write: (p, _c, out) => out.num(p.frame.origLen) },
  { key: 'frame.cap_len', label: 'Frame length stored into the capture file', type: 'FT_UINT32', base: 'BASE_DEC', present: always, write: (p, _c, out) => out.num(p.frame.caplen) },
  // We neither mark nor ignore frames (Wireshark's GUI and --ignore do).
  { key: 'frame.marked', label: 'Frame is marked', blurb: 'Frame is marked in the GUI', type: 'FT_BOOLEAN', base: '0', present: always, write: (_p, _c, out) => out.byte(0x30), flag: UNSET },
  { key: 'frame.ignored', label: 'Frame is ignored', blurb: 'Frame is ignored by the dissectors', type: 'FT_BOOLEAN', base: '0', present: always, write: (_p, _c, out) => out.byte(0x30), flag: UNSET },
  {
    key: 'frame.protocols',
    label: 'Protocols in frame',
    blurb: 'Protocols carried by this frame',
    type: 'FT_STRING',
    base: '',
    present: always,
    write: (p, _c, out) => {
      // Our layers' names, so NVGRE is named (tshark shows it as gre) and ethertype is not.
      for (let i = 0; i < p.layers.length; i++) {
        if (i > 0) out.byte(0x3a);
        out.str(p.layers[i].proto);
      }
    },
  },
  { key: 'frame.comment', label: 'Comment', type: 'FT_STRING', base: '', present: (p) => p.frame.comment !== undefined, write: (p, _c, out) => out.str(p.frame.comment ?? '') },
];

/** A field whose text may come from the capture (a comment, an interface name): each output escapes it its own way. */
export const isTextField = (f: FrameField): boolean => f.type === 'FT_STRING' || f.type === 'FT_ABSOLUTE_TIME';

export const FRAME_FIELD = new Map(FRAME_FIELDS.map((f) => [f.key, f]));
