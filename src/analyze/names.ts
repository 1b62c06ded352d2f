import { fieldId } from '../decode/field-store.js';
import type { Packet } from '../decode/packet.js';
import type { Policy, PolicyLookupRecord } from '../policy/model.js';
import { type AddressKey, endpoints, firstAfter, isIp } from './address.js';

const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_VM_SRC = fieldId('nvgre.vm_src');
const NVGRE_VM_DST = fieldId('nvgre.vm_dst');
const NVGRE_RDID = fieldId('nvgre.rdid');

/**
 * What a policy names: a CA's VM and a VSID's routing domain. Built once from the policy; asked
 * once per NVGRE frame, and then only when a policy was given.
 */
export class PolicyNames {
  private readonly byCa = new Map<AddressKey, PolicyLookupRecord[]>();
  private readonly rdids = new Map<number, string>();

  constructor(policy: Policy) {
    for (const r of policy.lookup) {
      const list = this.byCa.get(r.ca);
      if (list === undefined) this.byCa.set(r.ca, [r]);
      else list.push(r);
    }
    // The first route read names a VSID's domain; a VSID in two domains is the comparison's to report.
    for (const route of policy.routes) if (!this.rdids.has(route.vsid)) this.rdids.set(route.vsid, route.rdid);
  }

  /** The routing domain a VSID belongs to, or undefined (no routes given, or none for it). */
  rdid(vsid: number): string | undefined {
    return this.rdids.get(vsid);
  }

  /** Whether the policy has customer routes at all: without them no VSID has a known domain. */
  get hasRoutes(): boolean {
    return this.rdids.size > 0;
  }

  /** The policy's records for a CA, in every VSID. */
  records(ca: AddressKey): readonly PolicyLookupRecord[] | undefined {
    return this.byCa.get(ca);
  }

  /**
   * The VM of a CA seen in a frame of VSID `vsid`: its record in that VSID, else (a source CA,
   * whose own VSID the frame does not carry) its record in the same routing domain, else its only
   * VM name. Tenants' address spaces overlap, so a CA alone does not always say which VM it is.
   */
  vm(ca: AddressKey, vsid: number): string | undefined {
    const recs = this.byCa.get(ca);
    if (recs === undefined) return undefined;
    const exact = recs.find((r) => r.vsid === vsid && r.vmName !== null);
    if (exact !== undefined) return exact.vmName!;
    const rd = this.rdids.get(vsid);
    const sameDomain = rd === undefined ? undefined : recs.find((r) => r.vmName !== null && this.rdids.get(r.vsid) === rd);
    if (sameDomain !== undefined) return sameDomain.vmName!;
    const names = new Set(recs.map((r) => r.vmName).filter((n) => n !== null));
    return names.size === 1 ? [...names][0]! : undefined;
  }
}

/**
 * Adds the policy's names to a packet's first NVGRE layer: `nvgre.vm_src`, `nvgre.vm_dst` (the
 * inner source's and destination's VMs) and `nvgre.rdid` (the VSID's routing domain), each only
 * when the policy names it. Run after dissect, before selection: -Y and --vm see them, and every
 * formatter shows them as it shows any field, without reading bytes.
 */
export function annotate(pkt: Packet, names: PolicyNames): void {
  const layers = pkt.layers;
  const nv = layers.findIndex((l) => l.proto === 'nvgre');
  if (nv < 0) return;
  const nvgre = layers[nv];
  const vsid = nvgre.fields.num(NVGRE_VSID)!;
  const at = firstAfter(layers, nv, isIp, nvgre.depth + 1);
  const ca = at < 0 ? null : endpoints(layers[at]);
  if (ca !== null) {
    const src = names.vm(ca[0], vsid);
    const dst = names.vm(ca[1], vsid);
    if (src !== undefined) nvgre.fields.setValue(NVGRE_VM_SRC, src);
    if (dst !== undefined) nvgre.fields.setValue(NVGRE_VM_DST, dst);
  }
  const rdid = names.rdid(vsid);
  if (rdid !== undefined) nvgre.fields.setValue(NVGRE_RDID, rdid);
}
