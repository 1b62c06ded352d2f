import { u16 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';

/** tshark's names, shortened as its Protocol column has them. */
export const PPP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0x0021: 'IPv4',
  0x0057: 'IPv6',
  0x00fd: 'Compressed datagram',
  0x8021: 'IPCP',
  0x8057: 'IPV6CP',
  0x80fd: 'CCP',
  0xc021: 'LCP',
  0xc023: 'PAP',
  0xc223: 'CHAP',
};

export const pppFields: FieldDef[] = [
  { key: 'ppp.address', type: 'FT_UINT8', label: 'Address', kind: 'hex', width: 2 },
  { key: 'ppp.control', type: 'FT_UINT8', label: 'Control', kind: 'hex', width: 2 },
  { key: 'ppp.protocol', type: 'FT_UINT16', label: 'Protocol', kind: 'hex', width: 4, names: PPP_PROTOCOL_NAMES },
];

const ADDRESS = fieldId('ppp.address');
const CONTROL = fieldId('ppp.control');
const PROTOCOL = fieldId('ppp.protocol');

/** PPP to the ethertype its payload would have, for the two it carries in PPTP tunnels. */
const TO_ETHERTYPE: Record<number, number> = { 0x0021: 0x0800, 0x0057: 0x86dd };

/**
 * PPP (RFC 1661) as PPTP carries it in GRE version 1 (protocol 0x880b). Address and control
 * (ff 03) may be left out, and a protocol whose first byte is odd is compressed to that one byte.
 */
export const ppp: Decoder = (d, off, end, p) => {
  if (off >= end) return; // a PPTP acknowledgment carries no PPP frame at all

  const layer = p.add('ppp', off, end - off);
  const f = layer.fields;
  let o = off;
  if (end - o >= 2 && d[o] === 0xff && d[o + 1] === 0x03) {
    f.add(ADDRESS, 0xff);
    f.add(CONTROL, 0x03);
    o += 2;
  }
  if (o >= end || (d[o] & 1) === 0 && o + 2 > end) {
    layer.cut = true;
    p.cut(layer, 'ppp.truncated', `${end - off} bytes, the PPP protocol field is cut`);
    return;
  }
  const protocol = d[o] & 1 ? d[o] : u16(d, o);
  o += d[o] & 1 ? 1 : 2;
  f.add(PROTOCOL, protocol);
  layer.length = o - off;
  p.next('ethertype', TO_ETHERTYPE[protocol] ?? -1, o, end);
};
