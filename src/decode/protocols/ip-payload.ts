import { hex4, onesSum } from '../bytes.js';
import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Dissection, Layer } from '../packet.js';

/** Where a datagram's fragment sits: offset in bytes, more to come, identification. */
export interface Fragment {
  offset: number;
  more: boolean;
  id: number;
}

/**
 * What a fragment says of its datagram, under tshark's names where tshark has the field: the
 * frames of its pieces, their count and the length, on the frame that completes it. tshark also
 * names, on the earlier pieces, the frame they are reassembled in: a one-pass reader cannot know
 * it yet, so a later piece names the frame of the first instead (ours: `*.fragment.first_frame`).
 */
export function fragmentFields(ip: 'ip' | 'ipv6'): FieldDef[] {
  return [
    { key: `${ip}.fragment.first_frame`, type: 'FT_FRAMENUM', label: 'First fragment in frame', kind: 'dec' },
    { key: `${ip}.fragment`, type: 'FT_FRAMENUM', label: 'Fragments in frames', kind: 'dec' },
    { key: `${ip}.fragment.count`, type: 'FT_UINT32', label: 'Fragment count', kind: 'dec' },
    { key: `${ip}.reassembled.length`, type: 'FT_UINT32', label: 'Reassembled length', blurb: 'The total length of the reassembled payload', kind: 'dec', unit: 'bytes' },
  ];
}

const IP_MF = fieldId('ip.flags.mf');
const IP_FRAG_OFFSET = fieldId('ip.frag_offset');
const IPV6_FRAG_OFFSET = fieldId('ipv6.fraghdr.offset');
const reassemblyIds = (ip: 'ip' | 'ipv6') => ({
  firstFrame: fieldId(`${ip}.fragment.first_frame`),
  fragment: fieldId(`${ip}.fragment`),
  count: fieldId(`${ip}.fragment.count`),
  length: fieldId(`${ip}.reassembled.length`),
});
const IP_IDS = reassemblyIds('ip');
const IPV6_IDS = reassemblyIds('ipv6');

/** Whether an IPv4 or IPv6 layer is a piece of a fragmented datagram (the first one included). */
export function isFragment(l: Layer): boolean {
  if (l.proto === 'ip') return l.fields.num(IP_MF) === 1 || (l.fields.num(IP_FRAG_OFFSET) ?? 0) !== 0;
  return l.proto === 'ipv6' && l.fields.has(IPV6_FRAG_OFFSET);
}

/** Said on the NVGRE layer of every piece of an outer datagram that was fragmented (--strict fails on it). */
export const OUTER_FRAGMENT = 'the provider datagram carrying this NVGRE packet was fragmented: the underlay MTU is too small for it';

/** Ethernet pads frames to 60 bytes: trailing bytes are news only in a frame longer than that. */
const ETHERNET_MIN = 60;

function trailer(p: Dissection, bytes: number, end: number): void {
  const eth = p.layers.findLast((l) => l.proto === 'eth');
  if (eth === undefined || end - eth.offset <= ETHERNET_MIN) return;
  p.warn(eth, 'eth.trailer', `${bytes} bytes after the IP datagram in a ${end - eth.offset}-byte frame`);
}

/** The IP header's addresses: bytes 12-20 of IPv4, 8-40 of IPv6 (pseudo-header and fragment key). Two numbers, not a pair: this runs for every IP header. */
const addressesFrom = (layer: Layer): number => layer.offset + (layer.proto === 'ip' ? 12 : 8);
const addressesTo = (layer: Layer): number => layer.offset + (layer.proto === 'ip' ? 20 : 40);

/** Fragments of one datagram share source, destination, protocol (IPv4) and identification. */
function fragmentKey(d: Uint8Array, layer: Layer, proto: number, id: number): string {
  let key = layer.proto === 'ip' ? `${proto}/` : '';
  for (let i = addressesFrom(layer); i < addressesTo(layer); i++) key += d[i].toString(16).padStart(2, '0');
  return `${key}/${id}`;
}

/**
 * Hands a fragment to the reassembler and says on its IP layer what is known of its datagram.
 * The frame that completes it lists its pieces and decodes the whole datagram, as tshark does,
 * with the frame numbers unchanged; a later piece names the first fragment's frame and carries
 * the NVGRE header found there. Returns true when the payload was handed on (the datagram).
 */
function reassemble(d: Uint8Array, layer: Layer, payload: number, payloadEnd: number, proto: number, frag: Fragment, p: Dissection): boolean {
  const piece = d.subarray(payload, payloadEnd);
  const v4 = layer.proto === 'ip';
  const label = `${v4 ? 'IPv4' : 'IPv6'} datagram id ${hex4(frag.id)}`;
  const key = fragmentKey(d, layer, proto, frag.id);
  const r = p.reassembly!.add(key, label, frag.offset, piece, frag.more, p.frameNumber, p.time);
  if (r.kind === 'dropped') {
    p.warn(layer, r.code, r.reason);
    return false;
  }
  if (r.overlap !== null) p.warn(layer, 'ip.fragment_overlap', r.overlap);
  const f = layer.fields;
  const ids = v4 ? IP_IDS : IPV6_IDS;
  if (r.kind === 'complete') {
    f.setValue(ids.fragment, r.frames);
    f.set(ids.count, r.frames.length);
  }
  if (r.kind === 'pending' && frag.offset === 0) {
    p.learnKey = key;
    p.learnAfter = p.layers.length;
  } else if (r.datagram === null && frag.offset !== 0 && r.firstFrame !== 0) {
    // The frame that completes it lists every piece already, the first among them.
    if (r.kind === 'pending') f.set(ids.firstFrame, r.firstFrame);
    if (r.tenant !== null) {
      const tenant = p.add('nvgre', 0, 0);
      tenant.fields.setAll(r.tenant);
      tenant.depth = layer.depth + 1;
      tenant.learntFrom = r.firstFrame;
      p.warn(tenant, 'nvgre.outer_fragment', OUTER_FRAGMENT);
    }
  }
  if (r.datagram === null) return false;
  f.set(ids.length, r.length);
  p.warn(layer, 'ip.reassembled', `${r.length} bytes from ${r.frames.length} fragments`);
  p.pseudoSum = onesSum(d, addressesFrom(layer), addressesTo(layer));
  p.nextData = r.datagram;
  p.next('ip.proto', proto, 0, r.length, proto === 4 || proto === 41);
  return true;
}

/**
 * The part of IPv4 and IPv6 that is the same, once their own header is read: the payload
 * [payload, declaredEnd) ends where the header says unless the bytes run out first, trailing bytes
 * are noted, fragments are reassembled (a first one is decoded as far as it goes, later ones are
 * data), and TCP, UDP and ICMPv6 get the pseudo-header sum only when the datagram is whole. Plain
 * arguments: this runs for every IP header, and objects made per call showed in the profile.
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
    if (p.reassembly !== null && !p.incomplete && reassemble(d, layer, payload, payloadEnd, proto, frag, p)) return;
    // A first fragment is decoded as far as its bytes go: its GRE header holds the key, the VSID.
    if (frag.offset !== 0) {
      p.pseudoSum = -1;
      p.next('ip.proto', -1, payload, payloadEnd);
      return;
    }
    whole = false;
    p.incomplete = true;
  }
  p.pseudoSum = whole ? onesSum(d, addressesFrom(layer), addressesTo(layer)) : -1;
  p.next('ip.proto', proto, payload, payloadEnd, proto === 4 || proto === 41);
}
