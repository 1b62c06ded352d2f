import { u16 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { ETHERTYPE_NAMES } from '../names.js';

export const ARP_OPCODE_NAMES: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply' };

export const arpFields: FieldDef[] = [
  { key: 'arp.hw.type', type: 'FT_UINT16', label: 'Hardware Type', kind: 'dec', names: { 1: 'Ethernet' } },
  { key: 'arp.proto.type', type: 'FT_UINT16', label: 'Protocol Type', kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
  { key: 'arp.hw.size', type: 'FT_UINT8', label: 'Hardware Size', kind: 'dec' },
  { key: 'arp.proto.size', type: 'FT_UINT8', label: 'Protocol Size', kind: 'dec' },
  { key: 'arp.opcode', type: 'FT_UINT16', label: 'Opcode', kind: 'dec', names: ARP_OPCODE_NAMES },
  { key: 'arp.src.hw_mac', type: 'FT_ETHER', label: 'Sender MAC', kind: 'mac' },
  { key: 'arp.src.proto_ipv4', type: 'FT_IPv4', label: 'Sender IP', kind: 'ipv4' },
  { key: 'arp.dst.hw_mac', type: 'FT_ETHER', label: 'Target MAC', kind: 'mac' },
  { key: 'arp.dst.proto_ipv4', type: 'FT_IPv4', label: 'Target IP', kind: 'ipv4' },
];

const HW_TYPE = fieldId('arp.hw.type');
const PROTO_TYPE = fieldId('arp.proto.type');
const HW_SIZE = fieldId('arp.hw.size');
const PROTO_SIZE = fieldId('arp.proto.size');
const OPCODE = fieldId('arp.opcode');
const SRC_MAC = fieldId('arp.src.hw_mac');
const SRC_IPV4 = fieldId('arp.src.proto_ipv4');
const DST_MAC = fieldId('arp.dst.hw_mac');
const DST_IPV4 = fieldId('arp.dst.proto_ipv4');

/** ARP (RFC 826). Addresses are decoded for Ethernet/IPv4, the only pairing tenant networks use. */
export const arp: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('arp', off, end, 8, 'arp.truncated', 'the ARP header')) return;
  const hlen = d[off + 4];
  const plen = d[off + 5];
  const length = 8 + 2 * (hlen + plen);
  const layer = p.add('arp', off, Math.min(length, avail));
  const f = layer.fields;
  f.add(HW_TYPE, u16(d, off));
  f.add(PROTO_TYPE, u16(d, off + 2));
  f.add(HW_SIZE, hlen);
  f.add(PROTO_SIZE, plen);
  f.add(OPCODE, u16(d, off + 6));
  if (length > avail) {
    p.cut(layer, 'arp.truncated', `${avail} bytes, this ARP packet needs ${length}`);
    return;
  }
  if (hlen === 6 && plen === 4) {
    f.addU48(SRC_MAC, d, off + 8);
    f.addU32(SRC_IPV4, d, off + 14);
    f.addU48(DST_MAC, d, off + 18);
    f.addU32(DST_IPV4, d, off + 24);
  }
};
