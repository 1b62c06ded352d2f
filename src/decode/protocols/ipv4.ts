import { checksumOf, hex4, onesSum, u16 } from '../bytes.js';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_UNVERIFIED,
  checksumStatusField,
  type FieldDef,
} from '../fields.js';
import { fieldId } from '../field-store.js';
import { IP_PROTO_NAMES } from '../names.js';
import type { Decoder } from '../packet.js';
import { dispatchPayload, fragmentFields } from './ip-payload.js';

export const ipv4Fields: FieldDef[] = [
  { key: 'ip.version', type: 'FT_UINT8', label: 'Version', kind: 'dec' },
  { key: 'ip.hdr_len', type: 'FT_UINT8', label: 'Header Length', blurb: 'Header length in 32-bit words', kind: 'dec', unit: 'bytes' },
  { key: 'ip.dsfield', type: 'FT_UINT8', label: 'Differentiated Services', kind: 'hex', width: 2 },
  { key: 'ip.len', type: 'FT_UINT16', label: 'Total Length', kind: 'dec' },
  { key: 'ip.id', type: 'FT_UINT16', base: 'BASE_HEX_DEC', label: 'Identification', kind: 'hex', width: 4 },
  {
    key: 'ip.flags',
    type: 'FT_UINT8',
    mask: 0xe0,
    label: 'Flags', blurb: 'Flags (3 bits)',
    kind: 'hex',
    width: 1,
    bits: [
      [0x4, 'Reserved'],
      [0x2, 'DF'],
      [0x1, 'MF'],
    ],
  },
  { key: 'ip.flags.rb', type: 'FT_BOOLEAN', base: '8', mask: 0x80, label: 'Reserved Bit', kind: 'bool' },
  { key: 'ip.flags.df', type: 'FT_BOOLEAN', base: '8', mask: 0x40, label: "Don't Fragment", kind: 'bool' },
  { key: 'ip.flags.mf', type: 'FT_BOOLEAN', base: '8', mask: 0x20, label: 'More Fragments', kind: 'bool' },
  // The field counts 8-byte units, as tshark's ip.frag_offset (185); its tree shows the bytes (1480).
  { key: 'ip.frag_offset', type: 'FT_UINT16', mask: 0x1fff, label: 'Fragment Offset', blurb: 'Fragment offset (13 bits)', kind: 'dec', shown: (v) => String(v * 8) },
  { key: 'ip.ttl', type: 'FT_UINT8', label: 'Time to Live', kind: 'dec' },
  { key: 'ip.proto', type: 'FT_UINT8', label: 'Protocol', kind: 'dec', names: IP_PROTO_NAMES },
  { key: 'ip.checksum', type: 'FT_UINT16', label: 'Header Checksum', kind: 'hex', width: 4 },
  checksumStatusField('ip.checksum.status'),
  { key: 'ip.src', type: 'FT_IPv4', label: 'Source', kind: 'ipv4' },
  { key: 'ip.dst', type: 'FT_IPv4', label: 'Destination', kind: 'ipv4' },
  { key: 'ip.options', type: 'FT_BYTES', label: 'Options', kind: 'bytes' },
  ...fragmentFields('ip'),
];

const VERSION = fieldId('ip.version');
const HDR_LEN = fieldId('ip.hdr_len');
const DSFIELD = fieldId('ip.dsfield');
const LEN = fieldId('ip.len');
const ID = fieldId('ip.id');
const FLAGS = fieldId('ip.flags');
const FLAGS_RB = fieldId('ip.flags.rb');
const FLAGS_DF = fieldId('ip.flags.df');
const FLAGS_MF = fieldId('ip.flags.mf');
const FRAG_OFFSET = fieldId('ip.frag_offset');
const TTL = fieldId('ip.ttl');
const PROTO = fieldId('ip.proto');
const CHECKSUM = fieldId('ip.checksum');
const CHECKSUM_STATUS = fieldId('ip.checksum.status');
const SRC = fieldId('ip.src');
const DST = fieldId('ip.dst');
const OPTIONS = fieldId('ip.options');

/** IPv4 (RFC 791): header checksum verified; the payload ends at Total Length (Ethernet padding is not payload). */
export const ipv4: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('ip', off, end, 20, 'ip.truncated', 'the IPv4 header')) return;
  const version = d[off] >>> 4;
  const hdrLen = (d[off] & 0x0f) * 4;
  const total = u16(d, off + 2);
  const flagsFrag = u16(d, off + 6);
  const proto = d[off + 9];
  const checksum = u16(d, off + 10);
  const layer = p.add('ip', off, Math.min(Math.max(hdrLen, 20), avail));
  const f = layer.fields;
  f.add(VERSION, version);
  f.add(HDR_LEN, hdrLen);
  f.add(DSFIELD, d[off + 1]);
  f.add(LEN, total);
  f.add(ID, u16(d, off + 4));
  f.add(FLAGS, flagsFrag >>> 13); // the 3-bit field, as tshark: 0x2 DF, 0x1 MF
  f.add(FLAGS_RB, flagsFrag >>> 15);
  f.add(FLAGS_DF, (flagsFrag >>> 14) & 1);
  f.add(FLAGS_MF, (flagsFrag >>> 13) & 1);
  f.add(FRAG_OFFSET, flagsFrag & 0x1fff); // in 8-byte units, as tshark 4 reports it
  f.add(TTL, d[off + 8]);
  f.add(PROTO, proto);
  f.add(CHECKSUM, checksum);
  f.add(CHECKSUM_STATUS, CHECKSUM_UNVERIFIED);
  f.addU32(SRC, d, off + 12);
  f.addU32(DST, d, off + 16);
  if (version !== 4) {
    p.warn(layer, 'ip.version', `version field is ${version}, not 4`);
    return;
  }
  if (hdrLen < 20) {
    p.warn(layer, 'ip.ihl_too_small', `header length field is ${hdrLen / 4} words (${hdrLen} bytes), minimum is 5`);
    return;
  }
  if (hdrLen > avail) {
    p.cut(layer, 'ip.truncated', `${avail} bytes, the IPv4 header with options needs ${hdrLen}`);
    return;
  }
  if (hdrLen > 20) f.addBytes(OPTIONS, d, off + 20, off + hdrLen);

  if (onesSum(d, off, off + hdrLen) === 0xffff) f.set(CHECKSUM_STATUS, CHECKSUM_GOOD);
  else {
    f.set(CHECKSUM_STATUS, CHECKSUM_BAD);
    // Sum the header with the checksum field left out: the complement is what the sender should have written.
    const expected = checksumOf(onesSum(d, off, off + 10, onesSum(d, off + 12, off + hdrLen)));
    const msg = `header checksum ${hex4(checksum)}, should be ${hex4(expected)}`;
    // Zero is still Bad (the status says what the bytes say, as tshark's does); the note says why it is likely harmless.
    if (checksum === 0) p.warn(layer, 'ip.checksum_zero', `${msg}: zero, as left for checksum offload to fill in`);
    else p.warn(layer, 'ip.checksum_bad', msg);
  }

  const fragOffset = (flagsFrag & 0x1fff) * 8;
  const more = (flagsFrag & 0x2000) !== 0;
  const frag = fragOffset !== 0 || more ? { offset: fragOffset, more, id: u16(d, off + 4) } : null;
  if (total < hdrLen) {
    p.warn(layer, 'ip.total_length_too_small', `total length ${total} is less than the ${hdrLen}-byte header`);
    dispatchPayload(d, end, layer, off + hdrLen, end, proto, frag, p, false);
  } else dispatchPayload(d, end, layer, off + hdrLen, off + total, proto, frag, p, true);
};
