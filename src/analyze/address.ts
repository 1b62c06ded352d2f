import { fieldId } from '../decode/field-store.js';
import type { Layer } from '../decode/packet.js';

const IP_SRC = fieldId('ip.src');
const IP_DST = fieldId('ip.dst');
const IPV6_SRC = fieldId('ipv6.src');
const IPV6_DST = fieldId('ipv6.dst');

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
  if (l.proto === 'ip') return l.fields.num(which === 'src' ? IP_SRC : IP_DST)!;
  return v6Key(l.fields.get(which === 'src' ? IPV6_SRC : IPV6_DST) as Uint8Array);
}

/** Dotted-quad IPv4 text to its number, or null. */
export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** RFC 4291 text (with ::, and an IPv4 tail as in ::ffff:10.0.0.1) to 16 bytes. */
export function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return null;
  let tail: number[] = [];
  let body = text;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const n = parseIpv4(v4[1]);
    if (n === null) return null;
    tail = [n >>> 16, n & 0xffff];
    const before = text.slice(0, v4.index); // "::ffff" of "::ffff:1.2.3.4", ":" of "::1.2.3.4"
    body = before.endsWith(':') ? `${before}:` : before;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    return gs.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? gs.map((g) => Number.parseInt(g, 16)) : null;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const groups = [...head, ...Array<number>(8 - known).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** IPv4 or IPv6 text as a key, or null when it is neither. */
export function addressKey(text: string): AddressKey | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return v4;
  const v6 = parseIpv6(text);
  return v6 === null ? null : v6Key(v6);
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
