import { u16 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';
import { ETHERTYPE_NAMES } from '../names.js';

export const ciscoMetadataFields: FieldDef[] = [
  { key: 'cmd.version', type: 'FT_UINT8', label: 'Version', kind: 'dec' },
  { key: 'cmd.length', type: 'FT_UINT8', label: 'Length', kind: 'dec' },
  { key: 'cmd.options', type: 'FT_UINT16', label: 'Options', kind: 'hex', width: 4 },
  { key: 'cmd.sgt', type: 'FT_UINT16', label: 'SGT', kind: 'dec' },
  { key: 'cmd.type', type: 'FT_UINT16', label: 'Type', kind: 'hex', width: 4, names: ETHERTYPE_NAMES },
];

const VERSION = fieldId('cmd.version');
const LENGTH = fieldId('cmd.length');
const OPTIONS = fieldId('cmd.options');
const SGT = fieldId('cmd.sgt');
const TYPE = fieldId('cmd.type');

/**
 * Cisco MetaData (0x8909): a TrustSec security group tag before the payload. The same 8 bytes,
 * ordered by where it sits: after Ethernet the payload's ethertype comes last (`typeAt` 6), inside
 * GRE it comes first (`typeAt` 0, the tag after it).
 */
function ciscoMetadata(typeAt: 0 | 6): Decoder {
  return (d, off, end, p) => {
    if (p.tooShort('cmd', off, end, 8, 'cmd.truncated', 'the Cisco MetaData header')) return;
    const tag = typeAt === 0 ? off + 2 : off;
    const type = u16(d, off + typeAt);
    const f = p.add('cmd', off, 8).fields;
    f.add(VERSION, d[tag]);
    f.add(LENGTH, d[tag + 1]);
    f.add(OPTIONS, u16(d, tag + 2));
    f.add(SGT, u16(d, tag + 4));
    f.add(TYPE, type);
    p.next('ethertype', type, off + 8, end);
  };
}

export const ciscoMetadataEth = ciscoMetadata(6);
export const ciscoMetadataGre = ciscoMetadata(0);
