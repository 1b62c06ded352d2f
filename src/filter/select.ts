import { type FieldId, fieldId } from '../decode/field-store.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { Expr } from './ast.js';
import { matches } from './evaluate.js';

const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');
const NVGRE_VM_SRC = fieldId('nvgre.vm_src');
const NVGRE_VM_DST = fieldId('nvgre.vm_dst');

/**
 * What the user asked to see; every part given must hold. Each list is one repeatable option and
 * holds when any of its values does (`--pa A --pa B`: A or B); absent or empty, it does not select.
 */
export interface Selection {
  /** --vsid */
  vsids?: readonly number[];
  /** --flow-id */
  flowIds?: readonly number[];
  /** --pa: outer (provider) addresses, source or destination: IPv4 as a number, IPv6 as 16 bytes. */
  pas?: readonly Address[];
  /** --ca: inner (customer) addresses, source or destination, or an inner ARP's sender/target. */
  cas?: readonly Address[];
  /** --vm: the VM names a --policy gives the inner source or destination (nvgre.vm_src, nvgre.vm_dst). */
  vms?: readonly string[];
  filter?: Expr;
}

/** The values of one selection list, or null when it selects nothing (absent or empty). */
const given = <T>(values: readonly T[] | undefined): readonly T[] | null => (values !== undefined && values.length > 0 ? values : null);

export function isFiltering(sel: Selection): boolean {
  return given(sel.vsids) !== null || given(sel.flowIds) !== null || given(sel.pas) !== null || given(sel.cas) !== null || given(sel.vms) !== null || sel.filter !== undefined;
}

export type Address = number | Uint8Array;

const KEYS: Record<string, readonly FieldId[]> = {
  ip: [fieldId('ip.src'), fieldId('ip.dst')],
  ipv6: [fieldId('ipv6.src'), fieldId('ipv6.dst')],
  arp: [fieldId('arp.src.proto_ipv4'), fieldId('arp.dst.proto_ipv4')],
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether an IP, IPv6 or ARP layer has one of `addrs` as source or destination. */
function hasAddress(layer: Layer, addrs: readonly Address[]): boolean {
  const keys = KEYS[layer.proto];
  if (keys === undefined) return false;
  return keys.some((id) => {
    const v = layer.fields.get(id);
    return addrs.some((addr) => (typeof addr === 'number' ? v === addr : v instanceof Uint8Array && sameBytes(v, addr)));
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
  const vsids = given(sel.vsids);
  const flowIds = given(sel.flowIds);
  const pas = given(sel.pas);
  if (vsids === null && flowIds === null && pas === null) return null;
  return (layers) => {
    const last = layers[layers.length - 1];
    if (last === undefined) return false;
    const firstNvgre = last.proto === 'nvgre' && layers.findIndex((l) => l.proto === 'nvgre') === layers.length - 1;
    if (firstNvgre) {
      const f = last.fields;
      if (vsids !== null && !vsids.includes(f.num(NVGRE_VSID)!)) return true;
      if (flowIds !== null && !flowIds.includes(f.num(NVGRE_FLOW_ID)!)) return true;
    }
    // The first layer inside a tunnel: every provider header has been seen (depth never goes back).
    if (pas !== null && last.depth === 1 && layers[layers.length - 2]?.depth === 0) {
      return !layers.some((l) => l.depth === 0 && isProvider(l, pas));
    }
    return false;
  };
}

const isProvider = (l: Layer, pas: readonly Address[]): boolean => l.proto !== 'arp' && hasAddress(l, pas);

export function selects(sel: Selection, pkt: Packet): boolean {
  const layers = pkt.layers;
  const nv = layers.findIndex((l) => l.proto === 'nvgre');
  const nvgre = nv < 0 ? undefined : layers[nv];
  const vsids = given(sel.vsids);
  if (vsids !== null && (nvgre === undefined || !vsids.includes(nvgre.fields.num(NVGRE_VSID)!))) return false;
  const flowIds = given(sel.flowIds);
  if (flowIds !== null && (nvgre === undefined || !flowIds.includes(nvgre.fields.num(NVGRE_FLOW_ID)!))) return false;
  // Provider addresses: the IP headers outside any tunnel; customer addresses: IP or ARP inside NVGRE.
  const pas = given(sel.pas);
  if (pas !== null && !layers.some((l) => l.depth === 0 && isProvider(l, pas))) return false;
  const cas = given(sel.cas);
  if (cas !== null && (nv < 0 || !layers.slice(nv + 1).some((l) => hasAddress(l, cas)))) return false;
  const vms = given(sel.vms);
  if (vms !== null && (nvgre === undefined || !(vms.includes(nvgre.fields.get(NVGRE_VM_SRC) as string) || vms.includes(nvgre.fields.get(NVGRE_VM_DST) as string)))) {
    return false;
  }
  return sel.filter === undefined || matches(sel.filter, pkt);
}
