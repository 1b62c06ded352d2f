import { u16 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { isFragment, OUTER_FRAGMENT } from './ip-payload.js';

export const nvgreFields: FieldDef[] = [
  { key: 'nvgre.vsid', type: 'FT_UINT24', label: 'VSID', kind: 'dechex', width: 6 },
  { key: 'nvgre.flow_id', type: 'FT_UINT8', label: 'FlowID', kind: 'dec' },
  // Not from the header: a --policy's names, added after decoding (src/analyze/names.ts).
  { key: 'nvgre.vm_src', type: 'FT_STRING', label: 'Source VM', kind: 'text' },
  { key: 'nvgre.vm_dst', type: 'FT_STRING', label: 'Destination VM', kind: 'text' },
  { key: 'nvgre.rdid', type: 'FT_STRING', label: 'Routing Domain', kind: 'text' },
];

const VSID = fieldId('nvgre.vsid');
const FLOW_ID = fieldId('nvgre.flow_id');
const GRE_KEY_FLAG = fieldId('gre.flags.key');
const GRE_CHECKSUM_FLAG = fieldId('gre.flags.checksum');
const GRE_SEQUENCE_FLAG = fieldId('gre.flags.sequence_number');
const GRE_VERSION = fieldId('gre.flags.version');

const VSID_RESERVED_MAX = 0xfff;
const VSID_VENDOR = 0xffffff;

/**
 * RFC 7637 profile of GRE, bound to GRE protocol type 0x6558 (transparent Ethernet bridging).
 * With the K bit it is NVGRE: the key splits into the 24-bit Virtual Subnet ID and the 8-bit
 * FlowID (this layer covers those 4 key bytes). Without it, it is plain Ethernet over GRE and no
 * VSID is invented. Either way the tenant's Ethernet frame follows.
 */
export const nvgre: Decoder = (d, off, end, p) => {
  const greLayer = p.last();
  if (greLayer === undefined || greLayer.proto !== 'gre' || greLayer.fields.num(GRE_KEY_FLAG) !== 1) {
    if (greLayer) p.warn(greLayer, 'gre.teb_without_key', 'Ethernet over GRE without a key: not NVGRE, no VSID');
    p.next('linktype', 1, off, end);
    return;
  }
  const g = greLayer.fields;
  const keyOffset = greLayer.offset + (g.num(GRE_CHECKSUM_FLAG) === 1 ? 8 : 4);
  // The key's bytes themselves (gre.key is that number): 24 bits stay small integers, never boxed.
  const vsid = (d[keyOffset] << 16) | u16(d, keyOffset + 1);
  const layer = p.add('nvgre', keyOffset, 4);
  layer.fields.add(VSID, vsid);
  layer.fields.add(FLOW_ID, d[keyOffset + 3]);
  // GRE rides directly in the IP layer before it; the frame that completes a datagram is a fragment too.
  const carrier = p.layers[p.layers.length - 3];
  if (carrier !== undefined && isFragment(carrier)) p.warn(layer, 'nvgre.outer_fragment', OUTER_FRAGMENT);
  if (g.num(GRE_CHECKSUM_FLAG) === 1) p.warn(layer, 'nvgre.c_bit_set', 'GRE checksum present (C bit set)');
  if (g.num(GRE_SEQUENCE_FLAG) === 1) p.warn(layer, 'nvgre.s_bit_set', 'GRE sequence number present (S bit set)');
  const version = g.num(GRE_VERSION);
  if (version !== 0) p.warn(layer, 'nvgre.version', `GRE version ${version}, must be 0`);
  if (vsid <= VSID_RESERVED_MAX) p.warn(layer, 'nvgre.vsid_reserved', `VSID ${vsid} is in the reserved range 0-4095`);
  else if (vsid === VSID_VENDOR) p.warn(layer, 'nvgre.vsid_vendor', 'VSID 0xFFFFFF is vendor-specific');
  if (end - off >= 14) {
    const type = u16(d, off + 12);
    if (type === 0x8100 || type === 0x88a8) {
      p.warn(layer, 'nvgre.inner_vlan', `inner frame carries a VLAN tag (ethertype 0x${type.toString(16)})`);
    }
  }
  p.next('linktype', 1, off, end, true);
};
