import type { Layer, Packet } from '../decode/packet.js';
import type { Expr } from './ast.js';
import { matches } from './evaluate.js';

/** What the user asked to see; every part given must hold. */
export interface Selection {
  /** Any of these VSIDs (repeatable --vsid). */
  vsids: number[];
  flowId?: number;
  /** Outer (provider) IPv4 address, source or destination. */
  pa?: number;
  /** Inner (customer) IPv4 address, source or destination, or an inner ARP's sender/target. */
  ca?: number;
  filter?: Expr;
}

export function isFiltering(sel: Selection): boolean {
  return sel.vsids.length > 0 || sel.flowId !== undefined || sel.pa !== undefined || sel.ca !== undefined || sel.filter !== undefined;
}

function hasAddress(layer: Layer, addr: number, keys: readonly string[]): boolean {
  return keys.some((k) => layer.fields[k] === addr);
}

const IP_KEYS = ['ip.src', 'ip.dst'];
const ARP_KEYS = ['arp.src.proto_ipv4', 'arp.dst.proto_ipv4'];

export function selects(sel: Selection, pkt: Packet): boolean {
  const layers = pkt.layers;
  const nv = layers.findIndex((l) => l.proto === 'nvgre');
  const nvgre = nv < 0 ? undefined : layers[nv];
  if (sel.vsids.length > 0 && (nvgre === undefined || !sel.vsids.includes(nvgre.fields['nvgre.vsid'] as number))) return false;
  if (sel.flowId !== undefined && nvgre?.fields['nvgre.flow_id'] !== sel.flowId) return false;
  if (sel.pa !== undefined) {
    // Provider addresses: the IP headers outside any tunnel.
    if (!layers.some((l) => l.proto === 'ip' && l.depth === 0 && hasAddress(l, sel.pa!, IP_KEYS))) return false;
  }
  if (sel.ca !== undefined) {
    // Customer addresses: the IP (or ARP) inside the NVGRE tunnel.
    const inner = nv < 0 ? [] : layers.slice(nv + 1);
    const ca = sel.ca;
    if (!inner.some((l) => (l.proto === 'ip' && hasAddress(l, ca, IP_KEYS)) || (l.proto === 'arp' && hasAddress(l, ca, ARP_KEYS)))) {
      return false;
    }
  }
  return sel.filter === undefined || matches(sel.filter, pkt);
}
