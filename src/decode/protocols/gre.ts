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
    label: 'Flags and Version',
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
  { key: 'gre.flags.checksum', type: 'FT_BOOLEAN', base: '16', mask: 0x8000, label: 'Checksum Present (C)', kind: 'bool' },
  { key: 'gre.flags.routing', type: 'FT_BOOLEAN', base: '16', mask: 0x4000, label: 'Routing Present (R)', kind: 'bool' },
  { key: 'gre.flags.key', type: 'FT_BOOLEAN', base: '16', mask: 0x2000, label: 'Key Present (K)', kind: 'bool' },
  { key: 'gre.flags.sequence_number', type: 'FT_BOOLEAN', base: '16', mask: 0x1000, label: 'Sequence Number Present (S)', kind: 'bool' },
  { key: 'gre.flags.version', type: 'FT_UINT16', mask: 0x7, label: 'Version', kind: 'dec' },
  { key: 'gre.proto', type: 'FT_UINT16', label: 'Protocol Type', kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
  { key: 'gre.checksum', type: 'FT_UINT16', label: 'Checksum', kind: 'hex', width: 4 },
  checksumStatusField('gre.checksum.status'),
  { key: 'gre.key', type: 'FT_UINT32', label: 'Key', kind: 'hex', width: 8 },
  { key: 'gre.key.payload_length', type: 'FT_UINT16', label: 'Payload Length', kind: 'dec' },
  { key: 'gre.key.call_id', type: 'FT_UINT16', label: 'Call ID', kind: 'dec' },
  { key: 'gre.sequence_number', type: 'FT_UINT32', label: 'Sequence Number', kind: 'dec' },
  { key: 'gre.ack_number', type: 'FT_UINT32', label: 'Acknowledgment Number', kind: 'dec' },
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
