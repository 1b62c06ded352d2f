import { checksumOf, hex4, onesSum, u16 } from '../bytes.js';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_UNVERIFIED,
  checksumStatusField,
  type FieldDef,
} from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder, Dissection } from '../packet.js';

export const ICMP_TYPE_NAMES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
};

export const icmpFields: FieldDef[] = [
  { key: 'icmp.type', type: 'FT_UINT8', label: 'Type', kind: 'dec', names: ICMP_TYPE_NAMES },
  { key: 'icmp.code', type: 'FT_UINT8', label: 'Code', kind: 'dec' },
  { key: 'icmp.checksum', type: 'FT_UINT16', label: 'Checksum', kind: 'hex', width: 4 },
  checksumStatusField('icmp.checksum.status'),
  { key: 'icmp.ident', type: 'FT_UINT16', base: 'BASE_DEC_HEX', label: 'Identifier', blurb: 'Identifier (big endian representation)', kind: 'dec' },
  { key: 'icmp.seq', type: 'FT_UINT16', base: 'BASE_DEC_HEX', label: 'Sequence Number', blurb: 'Sequence Number (big endian representation)', kind: 'dec' },
  { key: 'data.len', type: 'FT_INT32', label: 'Data Length', kind: 'dec', unit: 'bytes' },
  { key: 'data.data', type: 'FT_BYTES', label: 'Data', kind: 'bytes' },
];

const TYPE = fieldId('icmp.type');
const CODE = fieldId('icmp.code');
const CHECKSUM = fieldId('icmp.checksum');
const CHECKSUM_STATUS = fieldId('icmp.checksum.status');
const IDENT = fieldId('icmp.ident');
const SEQ = fieldId('icmp.seq');
const DATA = fieldId('data.data');
const DATA_LEN = fieldId('data.len');

/** ICMP (RFC 792): checksum over the whole message; echo identifier, sequence and data. */
export const icmp: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('icmp', off, end, 8, 'icmp.truncated', 'the ICMP header')) return;
  const type = d[off];
  const checksum = u16(d, off + 2);
  const layer = p.add('icmp', off, 8);
  const f = layer.fields;
  f.add(TYPE, type);
  f.add(CODE, d[off + 1]);
  f.add(CHECKSUM, checksum);
  f.add(CHECKSUM_STATUS, CHECKSUM_UNVERIFIED);
  // pseudoSum < 0: the carrying datagram is not whole here, so the sum cannot be checked.
  if (p.pseudoSum >= 0) {
    if (onesSum(d, off, end) === 0xffff) f.set(CHECKSUM_STATUS, CHECKSUM_GOOD);
    else {
      f.set(CHECKSUM_STATUS, CHECKSUM_BAD);
      const expected = checksumOf(onesSum(d, off, off + 2, onesSum(d, off + 4, end)));
      p.warn(layer, 'icmp.checksum_bad', `checksum ${hex4(checksum)}, should be ${hex4(expected)}`);
    }
  }
  if (type === 0 || type === 8 || type === 13 || type === 14) {
    f.add(IDENT, u16(d, off + 4));
    f.add(SEQ, u16(d, off + 6));
  }
  if (avail > 8 && QUOTING.has(type)) {
    quote(p, 0x0800, off + 8, end);
    return;
  }
  if (avail > 8) {
    f.addBytes(DATA, d, off + 8, end);
    f.add(DATA_LEN, avail - 8);
  }
};

/** Error messages that carry the header of the datagram they are about (RFC 792). */
const QUOTING = new Set([3, 4, 5, 11, 12]);

/**
 * Decodes the datagram an ICMP error quotes, one level deeper. A quote is a header and 8 bytes of
 * payload, never the whole datagram: its lengths and checksums cannot be held against it.
 */
export function quote(p: Dissection, ethertype: number, off: number, end: number): void {
  p.incomplete = true;
  p.next('ethertype', ethertype, off, end, true);
}
