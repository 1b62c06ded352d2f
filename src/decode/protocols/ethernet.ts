import { u16 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import { ETHERTYPE_NAMES } from '../names.js';
import type { Decoder } from '../packet.js';

export const ethernetFields: FieldDef[] = [
  { key: 'eth.dst', type: 'FT_ETHER', label: 'Destination', blurb: 'Destination Hardware Address', kind: 'mac' },
  { key: 'eth.src', type: 'FT_ETHER', label: 'Source', blurb: 'Source Hardware Address', kind: 'mac' },
  { key: 'eth.type', type: 'FT_UINT16', label: 'Type', kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
  { key: 'eth.len', type: 'FT_UINT16', label: 'Length', kind: 'dec' },
];

const DST = fieldId('eth.dst');
const SRC = fieldId('eth.src');
const TYPE = fieldId('eth.type');
const LEN = fieldId('eth.len');

/** Ethernet II (RFC 894). An 802.3 length (type < 0x0600) is shown as such and ends decoding. */
export const ethernet: Decoder = (d, off, end, p) => {
  if (p.tooShort('eth', off, end, 14, 'eth.truncated', 'the Ethernet header')) return;
  const type = u16(d, off + 12);
  const f = p.add('eth', off, 14).fields;
  f.addU48(DST, d, off);
  f.addU48(SRC, d, off + 6);
  if (type < 0x0600) {
    f.add(LEN, type);
    p.next('ethertype', -1, off + 14, end);
    return;
  }
  f.add(TYPE, type);
  p.next('ethertype', type, off + 14, end);
};
