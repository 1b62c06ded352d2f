import { u32 } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Decoder } from '../packet.js';

const FAMILY_NAMES = { 2: 'IPv4', 24: 'IPv6 (NetBSD, OpenBSD)', 28: 'IPv6 (FreeBSD)', 30: 'IPv6 (macOS)' };

export const loopbackFields: FieldDef[] = [{ key: 'null.family', type: 'FT_UINT32', label: 'Family', kind: 'dec', names: FAMILY_NAMES }];

const FAMILY = fieldId('null.family');

function familyToEthertype(family: number): number {
  if (family === 2) return 0x0800;
  if (family === 24 || family === 28 || family === 30) return 0x86dd;
  return -1;
}

function loopback(readFamily: (d: Uint8Array, off: number) => number): Decoder {
  return (d, off, end, p) => {
    if (p.tooShort('null', off, end, 4, 'null.truncated', 'the loopback header')) return;
    const family = readFamily(d, off);
    p.add('null', off, 4).fields.add(FAMILY, family);
    p.next('ethertype', familyToEthertype(family), off + 4, end);
  };
}

/**
 * BSD loopback (LINKTYPE_NULL, 0): a 4-byte address family in the capturing host's byte order,
 * which the file does not record: a family fits in one byte, so whichever end holds it says.
 */
export const bsdNull = loopback((d, off) => {
  const be = u32(d, off);
  return be > 0xffff ? d[off] | (d[off + 1] << 8) : be;
});

/** OpenBSD loopback (LINKTYPE_LOOP, 108): the same family, always in network byte order. */
export const openbsdLoop = loopback(u32);

/** Raw IP (LINKTYPE_RAW, 101): no link header; the version nibble tells IPv4 from IPv6. */
export const rawIp: Decoder = (d, off, end, p) => {
  const version = off < end ? d[off] >>> 4 : 0;
  p.next('ethertype', version === 4 ? 0x0800 : version === 6 ? 0x86dd : -1, off, end);
};
