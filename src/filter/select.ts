import type { Layer, Packet } from '../decode/packet.js';
import type { Expr } from './ast.js';
import { matches } from './evaluate.js';

/** What the user asked to see; every part given must hold. */
export interface Selection {
  /** Any of these VSIDs (repeatable --vsid). */
  vsids: number[];
  flowId?: number;
  /** Outer (provider) address, source or destination: IPv4 as a number, IPv6 as 16 bytes. */
  pa?: Address;
  /** Inner (customer) address, source or destination, or an inner ARP's sender/target. */
  ca?: Address;
  filter?: Expr;
}

export function isFiltering(sel: Selection): boolean {
  return sel.vsids.length > 0 || sel.flowId !== undefined || sel.pa !== undefined || sel.ca !== undefined || sel.filter !== undefined;
}

export type Address = number | Uint8Array;

const KEYS: Record<string, readonly string[]> = {
  ip: ['ip.src', 'ip.dst'],
  ipv6: ['ipv6.src', 'ipv6.dst'],
  arp: ['arp.src.proto_ipv4', 'arp.dst.proto_ipv4'],
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether an IP, IPv6 or ARP layer has `addr` as source or destination. */
function hasAddress(layer: Layer, addr: Address): boolean {
  const keys = KEYS[layer.proto];
  if (keys === undefined) return false;
  return keys.some((k) => {
    const v = layer.fields[k];
    return typeof addr === 'number' ? v === addr : v instanceof Uint8Array && sameBytes(v, addr);
  });
}

export function selects(sel: Selection, pkt: Packet): boolean {
  const layers = pkt.layers;
  const nv = layers.findIndex((l) => l.proto === 'nvgre');
  const nvgre = nv < 0 ? undefined : layers[nv];
  if (sel.vsids.length > 0 && (nvgre === undefined || !sel.vsids.includes(nvgre.fields['nvgre.vsid'] as number))) return false;
  if (sel.flowId !== undefined && nvgre?.fields['nvgre.flow_id'] !== sel.flowId) return false;
  // Provider addresses: the IP headers outside any tunnel; customer addresses: IP or ARP inside NVGRE.
  const pa = sel.pa;
  if (pa !== undefined && !layers.some((l) => l.depth === 0 && l.proto !== 'arp' && hasAddress(l, pa))) return false;
  const ca = sel.ca;
  if (ca !== undefined && (nv < 0 || !layers.slice(nv + 1).some((l) => hasAddress(l, ca)))) return false;
  return sel.filter === undefined || matches(sel.filter, pkt);
}
