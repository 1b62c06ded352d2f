import { hex4, onesSum, u16, u32 } from '../bytes.js';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_UNVERIFIED,
  checksumStatusField,
  type FieldDef,
  type FieldValue,
} from '../fields.js';
import type { Decoder } from '../packet.js';
import { ETHERTYPE_NAMES } from '../names.js';

const C = 0x8000;
const R = 0x4000;
const K = 0x2000;
const S = 0x1000;
/** RFC 2637 (PPTP, GRE version 1): acknowledgment number present. */
const A = 0x0080;
const PPP = 0x880b;

export const greFields: FieldDef[] = [
  {
    key: 'gre.flags_and_version',
    type: 'FT_UINT16',
    label: 'Flags and Version', blurb: 'The GRE flags are encoded in the first two octets',
    kind: 'hex',
    width: 4,
    bits: [
      [C, 'C'],
      [R, 'R'],
      [K, 'K'],
      [S, 'S'],
      [A, 'A'],
    ],
  },
  { key: 'gre.flags.checksum', type: 'FT_BOOLEAN', base: '16', mask: 0x8000, label: 'Checksum Present (C)', blurb: 'Indicates if the Checksum field is present', kind: 'bool' },
  { key: 'gre.flags.routing', type: 'FT_BOOLEAN', base: '16', mask: 0x4000, label: 'Routing Present (R)', blurb: 'Indicates if the Routing and Checksum/Offset field are present', kind: 'bool' },
  { key: 'gre.flags.key', type: 'FT_BOOLEAN', base: '16', mask: 0x2000, label: 'Key Present (K)', blurb: 'Indicates if the Key field is present', kind: 'bool' },
  { key: 'gre.flags.sequence_number', type: 'FT_BOOLEAN', base: '16', mask: 0x1000, label: 'Sequence Number Present (S)', blurb: 'Indicates if the Sequence Number field is present', kind: 'bool' },
  { key: 'gre.flags.version', type: 'FT_UINT16', mask: 0x7, label: 'Version', kind: 'dec' },
  { key: 'gre.proto', type: 'FT_UINT16', label: 'Protocol Type', blurb: 'The protocol that is GRE encapsulated', kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
  { key: 'gre.checksum', type: 'FT_UINT16', label: 'Checksum', blurb: 'The Checksum field contains the IP (one\'s complement) checksum of the GRE header and the payload packet', kind: 'hex', width: 4 },
  checksumStatusField('gre.checksum.status'),
  { key: 'gre.key', type: 'FT_UINT32', label: 'Key', blurb: 'The Key field contains a four octet number which was inserted by the encapsulator', kind: 'hex', width: 8 },
  { key: 'gre.key.payload_length', type: 'FT_UINT16', label: 'Payload Length', blurb: 'Size of the payload, not including the GRE header', kind: 'dec' },
  { key: 'gre.key.call_id', type: 'FT_UINT16', label: 'Call ID', blurb: 'Contains the Peer\'s Call ID for the session to which this packet belongs.', kind: 'dec' },
  { key: 'gre.sequence_number', type: 'FT_UINT32', label: 'Sequence Number', blurb: 'The Sequence Number field contains an unsigned 32 bit integer which is inserted by the encapsulator', kind: 'dec' },
  { key: 'gre.ack_number', type: 'FT_UINT32', label: 'Acknowledgment Number', blurb: 'Contains the sequence number of the highest numbered GRE packet received by the sending peer for this user session', kind: 'dec' },
];

/**
 * GRE: RFC 2784 with the RFC 2890 key and sequence extensions; version 1 is PPTP's (RFC 2637),
 * whose key holds payload length and call id. The payload is a tunnel: it nests one level deeper.
 */
export const gre: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('gre', off, end, 4, 'gre.truncated', 'the GRE header')) return;
  const fv = u16(d, off);
  const version = fv & 0x7;
  const proto = u16(d, off + 2);
  const fields: Record<string, FieldValue> = {
    'gre.flags_and_version': fv,
    'gre.flags.checksum': fv & C ? 1 : 0,
    'gre.flags.routing': fv & R ? 1 : 0,
    'gre.flags.key': fv & K ? 1 : 0,
    'gre.flags.sequence_number': fv & S ? 1 : 0,
    'gre.flags.version': version,
    'gre.proto': proto,
  };
  const hdrLen =
    4 + (fv & (C | R) ? 4 : 0) + (fv & K ? 4 : 0) + (fv & S ? 4 : 0) + (version === 1 && fv & A ? 4 : 0);
  const layer = p.add('gre', off, Math.min(hdrLen, avail), fields);
  if (hdrLen > avail) {
    p.cut(layer, 'gre.truncated', `${avail} bytes, the GRE header with its flagged fields needs ${hdrLen}`);
    return;
  }
  let o = off + 4;
  if (fv & (C | R)) {
    // RFC 1701: the checksum field is there when either bit is set; it is only valid with C.
    const checksum = u16(d, o);
    fields['gre.checksum'] = checksum;
    fields['gre.checksum.status'] = CHECKSUM_UNVERIFIED;
    if (fv & C) {
      // The checksum covers header and payload; it is only checkable when all of them were captured.
      if (!p.incomplete) {
        const good = onesSum(d, off, end) === 0xffff;
        fields['gre.checksum.status'] = good ? CHECKSUM_GOOD : CHECKSUM_BAD;
        if (!good) p.warn(layer, 'gre.checksum_bad', `checksum ${hex4(checksum)} does not match`);
      }
    }
    o += 4;
  }
  if (fv & K) {
    const key = u32(d, o);
    // PPTP (RFC 2637) splits the key, for PPP payloads; tshark reads other version-1 keys whole.
    if (version === 1 && proto === PPP) {
      fields['gre.key.payload_length'] = key >>> 16;
      fields['gre.key.call_id'] = key & 0xffff;
    } else fields['gre.key'] = key;
    o += 4;
  }
  if (fv & S) {
    fields['gre.sequence_number'] = u32(d, o);
    o += 4;
  }
  if (version === 1 && fv & A) {
    fields['gre.ack_number'] = u32(d, o);
    o += 4;
  }
  if (fv & R || fv & 0x0f00) {
    p.warn(layer, 'gre.routing', `flags ${hex4(fv)}: source routing / recursion control are not decoded`);
    p.next('gre.proto', -1, o, end);
    return;
  }
  p.next('gre.proto', proto, o, end, true);
};
