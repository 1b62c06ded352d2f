import { hex4, onesSum, u16, u32 } from '../bytes.js';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_UNVERIFIED,
  checksumStatusField,
  type FieldDef,
} from '../fields.js';
import { fieldId } from '../field-store.js';
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

const FLAGS_AND_VERSION = fieldId('gre.flags_and_version');
const CHECKSUM_FLAG = fieldId('gre.flags.checksum');
const ROUTING_FLAG = fieldId('gre.flags.routing');
const KEY_FLAG = fieldId('gre.flags.key');
const SEQUENCE_FLAG = fieldId('gre.flags.sequence_number');
const VERSION = fieldId('gre.flags.version');
const PROTO = fieldId('gre.proto');
const CHECKSUM = fieldId('gre.checksum');
const CHECKSUM_STATUS = fieldId('gre.checksum.status');
const KEY_PAYLOAD_LENGTH = fieldId('gre.key.payload_length');
const KEY_CALL_ID = fieldId('gre.key.call_id');
const KEY = fieldId('gre.key');
const SEQUENCE_NUMBER = fieldId('gre.sequence_number');
const ACK_NUMBER = fieldId('gre.ack_number');

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
  const hdrLen =
    4 + (fv & (C | R) ? 4 : 0) + (fv & K ? 4 : 0) + (fv & S ? 4 : 0) + (version === 1 && fv & A ? 4 : 0);
  const layer = p.add('gre', off, Math.min(hdrLen, avail));
  const f = layer.fields;
  f.add(FLAGS_AND_VERSION, fv);
  f.add(CHECKSUM_FLAG, fv & C ? 1 : 0);
  f.add(ROUTING_FLAG, fv & R ? 1 : 0);
  f.add(KEY_FLAG, fv & K ? 1 : 0);
  f.add(SEQUENCE_FLAG, fv & S ? 1 : 0);
  f.add(VERSION, version);
  f.add(PROTO, proto);
  if (hdrLen > avail) {
    p.cut(layer, 'gre.truncated', `${avail} bytes, the GRE header with its flagged fields needs ${hdrLen}`);
    return;
  }
  let o = off + 4;
  if (fv & (C | R)) {
    // RFC 1701: the checksum field is there when either bit is set; it is only valid with C.
    const checksum = u16(d, o);
    f.add(CHECKSUM, checksum);
    f.add(CHECKSUM_STATUS, CHECKSUM_UNVERIFIED);
    if (fv & C) {
      // The checksum covers header and payload; it is only checkable when all of them were captured.
      if (!p.incomplete) {
        const good = onesSum(d, off, end) === 0xffff;
        f.set(CHECKSUM_STATUS, good ? CHECKSUM_GOOD : CHECKSUM_BAD);
        if (!good) p.warn(layer, 'gre.checksum_bad', `checksum ${hex4(checksum)} does not match`);
      }
    }
    o += 4;
  }
  if (fv & K) {
    const key = u32(d, o);
    // PPTP (RFC 2637) splits the key, for PPP payloads; tshark reads other version-1 keys whole.
    if (version === 1 && proto === PPP) {
      f.add(KEY_PAYLOAD_LENGTH, key >>> 16);
      f.add(KEY_CALL_ID, key & 0xffff);
    } else f.addU32(KEY, d, o);
    o += 4;
  }
  if (fv & S) {
    f.add(SEQUENCE_NUMBER, u32(d, o));
    o += 4;
  }
  if (version === 1 && fv & A) {
    f.add(ACK_NUMBER, u32(d, o));
    o += 4;
  }
  if (fv & R || fv & 0x0f00) {
    p.warn(layer, 'gre.routing', `flags ${hex4(fv)}: source routing / recursion control are not decoded`);
    p.next('gre.proto', -1, o, end);
    return;
  }
  p.next('gre.proto', proto, o, end, true);
};
