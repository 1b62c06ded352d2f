import { u16, u32 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { type Fields, fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { IP_PROTO_NAMES } from '../names.js';
import { dispatchPayload, fragmentFields } from './ip-payload.js';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DESTINATION = 60;
const VERSION = fieldId('ipv6.version');
const TCLASS = fieldId('ipv6.tclass');
const FLOW = fieldId('ipv6.flow');
const PLEN = fieldId('ipv6.plen');
const NXT = fieldId('ipv6.nxt');
const HLIM = fieldId('ipv6.hlim');
const SRC = fieldId('ipv6.src');
const DST = fieldId('ipv6.dst');
const FRAG_OFFSET = fieldId('ipv6.fraghdr.offset');
const FRAG_MORE = fieldId('ipv6.fraghdr.more');
const FRAG_IDENT = fieldId('ipv6.fraghdr.ident');
const ROUTING_TYPE = fieldId('ipv6.routing.type');
const ROUTING_SEGLEFT = fieldId('ipv6.routing.segleft');

/** Wireshark's names for the extension headers, as in ipv6.hopopts.nxt. */
const EXTENSION_NAMES: Record<number, string> = { [HOP_BY_HOP]: 'hopopts', [ROUTING]: 'routing', [FRAGMENT]: 'fraghdr', [DESTINATION]: 'dstopts' };
/** Each extension header's fields, by its Next Header value (the fragment header has no length): ids made once. */
const EXTENSION_IDS: Record<number, { nxt: number; len: number; lenOct: number }> = Object.fromEntries(
  Object.entries(EXTENSION_NAMES).map(([n, ext]) => {
    const sized = ext !== 'fraghdr';
    return [n, { nxt: fieldId(`ipv6.${ext}.nxt`), len: sized ? fieldId(`ipv6.${ext}.len`) : -1, lenOct: sized ? fieldId(`ipv6.${ext}.len_oct`) : -1 }];
  }),
);
const NEXT_HEADERS = new Set([fieldId('ipv6.nxt'), ...Object.values(EXTENSION_IDS).map((e) => e.nxt)]);

/** The protocol after the extension headers: the Next Header of the last one, which was set last. */
export function upperProtocol(f: Fields): number {
  let upper = f.num(NXT)!;
  for (let i = 0; i < f.count; i++) if (NEXT_HEADERS.has(f.idAt(i))) upper = f.valueAt(i) as number;
  return upper;
}

export const ipv6Fields: FieldDef[] = [
  { key: 'ipv6.version', type: 'FT_UINT8', label: 'Version', kind: 'dec' },
  { key: 'ipv6.tclass', type: 'FT_UINT32', mask: 0xff00000, label: 'Traffic Class', kind: 'hex', width: 2 },
  { key: 'ipv6.flow', type: 'FT_UINT24', mask: 0xfffff, label: 'Flow Label', kind: 'hex', width: 5 },
  { key: 'ipv6.plen', type: 'FT_UINT16', label: 'Payload Length', kind: 'dec' },
  { key: 'ipv6.nxt', type: 'FT_UINT8', label: 'Next Header', kind: 'dec', names: IP_PROTO_NAMES },
  { key: 'ipv6.hlim', type: 'FT_UINT8', label: 'Hop Limit', kind: 'dec' },
  { key: 'ipv6.src', type: 'FT_IPv6', label: 'Source', blurb: 'Source IPv6 Address', kind: 'ipv6' },
  { key: 'ipv6.dst', type: 'FT_IPv6', label: 'Destination', blurb: 'Destination IPv6 Address', kind: 'ipv6' },
  { key: 'ipv6.hopopts.nxt', proto: 'ipv6.hopopts', type: 'FT_UINT8', label: 'Hop-by-Hop: Next Header', kind: 'dec', names: IP_PROTO_NAMES },
  { key: 'ipv6.hopopts.len', proto: 'ipv6.hopopts', type: 'FT_UINT8', label: 'Hop-by-Hop: Length', blurb: 'Extension header length in 8-octet words (minus 1)', kind: 'dec', unit: '(x 8 bytes, after the first 8)' },
  { key: 'ipv6.hopopts.len_oct', proto: 'ipv6.hopopts', type: 'FT_UINT16', label: 'Hop-by-Hop: Length', blurb: 'Extension header length in octets', kind: 'dec', unit: 'bytes' },
  { key: 'ipv6.routing.nxt', proto: 'ipv6.routing', type: 'FT_UINT8', label: 'Routing: Next Header', kind: 'dec', names: IP_PROTO_NAMES },
  { key: 'ipv6.routing.len', proto: 'ipv6.routing', type: 'FT_UINT8', label: 'Routing: Length', blurb: 'Extension header length in 8-octet words (minus 1)', kind: 'dec', unit: '(x 8 bytes, after the first 8)' },
  { key: 'ipv6.routing.len_oct', proto: 'ipv6.routing', type: 'FT_UINT16', label: 'Routing: Length', blurb: 'Extension header length in octets', kind: 'dec', unit: 'bytes' },
  { key: 'ipv6.routing.type', proto: 'ipv6.routing', type: 'FT_UINT8', label: 'Routing: Type', blurb: 'Routing Header Type', kind: 'dec' },
  { key: 'ipv6.routing.segleft', proto: 'ipv6.routing', type: 'FT_UINT8', label: 'Routing: Segments Left', blurb: 'Routing Header Segments Left', kind: 'dec' },
  { key: 'ipv6.fraghdr.nxt', proto: 'ipv6.fraghdr', type: 'FT_UINT8', label: 'Fragment: Next Header', kind: 'dec', names: IP_PROTO_NAMES },
  { key: 'ipv6.fraghdr.offset', proto: 'ipv6.fraghdr', type: 'FT_UINT16', mask: 0xfff8, label: 'Fragment: Offset', blurb: 'Fragment Offset', kind: 'dec', shown: (v) => `${v} (${v * 8} bytes)` },
  { key: 'ipv6.fraghdr.more', proto: 'ipv6.fraghdr', type: 'FT_BOOLEAN', base: '16', mask: 0x1, label: 'Fragment: More Fragments', kind: 'bool' },
  { key: 'ipv6.fraghdr.ident', proto: 'ipv6.fraghdr', type: 'FT_UINT32', label: 'Fragment: Identification', blurb: 'Fragment Identification', kind: 'hex', width: 8 },
  { key: 'ipv6.dstopts.nxt', proto: 'ipv6.dstopts', type: 'FT_UINT8', label: 'Destination Options: Next Header', kind: 'dec', names: IP_PROTO_NAMES },
  { key: 'ipv6.dstopts.len', proto: 'ipv6.dstopts', type: 'FT_UINT8', label: 'Destination Options: Length', blurb: 'Extension header length in 8-octet words (minus 1)', kind: 'dec', unit: '(x 8 bytes, after the first 8)' },
  { key: 'ipv6.dstopts.len_oct', proto: 'ipv6.dstopts', type: 'FT_UINT16', label: 'Destination Options: Length', blurb: 'Extension header length in octets', kind: 'dec', unit: 'bytes' },
  ...fragmentFields('ipv6'),
];

/**
 * IPv6 (RFC 8200): the base header, then hop-by-hop, routing, fragment and destination-options
 * headers walked to the upper layer; all of them belong to this one layer.
 */
export const ipv6: Decoder = (d, off, end, p) => {
  if (p.tooShort('ipv6', off, end, 40, 'ipv6.truncated', 'the IPv6 header')) return;
  const first = u32(d, off);
  const version = first >>> 28;
  const plen = u16(d, off + 4);
  const layer = p.add('ipv6', off, 40);
  const f = layer.fields;
  f.add(VERSION, version);
  f.add(TCLASS, (first >>> 20) & 0xff);
  f.add(FLOW, first & 0xfffff);
  f.add(PLEN, plen);
  f.add(NXT, d[off + 6]);
  f.add(HLIM, d[off + 7]);
  f.addBytes(SRC, d, off + 8, off + 24);
  f.addBytes(DST, d, off + 24, off + 40);
  if (version !== 6) {
    p.warn(layer, 'ipv6.version', `version field is ${version}, not 6`);
    return;
  }
  let next = d[off + 6];
  let o = off + 40;
  // Payload length 0 after a hop-by-hop header is a jumbogram (RFC 2675): its payload runs to the end.
  const declaredEnd = plen === 0 && next === HOP_BY_HOP ? end : off + 40 + plen;
  // Extension headers lie within the declared payload as well as within the bytes there are.
  const limit = Math.min(end, declaredEnd);
  let fragOffset = 0;
  let moreFragments = false;
  let fragId = 0;
  while (next === HOP_BY_HOP || next === ROUTING || next === FRAGMENT || next === DESTINATION) {
    const len = next === FRAGMENT ? 8 : (d[o + 1] + 1) * 8;
    if (o + 2 > limit || o + len > limit) {
      const where = `extension header ${next} at byte ${o - off} runs past`;
      if (limit < end) p.warn(layer, 'ipv6.truncated', `${where} the payload length, ${plen}`);
      else p.cut(layer, 'ipv6.truncated', `${where} the ${end - off} bytes there are`);
      layer.length = Math.max(40, limit - off);
      return;
    }
    const ext = EXTENSION_IDS[next];
    f.set(ext.nxt, d[o]);
    if (next === FRAGMENT) {
      const word = u16(d, o + 2);
      fragOffset = word >>> 3;
      moreFragments = (word & 1) === 1;
      fragId = u32(d, o + 4);
      f.set(FRAG_OFFSET, fragOffset);
      f.set(FRAG_MORE, moreFragments ? 1 : 0);
      f.set(FRAG_IDENT, fragId);
    } else {
      f.set(ext.len, d[o + 1]);
      f.set(ext.lenOct, len);
      if (next === ROUTING) {
        f.set(ROUTING_TYPE, d[o + 2]);
        f.set(ROUTING_SEGLEFT, d[o + 3]);
      }
    }
    next = d[o];
    o += len;
  }
  layer.length = o - off;
  const frag = f.has(FRAG_OFFSET) ? { offset: fragOffset * 8, more: moreFragments, id: fragId } : null;
  dispatchPayload(d, end, layer, o, declaredEnd, next, frag, p, true);
};
