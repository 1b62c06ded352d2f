import type { Layer, Packet } from './packet.js';

/** The tenant's Ethernet frame inside a tunnel, as --decap writes it. */
export interface InnerFrame {
  /** The tunnel header's layer (nvgre, vxlan or erspan) and the IP layer that carries it. */
  tunnel: Layer;
  carrier: Layer;
  /** A view of the inner frame's bytes (in the frame, or in the reassembled datagram). */
  data: Uint8Array;
  /** Its length on the wire: more than data holds when the capture cut the frame. */
  origLen: number;
}

const isTunnel = (l: Layer): boolean => l.proto === 'nvgre' || l.proto === 'vxlan' || l.proto === 'erspan';

/**
 * The inner Ethernet frame of the packet's outermost NVGRE, VXLAN or ERSPAN header, ending where
 * the carrying IP datagram ends (not at the frame's end: an outer trailer or padding is not the
 * tenant's). Null when there is none, or when only a fragment of it is here (a fragment not
 * reassembled, a later fragment that only lends the VSID).
 */
export function innerFrame(pkt: Packet): InnerFrame | null {
  const layers = pkt.layers;
  let carrier: Layer | undefined;
  for (let i = 0; i < layers.length - 1; i++) {
    const l = layers[i];
    if (l.proto === 'ip' || l.proto === 'ipv6') carrier = l;
    if (!isTunnel(l)) continue;
    const inner = layers[i + 1];
    if (carrier === undefined || l.learntFrom !== 0 || inner.proto !== 'eth') return null;
    if (inner.reassembled) {
      const datagram = pkt.reassembled;
      if (datagram === null) return null;
      return { tunnel: l, carrier, data: datagram.subarray(inner.offset), origLen: datagram.length - inner.offset };
    }
    const f = carrier.fields;
    const fragment = f['ip.flags.mf'] === 1 || f['ipv6.fraghdr.more'] === 1 || (f['ip.frag_offset'] ?? f['ipv6.fraghdr.offset'] ?? 0) !== 0;
    if (fragment) return null;
    const ipEnd = carrier.proto === 'ip' ? carrier.offset + (f['ip.len'] as number) : carrier.offset + 40 + (f['ipv6.plen'] as number);
    const data = pkt.frame.data;
    if (ipEnd < inner.offset) return null;
    return { tunnel: l, carrier, data: data.subarray(inner.offset, Math.min(ipEnd, data.length)), origLen: ipEnd - inner.offset };
  }
  return null;
}
