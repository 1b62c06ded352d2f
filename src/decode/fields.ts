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

export interface FieldDef {
  key: string;
  label: string;
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
  /** Named bits, shown after the hex value: `0x2000 (K)`. */
  bits?: readonly (readonly [number, string])[];
}

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
  return { key, label: 'Checksum Status', kind: 'dec', names: CHECKSUM_STATUS_NAMES, nameOnly: true };
}
