import { checksumOf, hex4, onesSum, u16, u32 } from '../bytes.js';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_UNVERIFIED,
  checksumStatusField,
  type FieldDef,
  type FieldValue,
} from '../fields.js';
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
  const fields: Record<string, FieldValue> = {
    'ip.version': version,
    'ip.hdr_len': hdrLen,
    'ip.dsfield': d[off + 1],
    'ip.len': total,
    'ip.id': u16(d, off + 4),
    'ip.flags': flagsFrag >>> 13, // the 3-bit field, as tshark: 0x2 DF, 0x1 MF
    'ip.flags.rb': flagsFrag >>> 15,
    'ip.flags.df': (flagsFrag >>> 14) & 1,
    'ip.flags.mf': (flagsFrag >>> 13) & 1,
    'ip.frag_offset': flagsFrag & 0x1fff, // in 8-byte units, as tshark 4 reports it
    'ip.ttl': d[off + 8],
    'ip.proto': proto,
    'ip.checksum': checksum,
    'ip.checksum.status': CHECKSUM_UNVERIFIED,
    'ip.src': u32(d, off + 12),
    'ip.dst': u32(d, off + 16),
  };
  const layer = p.add('ip', off, Math.min(Math.max(hdrLen, 20), avail), fields);
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
  if (hdrLen > 20) fields['ip.options'] = d.subarray(off + 20, off + hdrLen);

  if (onesSum(d, off, off + hdrLen) === 0xffff) fields['ip.checksum.status'] = CHECKSUM_GOOD;
  else {
    fields['ip.checksum.status'] = CHECKSUM_BAD;
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
