import { u16 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { type Fields, fieldId } from '../field-store.js';
import type { Decoder, ProtoId } from '../packet.js';
import { ETHERTYPE_NAMES } from '../names.js';

function tagFields(proto: string): FieldDef[] {
  // tshark's descriptions differ between its 802.1Q and 802.1ad dissectors.
  const q = proto === 'vlan';
  return [
    { key: `${proto}.priority`, type: 'FT_UINT16', mask: 0xe000, label: 'Priority (PCP)', ...(q && { blurb: 'Descriptions are recommendations from IEEE standard 802.1D-2004' }), kind: 'dec' },
    // A flag to both, but tshark's 802.1ad DEI is a number (FT_UINT16), its 802.1Q one a FT_BOOLEAN.
    q
      ? { key: `${proto}.dei`, type: 'FT_BOOLEAN', base: '16', mask: 0x1000, label: 'Drop Eligible (DEI)', blurb: 'Drop Eligible Indicator', kind: 'bool' }
      : { key: `${proto}.dei`, type: 'FT_UINT16', base: 'BASE_DEC', mask: 0x1000, label: 'Drop Eligible (DEI)', blurb: 'Drop Eligibility', kind: 'bool' },
    { key: `${proto}.id`, type: 'FT_UINT16', mask: 0xfff, label: 'VLAN ID', blurb: q ? 'VLAN ID' : 'Vlan ID', kind: 'dec' },
    { key: `${proto}.etype`, type: 'FT_UINT16', label: 'Type', ...(q && { blurb: 'Ethertype' }), kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
  ];
}

export const vlanFields = [...tagFields('vlan'), { key: 'vlan.len', type: 'FT_UINT16', label: 'Length', kind: 'dec' } satisfies FieldDef];
export const ieee8021adFields = tagFields('ieee8021ad');

/**
 * `lengths`: a type below 0x0600 is an 802.3 length, as in an untagged frame (ethernet.ts), and
 * the rest is data. tshark reads it so after an 802.1Q tag (vlan.len), not after an 802.1ad one.
 */
function tagDecoder(proto: ProtoId & ('vlan' | 'ieee8021ad'), lengths: boolean): Decoder {
  const PRIORITY = fieldId(`${proto}.priority`);
  const DEI = fieldId(`${proto}.dei`);
  const ID = fieldId(`${proto}.id`);
  const ETYPE = fieldId(`${proto}.etype`);
  const LEN = lengths ? fieldId(`${proto}.len`) : -1; // 802.1ad has no length field
  const tci = (d: Uint8Array, off: number, end: number, f: Fields): void => {
    if (end - off < 2) return;
    const v = u16(d, off);
    f.add(PRIORITY, v >>> 13);
    f.add(DEI, (v >>> 12) & 1);
    f.add(ID, v & 0x0fff);
  };
  return (d, off, end, p) => {
    if (p.tooShort(proto, off, end, 4, 'vlan.truncated', 'a VLAN tag')) {
      tci(d, off, end, p.last()!.fields);
      return;
    }
    const type = u16(d, off + 2);
    const f = p.add(proto, off, 4).fields;
    tci(d, off, end, f);
    const is8023 = lengths && type < 0x0600;
    f.add(is8023 ? LEN : ETYPE, type);
    p.next('ethertype', is8023 ? -1 : type, off + 4, end);
  };
}

/** IEEE 802.1Q customer tag (0x8100). */
export const vlan = tagDecoder('vlan', true);
/** IEEE 802.1ad service tag (0x88a8), same layout. */
export const ieee8021ad = tagDecoder('ieee8021ad', false);
