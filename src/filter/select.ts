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

/**
 * What can turn a frame down before its tenant's layers are decoded: --vsid and --flow-id look at
 * the first NVGRE header only, and --pa at the headers outside any tunnel. Past those, decoding a
 * frame that will not be shown is wasted (with --vsid, 63 of 64 frames of the benchmark). Every
 * part of a selection must hold, so one part failing rejects the frame whatever -Y says. Null
 * when the selection has no such part.
 */
export function earlyRejection(sel: Selection): ((layers: readonly Layer[]) => boolean) | null {
  const { vsids, flowId, pa } = sel;
  if (vsids.length === 0 && flowId === undefined && pa === undefined) return null;
  return (layers) => {
    const last = layers[layers.length - 1];
    if (last === undefined) return false;
    const firstNvgre = last.proto === 'nvgre' && layers.findIndex((l) => l.proto === 'nvgre') === layers.length - 1;
    if (firstNvgre) {
      const f = last.fields;
      if (vsids.length > 0 && !vsids.includes(f['nvgre.vsid'] as number)) return true;
      if (flowId !== undefined && f['nvgre.flow_id'] !== flowId) return true;
    }
    // The first layer inside a tunnel: every provider header has been seen (depth never goes back).
    if (pa !== undefined && last.depth === 1 && layers[layers.length - 2]?.depth === 0) {
      return !layers.some((l) => l.depth === 0 && isProvider(l, pa));
    }
    return false;
  };
}

const isProvider = (l: Layer, pa: Address): boolean => l.proto !== 'arp' && hasAddress(l, pa);

export function selects(sel: Selection, pkt: Packet): boolean {
  const layers = pkt.layers;
  const nv = layers.findIndex((l) => l.proto === 'nvgre');
  const nvgre = nv < 0 ? undefined : layers[nv];
  if (sel.vsids.length > 0 && (nvgre === undefined || !sel.vsids.includes(nvgre.fields['nvgre.vsid'] as number))) return false;
  if (sel.flowId !== undefined && nvgre?.fields['nvgre.flow_id'] !== sel.flowId) return false;
  // Provider addresses: the IP headers outside any tunnel; customer addresses: IP or ARP inside NVGRE.
  const pa = sel.pa;
  if (pa !== undefined && !layers.some((l) => l.depth === 0 && isProvider(l, pa))) return false;
  const ca = sel.ca;
  if (ca !== undefined && (nv < 0 || !layers.slice(nv + 1).some((l) => hasAddress(l, ca)))) return false;
  return sel.filter === undefined || matches(sel.filter, pkt);
}
