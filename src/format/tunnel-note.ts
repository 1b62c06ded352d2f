import { fieldId } from '../decode/field-store.js';
import type { InnerFrame } from '../decode/inner.js';
import { hexUpper, ipv4, ipv6 } from './text.js';

const IP_SRC = fieldId('ip.src');
const IP_DST = fieldId('ip.dst');
const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');
const VXLAN_VNI = fieldId('vxlan.vni');
const IPV6_SRC = fieldId('ipv6.src');
const IPV6_DST = fieldId('ipv6.dst');
const ERSPAN_SPANID = fieldId('erspan.spanid');

/**
 * What a tenant's frame written by --decap says of the tunnel it came out of, as its pcapng
 * comment: `NVGRE VSID 4020644 (0x3D59A4) FlowID 0, PA 172.16.0.2 -> 172.16.0.3`.
 */
export function tunnelNote(inner: InnerFrame): string {
  const t = inner.tunnel.fields;
  const c = inner.carrier.fields;
  const pa =
    inner.carrier.proto === 'ip'
      ? `PA ${ipv4(c.num(IP_SRC)!)} -> ${ipv4(c.num(IP_DST)!)}`
      : `PA ${ipv6(c.get(IPV6_SRC) as Uint8Array)} -> ${ipv6(c.get(IPV6_DST) as Uint8Array)}`;
  if (inner.tunnel.proto === 'nvgre') {
    const vsid = t.num(NVGRE_VSID)!;
    return `NVGRE VSID ${vsid} (${hexUpper(vsid, 6)}) FlowID ${t.num(NVGRE_FLOW_ID)!}, ${pa}`;
  }
  if (inner.tunnel.proto === 'vxlan') {
    const vni = t.num(VXLAN_VNI)!;
    return `VXLAN VNI ${vni} (${hexUpper(vni, 6)}), ${pa}`;
  }
  const session = t.get(ERSPAN_SPANID);
  return session === undefined ? `ERSPAN type I, ${pa}` : `ERSPAN session ${session as number}, ${pa}`;
}
