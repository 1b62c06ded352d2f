import { hex4, onesSum } from '../bytes.js';
import type { Dissection, Layer } from '../packet.js';

/** Where a datagram's fragment sits: offset in bytes, more to come, identification. */
export interface Fragment {
  offset: number;
  more: boolean;
  id: number;
}

/** Ethernet pads frames to 60 bytes: trailing bytes are news only in a frame longer than that. */
const ETHERNET_MIN = 60;

function trailer(p: Dissection, bytes: number, end: number): void {
  const eth = p.layers.findLast((l) => l.proto === 'eth');
  if (eth === undefined || end - eth.offset <= ETHERNET_MIN) return;
  p.warn(eth, 'eth.trailer', `${bytes} bytes after the IP datagram in a ${end - eth.offset}-byte frame`);
}

/**
 * The part of IPv4 and IPv6 that is the same: the payload ends where the header says unless the
 * bytes run out first, trailing bytes are noted, fragments are not decoded past their first piece,
 * and TCP/UDP/ICMPv6 get the pseudo-header sum only when the datagram is whole.
 */
/** The IP header's addresses: bytes 12-20 of IPv4, 8-40 of IPv6 (pseudo-header and fragment key). */
function addressRange(layer: Layer): [number, number] {
  return layer.proto === 'ip' ? [layer.offset + 12, layer.offset + 20] : [layer.offset + 8, layer.offset + 40];
}

/** Fragments of one datagram share source, destination, protocol (IPv4) and identification. */
function fragmentKey(d: Uint8Array, layer: Layer, proto: number, id: number): string {
  const [from, to] = addressRange(layer);
  let key = layer.proto === 'ip' ? `${proto}/` : '';
  for (let i = from; i < to; i++) key += d[i].toString(16).padStart(2, '0');
  return `${key}/${id}`;
}

/**
 * Hands a fragment to the reassembler. Until the datagram is whole its pieces are data; the frame
 * that completes it decodes the whole datagram, as tshark does, with the frame numbers unchanged.
 */
function reassemble(d: Uint8Array, layer: Layer, payload: number, payloadEnd: number, proto: number, frag: Fragment, p: Dissection): void {
  const piece = d.subarray(payload, payloadEnd);
  const label = `${layer.proto === 'ip' ? 'IPv4' : 'IPv6'} datagram id ${hex4(frag.id)}`;
  const r = p.reassembly!.add(fragmentKey(d, layer, proto, frag.id), label, frag.offset, piece, frag.more, p.frameNumber, p.time);
  if (r.kind !== 'complete') {
    if (r.kind === 'refused') p.warn(layer, 'ip.reassembly_dropped', r.reason);
    p.pseudoSum = -1;
    p.next('ip.proto', -1, payload, payloadEnd);
    return;
  }
  const frames = r.frames.map((f) => `#${f}`).join(', ');
  p.warn(layer, 'ip.reassembled', `${r.datagram.length} bytes from ${r.frames.length} fragments in frames ${frames}`);
  const [from, to] = addressRange(layer);
  p.pseudoSum = onesSum(d, from, to);
  p.nextData = r.datagram;
  p.next('ip.proto', proto, 0, r.datagram.length, proto === 4 || proto === 41);
}

/**
 * The part of IPv4 and IPv6 that is the same, once their own header is read: the payload
 * [payload, declaredEnd) ends where the header says unless the bytes run out first, trailing bytes
 * are noted, fragments are reassembled (or not decoded past their first piece), and TCP, UDP and
 * ICMPv6 get the pseudo-header sum only when the datagram is whole. Plain arguments: this runs for
 * every IP header, and objects made per call showed in the profile.
 */
export function dispatchPayload(
  d: Uint8Array,
  end: number,
  layer: Layer,
  payload: number,
  declaredEnd: number,
  proto: number,
  frag: Fragment | null,
  p: Dissection,
  whole: boolean,
): void {
  let payloadEnd = declaredEnd;
  const v4 = layer.proto === 'ip';
  if (payloadEnd > end) {
    // A snaplen cut is frame.truncated, already said once for the frame; anything else is a lie in the header.
    if (!p.incomplete) {
      const says = v4 ? `total length ${declaredEnd - layer.offset}` : `payload length ${declaredEnd - layer.offset - 40} (+40 header)`;
      p.warn(layer, v4 ? 'ip.total_length_exceeds_capture' : 'ipv6.payload_length_exceeds_capture', `${says}, only ${end - layer.offset} bytes on the wire`);
    }
    payloadEnd = end;
    whole = false;
  }
  if (payloadEnd < end) trailer(p, end - payloadEnd, end);
  if (frag !== null) {
    const where = `fragment at offset ${frag.offset}${frag.more ? ', more follow' : ', the last one'}`;
    p.warn(layer, v4 ? 'ip.fragment' : 'ipv6.fragment', `${where} (id ${hex4(frag.id)})`);
    if (p.reassembly !== null && !p.incomplete) {
      reassemble(d, layer, payload, payloadEnd, proto, frag, p);
      return;
    }
    if (frag.offset !== 0) {
      p.pseudoSum = -1;
      p.next('ip.proto', -1, payload, payloadEnd);
      return;
    }
    whole = false;
    p.incomplete = true;
  }
  if (whole) {
    const [from, to] = addressRange(layer);
    p.pseudoSum = onesSum(d, from, to);
  } else p.pseudoSum = -1;
  p.next('ip.proto', proto, payload, payloadEnd, proto === 4 || proto === 41);
}
