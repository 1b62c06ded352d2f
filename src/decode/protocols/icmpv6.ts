import { u16 } from '../bytes.js';
import { checksumStatusField, type FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { quote } from './icmp.js';
import { transportChecksum } from './tcp.js';

export const ICMPV6_TYPE_NAMES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  143: 'Multicast Listener Report Message v2',
};

export const icmpv6Fields: FieldDef[] = [
  { key: 'icmpv6.type', type: 'FT_UINT8', label: 'Type', blurb: 'Indicates the type of the message', kind: 'dec', names: ICMPV6_TYPE_NAMES },
  { key: 'icmpv6.code', type: 'FT_UINT8', label: 'Code', blurb: 'Depends on the message type.  It is used to create an additional level of message granularity', kind: 'dec' },
  { key: 'icmpv6.checksum', type: 'FT_UINT16', label: 'Checksum', blurb: 'Used to detect data corruption in the ICMPv6 message and parts of the IPv6 header', kind: 'hex', width: 4 },
  checksumStatusField('icmpv6.checksum.status'),
  { key: 'icmpv6.echo.identifier', type: 'FT_UINT16', base: 'BASE_HEX', label: 'Identifier', blurb: 'An identifier to aid in matching with Request and Reply', kind: 'dec' },
  { key: 'icmpv6.echo.sequence_number', type: 'FT_UINT16', label: 'Sequence Number', blurb: 'A sequence number to aid in matching Echo Replies to this Echo Request', kind: 'dec' },
  { key: 'icmpv6.nd.ra.cur_hop_limit', type: 'FT_UINT8', label: 'Cur Hop Limit', blurb: 'The default value that should be placed in the Hop Count field of the IP header for outgoing IP packets', kind: 'dec' },
  { key: 'icmpv6.nd.ra.router_lifetime', type: 'FT_UINT16', label: 'Router Lifetime', blurb: 'The lifetime associated with the default router', kind: 'dec', unit: 's' },
  { key: 'icmpv6.nd.ns.target_address', type: 'FT_IPv6', label: 'Target Address', blurb: 'The IP address of the target of the solicitation', kind: 'ipv6' },
  { key: 'icmpv6.nd.na.flag', type: 'FT_UINT32', label: 'Flags', kind: 'hex', width: 8, bits: [[0x80000000, 'Router'], [0x40000000, 'Solicited'], [0x20000000, 'Override']] },
  { key: 'icmpv6.nd.na.target_address', type: 'FT_IPv6', label: 'Target Address', blurb: 'the Target Address field in the Neighbor Solicitation message that prompted this advertisement', kind: 'ipv6' },
];

const TYPE = fieldId('icmpv6.type');
const CODE = fieldId('icmpv6.code');
const CHECKSUM = fieldId('icmpv6.checksum');
const CHECKSUM_STATUS = fieldId('icmpv6.checksum.status');
const ECHO_ID = fieldId('icmpv6.echo.identifier');
const ECHO_SEQ = fieldId('icmpv6.echo.sequence_number');
const RA_HOP_LIMIT = fieldId('icmpv6.nd.ra.cur_hop_limit');
const RA_LIFETIME = fieldId('icmpv6.nd.ra.router_lifetime');
const NS_TARGET = fieldId('icmpv6.nd.ns.target_address');
const NA_FLAG = fieldId('icmpv6.nd.na.flag');
const NA_TARGET = fieldId('icmpv6.nd.na.target_address');
const DATA = fieldId('data.data');
const DATA_LEN = fieldId('data.len');

const CODES = { bad: 'icmpv6.checksum_bad' } as const;

/** ICMPv6 (RFC 4443) with echo and the neighbour discovery messages (RFC 4861) HNV hosts exchange. */
export const icmpv6: Decoder = (d, off, end, p) => {
  if (p.tooShort('icmpv6', off, end, 4, 'icmpv6.truncated', 'the ICMPv6 header')) return;
  const type = d[off];
  const layer = p.add('icmpv6', off, Math.min(8, end - off));
  const f = layer.fields;
  f.add(TYPE, type);
  f.add(CODE, d[off + 1]);
  f.add(CHECKSUM, u16(d, off + 2));
  f.add(CHECKSUM_STATUS, transportChecksum(d, off, end, 2, 58, p, layer, CODES));
  const has = (n: number): boolean => end - off >= n;
  if ((type === 128 || type === 129) && has(8)) {
    f.add(ECHO_ID, u16(d, off + 4));
    f.add(ECHO_SEQ, u16(d, off + 6));
  } else if (type === 134 && has(16)) {
    f.add(RA_HOP_LIMIT, d[off + 4]);
    f.add(RA_LIFETIME, u16(d, off + 6));
  } else if (type === 135 && has(24)) {
    f.addBytes(NS_TARGET, d, off + 8, off + 24);
  } else if (type === 136 && has(24)) {
    f.add(NA_FLAG, ((d[off + 4] & 0xe0) << 24) >>> 0);
    f.addBytes(NA_TARGET, d, off + 8, off + 24);
  }
  if (end - off > 8 && type >= 1 && type <= 4) {
    quote(p, 0x86dd, off + 8, end); // errors carry the offending packet's start (RFC 4443)
    return;
  }
  if (end - off > 8 && (type === 128 || type === 129)) {
    f.addBytes(DATA, d, off + 8, end);
    f.add(DATA_LEN, end - off - 8);
  }
};
