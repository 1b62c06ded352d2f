import { checksumOf, hex4, onesSum, u16, u32 } from '../bytes.js';
import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_UNVERIFIED,
  checksumStatusField,
  type FieldDef,
} from '../fields.js';
import { type FieldId, type Fields, fieldId } from '../field-store.js';
import type { Decoder, Dissection, Layer } from '../packet.js';
import type { WarningCode } from '../warnings.js';

/** Low bit first, as Wireshark lists them: [SYN, ACK], [PSH, ACK]. */
export const TCP_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE'],
];

export const tcpFields: FieldDef[] = [
  { key: 'tcp.srcport', type: 'FT_UINT16', base: 'BASE_PT_TCP', label: 'Source Port', kind: 'dec' },
  { key: 'tcp.dstport', type: 'FT_UINT16', base: 'BASE_PT_TCP', label: 'Destination Port', kind: 'dec' },
  { key: 'tcp.stream', type: 'FT_UINT32', label: 'Stream index', kind: 'dec' },
  // Relative to the first of each direction, as tshark shows them by default (its labels, spacing too).
  { key: 'tcp.seq', type: 'FT_UINT32', label: 'Sequence Number', kind: 'dec', unit: '   (relative sequence number)' },
  { key: 'tcp.seq_raw', type: 'FT_UINT32', label: 'Sequence Number (raw)', blurb: 'This shows the raw value of the sequence number', kind: 'dec' },
  // Without the ACK flag the number is shown as it is, unqualified.
  { key: 'tcp.ack', type: 'FT_UINT32', label: 'Acknowledgment Number', kind: 'dec', unit: '   (relative ack number)', unitIf: { key: 'tcp.flags', mask: 0x010 } },
  { key: 'tcp.ack_raw', type: 'FT_UINT32', label: 'Acknowledgment number (raw)', blurb: 'This shows the raw value of the acknowledgment number', kind: 'dec' },
  { key: 'tcp.hdr_len', type: 'FT_UINT8', label: 'Header Length', blurb: 'Data offset in 32-bit words', kind: 'dec', unit: 'bytes' },
  { key: 'tcp.flags', type: 'FT_UINT16', mask: 0xfff, label: 'Flags', blurb: 'Flags (12 bits)', kind: 'hex', width: 3, bits: TCP_FLAG_NAMES },
  { key: 'tcp.window_size_value', type: 'FT_UINT16', label: 'Window', blurb: 'The window size value from the TCP header', kind: 'dec' },
  { key: 'tcp.checksum', type: 'FT_UINT16', label: 'Checksum', blurb: 'Details at: https://www.wireshark.org/docs/wsug_html_chunked/ChAdvChecksums.html', kind: 'hex', width: 4 },
  checksumStatusField('tcp.checksum.status'),
  { key: 'tcp.urgent_pointer', type: 'FT_UINT16', label: 'Urgent Pointer', kind: 'dec' },
  { key: 'tcp.options.mss_val', type: 'FT_UINT16', label: 'MSS', kind: 'dec' },
  { key: 'tcp.options.wscale.shift', type: 'FT_UINT8', label: 'Window Scale Shift', blurb: 'Logarithmically encoded power of 2 scale factor', kind: 'dec' },
  { key: 'tcp.options.sack_perm', type: 'FT_BOOLEAN', label: 'SACK Permitted', kind: 'bool' },
  { key: 'tcp.options.timestamp.tsval', type: 'FT_UINT32', label: 'Timestamp Value', blurb: 'Value of sending machine\'s timestamp clock', kind: 'dec' },
  { key: 'tcp.options.timestamp.tsecr', type: 'FT_UINT32', label: 'Timestamp Echo Reply', blurb: 'Echoed timestamp from remote machine', kind: 'dec' },
  { key: 'tcp.len', type: 'FT_UINT32', label: 'Payload Length', kind: 'dec', unit: 'bytes' },
];

/** The warnings a checksum over a pseudo-header raises: wrong, or left to the NIC (TCP, UDP only). */
export interface ChecksumCodes {
  bad: WarningCode;
  offloaded?: WarningCode;
}

/**
 * A checksum over the IPv4/IPv6 pseudo-header (TCP RFC 9293, UDP RFC 768, ICMPv6 RFC 4443), whose
 * field sits at `off + at`. Unverifiable when the carrying datagram is not whole. Returns the status.
 */
export function transportChecksum(
  d: Uint8Array,
  off: number,
  end: number,
  at: number,
  proto: number,
  p: Dissection,
  layer: Layer,
  codes: ChecksumCodes,
): number {
  if (p.pseudoSum < 0) return CHECKSUM_UNVERIFIED;
  const pseudo = p.pseudoSum + proto + (end - off);
  if (onesSum(d, off, end, pseudo) === 0xffff) return CHECKSUM_GOOD;
  const field = u16(d, off + at);
  const expected = checksumOf(onesSum(d, off, off + at, onesSum(d, off + at + 2, end, pseudo)));
  const message = `checksum ${hex4(field)}, should be ${hex4(expected)}`;
  // Checksum offload: the sending stack leaves only the pseudo-header sum for the NIC to finish,
  // and a capture taken on that host sees it unfinished. Not a wire error.
  const partial = onesSum(d, 0, 0, pseudo);
  if (codes.offloaded !== undefined && (field === partial || field === (~partial & 0xffff))) {
    p.warn(layer, codes.offloaded, `${message}; holds the pseudo-header sum ${hex4(partial)}: checksum offload`);
  } else p.warn(layer, codes.bad, message);
  return CHECKSUM_BAD;
}

const SRCPORT = fieldId('tcp.srcport');
const DSTPORT = fieldId('tcp.dstport');
const TCP_PORTS = [SRCPORT, DSTPORT] as const;
const STREAM = fieldId('tcp.stream');
const LEN = fieldId('tcp.len');
const SEQ = fieldId('tcp.seq');
const SEQ_RAW = fieldId('tcp.seq_raw');
const ACK = fieldId('tcp.ack');
const ACK_RAW = fieldId('tcp.ack_raw');
const HDR_LEN = fieldId('tcp.hdr_len');
const FLAGS = fieldId('tcp.flags');
const WINDOW = fieldId('tcp.window_size_value');
const CHECKSUM = fieldId('tcp.checksum');
const CHECKSUM_STATUS = fieldId('tcp.checksum.status');
const URGENT = fieldId('tcp.urgent_pointer');
const MSS = fieldId('tcp.options.mss_val');
const WSCALE = fieldId('tcp.options.wscale.shift');
const SACK_PERM = fieldId('tcp.options.sack_perm');
const TSVAL = fieldId('tcp.options.timestamp.tsval');
const TSECR = fieldId('tcp.options.timestamp.tsecr');

const TCP_CHECKSUM: ChecksumCodes = { bad: 'tcp.checksum_bad', offloaded: 'tcp.checksum_offloaded' };

/** TCP header with the common options (MSS, window scale, SACK permitted, timestamps). */
export const tcp: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('tcp', off, end, 20, 'tcp.truncated', 'the TCP header')) {
    ports(d, off, end, p.last()!.fields, TCP_PORTS);
    return;
  }
  const hdrLen = (d[off + 12] >>> 4) * 4;
  const sport = u16(d, off);
  const dport = u16(d, off + 2);
  const seq = u32(d, off + 4);
  const ack = u32(d, off + 8);
  const flags = u16(d, off + 12) & 0x1ff;
  const ip = p.carrier();
  const at = p.conversations.tcp(ip.src, sport, ip.dst, dport, seq, ack, flags);
  const layer = p.add('tcp', off, Math.min(Math.max(hdrLen, 20), avail));
  const f = layer.fields;
  f.add(SRCPORT, sport);
  f.add(DSTPORT, dport);
  f.add(STREAM, at.stream);
  // The payload's length, where the header is whole: after the ports, as tshark's tree (and -T ek) has it.
  if (hdrLen >= 20 && hdrLen <= avail) f.add(LEN, avail - hdrLen);
  f.add(SEQ, at.seq);
  f.addU32(SEQ_RAW, d, off + 4);
  f.add(ACK, at.ack);
  f.addU32(ACK_RAW, d, off + 8);
  f.add(HDR_LEN, hdrLen);
  f.add(FLAGS, flags);
  f.add(WINDOW, u16(d, off + 14));
  f.add(CHECKSUM, u16(d, off + 16));
  f.add(CHECKSUM_STATUS, CHECKSUM_UNVERIFIED);
  f.add(URGENT, u16(d, off + 18));
  if (hdrLen < 20) {
    p.warn(layer, 'tcp.data_offset_too_small', `data offset ${hdrLen / 4} words, minimum is 5`);
    return;
  }
  if (hdrLen > avail) {
    p.cut(layer, 'tcp.truncated', `${avail} bytes, the TCP header with options needs ${hdrLen}`);
    return;
  }
  readOptions(d, off + 20, off + hdrLen, f);
  f.set(CHECKSUM_STATUS, transportChecksum(d, off, end, 16, 6, p, layer, TCP_CHECKSUM));
  if (avail > hdrLen) p.next('tcp.port', dport, off + hdrLen, end, false, sport);
};

/** The ports of a transport header cut short, when its first 4 bytes are there. */
export function ports(d: Uint8Array, off: number, end: number, f: Fields, ids: readonly [FieldId, FieldId]): void {
  if (end - off < 4) return;
  f.add(ids[0], u16(d, off));
  f.add(ids[1], u16(d, off + 2));
}

function readOptions(d: Uint8Array, o: number, end: number, f: Fields): void {
  while (o < end) {
    const kind = d[o];
    if (kind === 0) return;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) return;
    const len = d[o + 1];
    if (len < 2 || o + len > end) return;
    if (kind === 2 && len === 4) f.set(MSS, u16(d, o + 2));
    else if (kind === 3 && len === 3) f.set(WSCALE, d[o + 2]);
    else if (kind === 4 && len === 2) f.set(SACK_PERM, 1);
    else if (kind === 8 && len === 10) {
      f.set(TSVAL, u32(d, o + 2));
      f.set(TSECR, u32(d, o + 6));
    }
    o += len;
  }
}
