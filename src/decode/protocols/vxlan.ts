import { hex4, u16, u32 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';

/** The flags are the first 16 bits, as tshark reads them (RFC 7348: 8 bits then 24 reserved). */
const I_FLAG = 0x0800;

export const vxlanFields: FieldDef[] = [
  { key: 'vxlan.flags', type: 'FT_UINT16', label: 'Flags', kind: 'hex', width: 4, bits: [[I_FLAG, 'VNI valid (I)']] },
  { key: 'vxlan.vni', type: 'FT_UINT24', base: 'BASE_DEC', label: 'VNI', kind: 'dechex', width: 6 },
];

const FLAGS = fieldId('vxlan.flags');
const VNI = fieldId('vxlan.vni');

/**
 * VXLAN (RFC 7348), HNV's default overlay from Windows Server 2016 on: an 8-byte header with a
 * 24-bit VXLAN Network Identifier in place of NVGRE's VSID, then the tenant's Ethernet frame.
 */
export const vxlan: Decoder = (d, off, end, p) => {
  if (p.tooShort('vxlan', off, end, 8, 'vxlan.truncated', 'the VXLAN header')) return;
  const flags = u16(d, off);
  const layer = p.add('vxlan', off, 8);
  layer.fields.add(FLAGS, flags);
  layer.fields.add(VNI, u32(d, off + 4) >>> 8);
  if ((flags & I_FLAG) === 0) p.warn(layer, 'vxlan.i_flag_unset', `flags ${hex4(flags)}: the I flag is not set, the VNI is not valid`);
  p.next('linktype', 1, off + 8, end, true);
};
