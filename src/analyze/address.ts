import type { Layer } from '../decode/packet.js';

/** An IP address as a map key: IPv4 as its number, IPv6 as "v6:" and 32 hex digits. */
export type AddressKey = number | string;

function v6Key(b: Uint8Array): string {
  let s = 'v6:';
  for (let i = 0; i < 16; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** Source and destination of an IPv4 or IPv6 layer, or null for any other layer or a cut header. */
export function endpoints(l: Layer): [AddressKey, AddressKey] | null {
  if (l.cut || !isIp(l)) return null;
  return [endpoint(l, 'src'), endpoint(l, 'dst')];
}

/** One address of an IPv4 or IPv6 layer (not cut), as a key: no array made, for the per-frame counts. */
export function endpoint(l: Layer, which: 'src' | 'dst'): AddressKey {
  if (l.proto === 'ip') return l.fields[which === 'src' ? 'ip.src' : 'ip.dst'] as number;
  return v6Key(l.fields[which === 'src' ? 'ipv6.src' : 'ipv6.dst'] as Uint8Array);
}

export const isIp = (l: Layer): boolean => l.proto === 'ip' || l.proto === 'ipv6';

/**
 * Whether an address names one host: not unspecified (0.0.0.0, ::), not multicast (224/4,
 * ff00::/8), not the limited broadcast 255.255.255.255.
 */
export function isUnicast(a: AddressKey): boolean {
  if (typeof a === 'number') return a !== 0 && a >>> 28 !== 0xe && a !== 0xffffffff;
  return !a.startsWith('v6:ff') && a !== `v6:${'0'.repeat(32)}`;
}

/** The I/G bit of a MAC address (the first octet's lowest bit): broadcast and multicast. */
export const isGroupMac = (mac: number): boolean => Math.floor(mac / 2 ** 40) % 2 === 1;

/** Orders IPv4 before IPv6, each by value. */
export function compareAddresses(a: AddressKey, b: AddressKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the nearest layer before `i` that `is` one, or -1 (the outer IP header of a tunnel). */
export function lastBefore(layers: Layer[], i: number, is: (l: Layer) => boolean): number {
  let j = i - 1;
  while (j >= 0 && !is(layers[j])) j--;
  return j;
}

/** Index of the first layer after `i` that `is` one (at `depth`, when given), or -1. */
export function firstAfter(layers: Layer[], i: number, is: (l: Layer) => boolean, depth = -1): number {
  for (let j = i + 1; j < layers.length; j++) if (is(layers[j]) && (depth < 0 || layers[j].depth === depth)) return j;
  return -1;
}

/**
 * Index of the packet's outermost overlay header, NVGRE or VXLAN, or -1: NVGRE carried in VXLAN is
 * VXLAN traffic, and the reverse. --stats counts the frame under it and --json names it.
 */
export function outermostOverlay(layers: Layer[]): number {
  for (let i = 0; i < layers.length; i++) if (layers[i].proto === 'nvgre' || layers[i].proto === 'vxlan') return i;
  return -1;
}
