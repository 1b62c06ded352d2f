/** How a field's number (or bytes) is shown; JSON also uses it to turn addresses into strings. */
export type FieldKind =
  | 'dec' // 128
  | 'hex' // 0x0800 (width digits)
  | 'dechex' // 4020644 (0x3D59A4): the VSID, as the seed article reads it
  | 'bool' // 0 / 1
  | 'ipv4' // number -> dotted quad
  | 'mac' // 48-bit number -> aa:bb:cc:dd:ee:ff
  | 'ipv6' // 16-byte view -> RFC 5952 text
  | 'bytes' // Uint8Array view -> hex
  | 'text'; // a string a capture's metadata gave (a pktmon component's name): escaped where shown

/** tshark's field types (-G fields' fourth column) that our fields have. */
export type FieldType =
  | 'FT_UINT8'
  | 'FT_UINT16'
  | 'FT_UINT24'
  | 'FT_UINT32'
  | 'FT_UINT64'
  | 'FT_INT32'
  | 'FT_BOOLEAN'
  | 'FT_IPv4'
  | 'FT_IPv6'
  | 'FT_ETHER'
  | 'FT_BYTES'
  | 'FT_STRING'
  | 'FT_FRAMENUM';

export interface FieldDef {
  key: string;
  /**
   * tshark's type for the field (ours, by the bytes it is read from, where tshark has none):
   * -G fields lists it, and -T fields pads a hex value to its width (tcp.flags, 12 bits, is 0x0002).
   */
  type: FieldType;
  /**
   * tshark's display base where it is not the kind's (BASE_HEX for hex, BASE_DEC_HEX for dechex,
   * BASE_DEC for other numbers): BASE_PT_TCP, BASE_NONE ...; for a FT_BOOLEAN, the bits of the
   * word it is a bit of ('16'), '0' when it stands alone.
   */
  base?: string;
  /** The bits of its header word the field is, as tshark's bitmask column has them (vlan.id 0xfff). */
  mask?: number;
  /** tshark's protocol for the field where it is not the key's first part (ipv6.hopopts.nxt's is ipv6.hopopts). */
  proto?: string;
  label: string;
  /** tshark's description of the field (-G fields' last column), where tshark has one. */
  blurb?: string;
  kind: FieldKind;
  /** Hex digits to pad to, for 'hex' and 'dechex'. */
  width?: number;
  /** Value -> name, shown as `name (value)`. */
  names?: Readonly<Record<number, string>>;
  /** Show only the name, not `name (value)`: for statuses whose number means nothing to a reader. */
  nameOnly?: boolean;
  unit?: string;
  /** Show the unit only when this other field of the layer has one of `mask`'s bits (tcp.ack: the ACK flag). */
  unitIf?: { key: string; mask: number };
  /** The tree's text of the number where tshark's tree shows another than the value (ip.frag_offset 185 is `1480`, its bytes). */
  shown?: (v: number) => string;
  /** Named bits, shown after the hex value: `0x2000 (K)`. */
  bits?: readonly (readonly [number, string])[];
}

/** A field's display base, as tshark's -G fields lists it (the default of `base`, by type and kind). */
export function fieldBase(def: FieldDef): string {
  if (def.base !== undefined) return def.base;
  if (def.type === 'FT_BOOLEAN') return '0';
  if (!def.type.startsWith('FT_UINT') && !def.type.startsWith('FT_INT')) return '';
  return def.kind === 'hex' ? 'BASE_HEX' : def.kind === 'dechex' ? 'BASE_DEC_HEX' : 'BASE_DEC';
}

/** Hex digits of an integer type (FT_UINT24: 6), which -T fields pads a hex field to. */
export const typeDigits = (type: FieldType): number => Number(/\d+$/.exec(type)?.[0] ?? 32) / 4;

/**
 * A list is a field that occurs several times, as tshark's ip.fragment does once per fragment. A
 * string is a 'text' field, or a 64-bit number past 2^53 in decimal (pktmon.pkt_group_id), which
 * a double would round.
 */
export type FieldValue = number | string | Uint8Array | readonly number[];

/** Wireshark's checksum status values (ip.checksum.status, ...). */
export const CHECKSUM_BAD = 0;
export const CHECKSUM_GOOD = 1;
export const CHECKSUM_UNVERIFIED = 2;
/** The sender left the checksum out (UDP over IPv4 with 0). */
export const CHECKSUM_NOT_PRESENT = 3;
export const CHECKSUM_STATUS_NAMES = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present' } as const;

export function checksumStatusField(key: string): FieldDef {
  return { key, type: 'FT_UINT8', base: 'BASE_NONE', label: 'Checksum Status', kind: 'dec', names: CHECKSUM_STATUS_NAMES, nameOnly: true };
}
