import { fieldId } from './field-store.js';
import type { Layer, Packet } from './packet.js';

const IP_LEN = fieldId('ip.len');
const IPV6_PLEN = fieldId('ipv6.plen');
const IP_FLAGS_MF = fieldId('ip.flags.mf');
const IPV6_FRAGHDR_MORE = fieldId('ipv6.fraghdr.more');
const IP_FRAG_OFFSET = fieldId('ip.frag_offset');
const IPV6_FRAGHDR_OFFSET = fieldId('ipv6.fraghdr.offset');

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
 * The Ethernet frame inside the packet's innermost NVGRE, VXLAN or ERSPAN header (NVGRE mirrored
 * through ERSPAN: the tenant's frame, not the mirrored one), ending where the carrying IP datagram
 * ends (an outer trailer or padding is not the tenant's). Null when there is none, or when only a
 * fragment of it is here (a fragment not reassembled, a later fragment that only lends the VSID).
 */
export function innerFrame(pkt: Packet): InnerFrame | null {
  const layers = pkt.layers;
  let carrier: Layer | undefined;
  let found = -1;
  let foundCarrier: Layer | undefined;
  for (let i = 0; i < layers.length - 1; i++) {
    const l = layers[i];
    if (l.proto === 'ip' || l.proto === 'ipv6') carrier = l;
    else if (isTunnel(l) && layers[i + 1].proto === 'eth' && carrier !== undefined) {
      found = i;
      foundCarrier = carrier;
    }
  }
  if (found < 0 || foundCarrier === undefined) return null;
  const tunnel = layers[found];
  const inner = layers[found + 1];
  if (tunnel.learntFrom !== 0) return null;
  const data = inner.reassembled ? pkt.reassembled : pkt.frame.data;
  if (data === null) return null;
  let end: number;
  if (inner.reassembled && !foundCarrier.reassembled) {
    // The carrier is the datagram put together from fragments: the tunnel's payload runs to its end.
    end = data.length;
  } else {
    const f = foundCarrier.fields;
    const fragment = f.get(IP_FLAGS_MF) === 1 || f.get(IPV6_FRAGHDR_MORE) === 1 || (f.get(IP_FRAG_OFFSET) ?? f.get(IPV6_FRAGHDR_OFFSET) ?? 0) !== 0;
    if (fragment) return null;
    end = foundCarrier.offset + (foundCarrier.proto === 'ip' ? (f.num(IP_LEN)!) : 40 + (f.num(IPV6_PLEN)!));
  }
  if (end < inner.offset) return null;
  return { tunnel, carrier: foundCarrier, data: data.subarray(inner.offset, Math.min(end, data.length)), origLen: end - inner.offset };
}
