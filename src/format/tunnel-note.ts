import type { InnerFrame } from '../decode/inner.js';
import { hexUpper, ipv4, ipv6 } from './text.js';

/**
 * What a tenant's frame written by --decap says of the tunnel it came out of, as its pcapng
 * comment: `NVGRE VSID 4020644 (0x3D59A4) FlowID 0, PA 172.16.0.2 -> 172.16.0.3`.
 */
export function tunnelNote(inner: InnerFrame): string {
  const t = inner.tunnel.fields;
  const c = inner.carrier.fields;
  const pa =
    inner.carrier.proto === 'ip'
      ? `PA ${ipv4(c['ip.src'] as number)} -> ${ipv4(c['ip.dst'] as number)}`
      : `PA ${ipv6(c['ipv6.src'] as Uint8Array)} -> ${ipv6(c['ipv6.dst'] as Uint8Array)}`;
  if (inner.tunnel.proto === 'nvgre') {
    const vsid = t['nvgre.vsid'] as number;
    return `NVGRE VSID ${vsid} (${hexUpper(vsid, 6)}) FlowID ${t['nvgre.flow_id'] as number}, ${pa}`;
  }
  if (inner.tunnel.proto === 'vxlan') {
    const vni = t['vxlan.vni'] as number;
    return `VXLAN VNI ${vni} (${hexUpper(vni, 6)}), ${pa}`;
  }
  const session = t['erspan.spanid'];
  return session === undefined ? `ERSPAN type I, ${pa}` : `ERSPAN session ${session as number}, ${pa}`;
}
