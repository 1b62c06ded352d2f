import { mac48, u16, u32 } from '../bytes.js';
import type { FieldDef, FieldValue } from '../fields.js';
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

/** ARP (RFC 826). Addresses are decoded for Ethernet/IPv4, the only pairing tenant networks use. */
export const arp: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('arp', off, end, 8, 'arp.truncated', 'the ARP header')) return;
  const hlen = d[off + 4];
  const plen = d[off + 5];
  const length = 8 + 2 * (hlen + plen);
  const fields: Record<string, FieldValue> = {
    'arp.hw.type': u16(d, off),
    'arp.proto.type': u16(d, off + 2),
    'arp.hw.size': hlen,
    'arp.proto.size': plen,
    'arp.opcode': u16(d, off + 6),
  };
  const layer = p.add('arp', off, Math.min(length, avail), fields);
  if (length > avail) {
    p.cut(layer, 'arp.truncated', `${avail} bytes, this ARP packet needs ${length}`);
    return;
  }
  if (hlen === 6 && plen === 4) {
    fields['arp.src.hw_mac'] = mac48(d, off + 8);
    fields['arp.src.proto_ipv4'] = u32(d, off + 14);
    fields['arp.dst.hw_mac'] = mac48(d, off + 18);
    fields['arp.dst.proto_ipv4'] = u32(d, off + 24);
  }
};
