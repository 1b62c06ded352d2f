import { u16, u32 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { type FieldId, type Fields, fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';

export const erspanFields: FieldDef[] = [
  { key: 'erspan.version', type: 'FT_UINT16', mask: 0xf000, label: 'Version', kind: 'dec', names: { 1: 'Type II', 2: 'Type III' } },
  { key: 'erspan.vlan', type: 'FT_UINT16', mask: 0xfff, label: 'VLAN', kind: 'dec' },
  { key: 'erspan.cos', type: 'FT_UINT16', mask: 0xe000, label: 'Class of Service', kind: 'dec' },
  { key: 'erspan.encap', type: 'FT_UINT16', mask: 0x1800, label: 'Encapsulation', kind: 'dec', names: { 0: 'Not VLAN tagged', 1: 'ISL', 2: '802.1Q (tag kept)', 3: 'VLAN tagged' } },
  { key: 'erspan.bso', type: 'FT_UINT16', mask: 0x1800, label: 'Bad/Short/Oversized', kind: 'dec', names: { 0: 'Good', 1: 'Short', 2: 'Oversized', 3: 'Bad' } },
  { key: 'erspan.truncated', type: 'FT_UINT16', mask: 0x400, label: 'Truncated', blurb: 'ERSPAN packet exceeded the MTU size', kind: 'bool' },
  { key: 'erspan.spanid', type: 'FT_UINT16', mask: 0x3ff, label: 'Session ID', kind: 'dec' },
  { key: 'erspan.index', type: 'FT_UINT32', mask: 0xfffff, label: 'Index', kind: 'dec' },
  { key: 'erspan.timestamp', type: 'FT_UINT32', mask: 0xffffffff, label: 'Timestamp', kind: 'dec' },
  { key: 'erspan.sgt', type: 'FT_UINT16', mask: 0xffff, label: 'Security Group Tag', kind: 'dec' },
  { key: 'erspan.direction', type: 'FT_BOOLEAN', base: '16', mask: 0x8, label: 'Direction', kind: 'dec', names: { 0: 'Incoming', 1: 'Outgoing' } },
  { key: 'erspan.o', type: 'FT_UINT16', mask: 0x1, label: 'Optional Subheader', kind: 'bool' },
];

const VERSION = fieldId('erspan.version');
const VLAN = fieldId('erspan.vlan');
const COS = fieldId('erspan.cos');
const ENCAP = fieldId('erspan.encap');
const BSO = fieldId('erspan.bso');
const TRUNCATED = fieldId('erspan.truncated');
const SPANID = fieldId('erspan.spanid');
const INDEX = fieldId('erspan.index');
const TIMESTAMP = fieldId('erspan.timestamp');
const SGT = fieldId('erspan.sgt');
const DIRECTION = fieldId('erspan.direction');
const O = fieldId('erspan.o');
const GRE_SEQUENCE_FLAG = fieldId('gre.flags.sequence_number');

/** The first 4 bytes, laid out alike in types II and III but for bits 12-11: encap in II, BSO in III. */
function sessionFields(d: Uint8Array, off: number, bits1211: FieldId, f: Fields): void {
  const w0 = u16(d, off);
  const w1 = u16(d, off + 2);
  f.add(VERSION, w0 >>> 12);
  f.add(VLAN, w0 & 0x0fff);
  f.add(COS, w1 >>> 13);
  f.add(bits1211, (w1 >>> 11) & 3);
  f.add(TRUNCATED, (w1 >>> 10) & 1);
  f.add(SPANID, w1 & 0x03ff);
}

/**
 * ERSPAN type I and II (GRE protocol 0x88be): type I has no header of its own (GRE without the S
 * bit), type II an 8-byte one with the session id. Either way the mirrored frame follows, so NVGRE
 * captured through a switch's mirror session is dissected down to its VSID.
 */
export const erspan: Decoder = (d, off, end, p) => {
  const greLayer = p.last();
  if (greLayer?.proto === 'gre' && greLayer.fields.num(GRE_SEQUENCE_FLAG) !== 1) {
    p.add('erspan', off, 0);
    p.next('linktype', 1, off, end, true);
    return;
  }
  if (p.tooShort('erspan', off, end, 8, 'erspan.truncated', 'the ERSPAN type II header')) return;
  const f = p.add('erspan', off, 8).fields;
  sessionFields(d, off, ENCAP, f);
  f.add(INDEX, u32(d, off + 4) & 0xfffff);
  p.next('linktype', 1, off + 8, end, true);
};

/** ERSPAN type III (GRE protocol 0x22eb): 12 bytes, and 8 more when the O flag marks a platform subheader. */
export const erspan3: Decoder = (d, off, end, p) => {
  if (p.tooShort('erspan', off, end, 12, 'erspan.truncated', 'the ERSPAN type III header')) return;
  const last = u16(d, off + 10);
  const length = last & 1 ? 20 : 12;
  const layer = p.add('erspan', off, Math.min(length, end - off));
  const f = layer.fields;
  sessionFields(d, off, BSO, f);
  f.add(TIMESTAMP, u32(d, off + 4));
  f.add(SGT, u16(d, off + 8));
  f.add(DIRECTION, (last >>> 3) & 1);
  f.add(O, last & 1);
  if (length > end - off) {
    p.cut(layer, 'erspan.truncated', `${end - off} bytes, the ERSPAN type III header with its platform subheader needs 20`);
    return;
  }
  p.next('linktype', 1, off + length, end, true);
};
