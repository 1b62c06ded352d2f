import { mac48, u16, u32 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { type Fields, fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { ETHERTYPE_NAMES } from '../names.js';

const PACKET_TYPES = { 0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us' };

export const sllFields: FieldDef[] = [
  { key: 'sll.pkttype', type: 'FT_UINT16', label: 'Packet Type', kind: 'dec', names: PACKET_TYPES },
  { key: 'sll.hatype', type: 'FT_UINT16', label: 'Link-layer Address Type', kind: 'dec', names: { 1: 'Ethernet' } },
  { key: 'sll.ifindex', type: 'FT_UINT32', label: 'Interface Index', kind: 'dec' },
  { key: 'sll.halen', type: 'FT_UINT16', label: 'Link-layer Address Length', kind: 'dec' },
  { key: 'sll.src.eth', type: 'FT_ETHER', label: 'Source', blurb: 'Source link-layer address', kind: 'mac' },
  { key: 'sll.etype', type: 'FT_UINT16', label: 'Protocol', blurb: 'Ethernet protocol type', kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
];

const PKTTYPE = fieldId('sll.pkttype');
const HATYPE = fieldId('sll.hatype');
const HALEN = fieldId('sll.halen');
const SRC_ETH = fieldId('sll.src.eth');
const ETYPE = fieldId('sll.etype');
const IFINDEX = fieldId('sll.ifindex');

/** The address field is 8 bytes; a 6-byte Ethernet address is all an overlay tunnel needs shown. */
function source(d: Uint8Array, at: number, halen: number, f: Fields): void {
  if (halen === 6) f.add(SRC_ETH, mac48(d, at));
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113): what `tcpdump -i any` writes. */
export const linuxSll: Decoder = (d, off, end, p) => {
  if (p.tooShort('sll', off, end, 16, 'sll.truncated', 'the Linux cooked header')) return;
  const halen = u16(d, off + 4);
  const type = u16(d, off + 14);
  const f = p.add('sll', off, 16).fields;
  f.add(PKTTYPE, u16(d, off));
  f.add(HATYPE, u16(d, off + 2));
  f.add(HALEN, halen);
  source(d, off + 6, halen, f);
  f.add(ETYPE, type);
  p.next('ethertype', type, off + 16, end);
};

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276): protocol first, then the interface index. */
export const linuxSll2: Decoder = (d, off, end, p) => {
  if (p.tooShort('sll', off, end, 20, 'sll.truncated', 'the Linux cooked v2 header')) return;
  const type = u16(d, off);
  const halen = d[off + 11];
  const f = p.add('sll', off, 20).fields;
  f.add(ETYPE, type);
  f.add(IFINDEX, u32(d, off + 4));
  f.add(HATYPE, u16(d, off + 8));
  f.add(PKTTYPE, d[off + 10]);
  f.add(HALEN, halen);
  source(d, off + 12, halen, f);
  p.next('ethertype', type, off + 20, end);
};
