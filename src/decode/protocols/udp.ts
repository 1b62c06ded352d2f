import { u16 } from '../bytes.js';
import { CHECKSUM_NOT_PRESENT, CHECKSUM_UNVERIFIED, checksumStatusField, type FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { ports, transportChecksum } from './tcp.js';

export const udpFields: FieldDef[] = [
  { key: 'udp.srcport', type: 'FT_UINT16', base: 'BASE_PT_UDP', label: 'Source Port', kind: 'dec' },
  { key: 'udp.dstport', type: 'FT_UINT16', base: 'BASE_PT_UDP', label: 'Destination Port', kind: 'dec' },
  { key: 'udp.length', type: 'FT_UINT16', label: 'Length', blurb: 'Length in octets including this header and the data', kind: 'dec' },
  { key: 'udp.checksum', type: 'FT_UINT16', label: 'Checksum', blurb: 'Details at: https://www.wireshark.org/docs/wsug_html_chunked/ChAdvChecksums.html', kind: 'hex', width: 4 },
  checksumStatusField('udp.checksum.status'),
  { key: 'udp.stream', type: 'FT_UINT32', label: 'Stream index', kind: 'dec' },
];

const SRCPORT = fieldId('udp.srcport');
const DSTPORT = fieldId('udp.dstport');
const LENGTH = fieldId('udp.length');
const CHECKSUM = fieldId('udp.checksum');
const CHECKSUM_STATUS = fieldId('udp.checksum.status');
const STREAM = fieldId('udp.stream');

const UDP_PORTS = [SRCPORT, DSTPORT] as const;
const UDP_CHECKSUM = { bad: 'udp.checksum_bad', offloaded: 'udp.checksum_offloaded' } as const;

/** UDP (RFC 768). A zero checksum over IPv4 means "not computed" and is not an error. */
export const udp: Decoder = (d, off, end, p) => {
  const avail = end - off;
  if (p.tooShort('udp', off, end, 8, 'udp.truncated', 'the UDP header')) {
    ports(d, off, end, p.last()!.fields, UDP_PORTS);
    return;
  }
  const sport = u16(d, off);
  const dport = u16(d, off + 2);
  const length = u16(d, off + 4);
  const checksum = u16(d, off + 6);
  const ip = p.carrier();
  const stream = p.conversations.udp(ip.src, sport, ip.dst, dport);
  const layer = p.add('udp', off, 8);
  const f = layer.fields;
  f.add(SRCPORT, sport);
  f.add(DSTPORT, dport);
  f.add(LENGTH, length);
  f.add(CHECKSUM, checksum);
  f.add(CHECKSUM_STATUS, CHECKSUM_UNVERIFIED);
  f.add(STREAM, stream);
  let payloadEnd = end;
  if (length !== avail && !(p.incomplete && length > avail)) {
    p.warn(layer, 'udp.length_mismatch', `length field ${length}, the IP payload is ${avail} bytes`);
    if (length >= 8 && length < avail) payloadEnd = off + length;
    p.pseudoSum = -1;
  }
  if (checksum === 0) {
    f.set(CHECKSUM_STATUS, CHECKSUM_NOT_PRESENT);
    p.warn(layer, 'udp.checksum_zero', 'no checksum (0x0000)');
  } else f.set(CHECKSUM_STATUS, transportChecksum(d, off, payloadEnd, 6, 17, p, layer, UDP_CHECKSUM));
  if (payloadEnd > off + 8) p.next('udp.port', dport, off + 8, payloadEnd, false, sport);
};
