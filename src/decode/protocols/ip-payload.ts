import { hex4, onesSum } from '../bytes.js';
import type { Dissection, Layer } from '../packet.js';
import type { WarningCode } from '../warnings.js';

/** What IPv4 and IPv6 hand on about their payload once their own header is read. */
export interface Datagram {
  layer: Layer;
  /** Where the upper-layer header starts (after options or extension headers). */
  payload: number;
  /** Where the header says the datagram ends. */
  declaredEnd: number;
  /** Fragment offset in bytes, and whether more fragments follow. */
  fragOffset: number;
  moreFragments: boolean;
  fragId: number;
  /** The upper-layer protocol (IPv4 protocol / IPv6 final next header). */
  proto: number;
  /** Where the source and destination addresses sit, for the pseudo-header sum. */
  addrStart: number;
  addrEnd: number;
  codes: { exceeds: WarningCode; fragment: WarningCode };
  /** Says the declared length for a message: "total length 200" / "payload length 160". */
  lengthText: string;
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
/** Fragments of one datagram share source, destination, protocol (IPv4) and identification. */
function fragmentKey(d: Uint8Array, g: Datagram): string {
  let key = g.layer.proto === 'ip' ? `${g.proto}/` : '';
  for (let i = g.addrStart; i < g.addrEnd; i++) key += d[i].toString(16).padStart(2, '0');
  return `${key}/${g.fragId}`;
}

/**
 * Hands a fragment to the reassembler. Until the datagram is whole its pieces are data; the frame
 * that completes it decodes the whole datagram, as tshark does, with the frame numbers unchanged.
 */
function reassemble(d: Uint8Array, payloadEnd: number, g: Datagram, p: Dissection): void {
  const piece = d.subarray(g.payload, payloadEnd);
  const label = `${g.layer.proto === 'ip' ? 'IPv4' : 'IPv6'} datagram id ${hex4(g.fragId)}`;
  const r = p.reassembly!.add(fragmentKey(d, g), label, g.fragOffset, piece, g.moreFragments, p.frameNumber, p.time);
  if (r.kind !== 'complete') {
    if (r.kind === 'refused') p.warn(g.layer, 'ip.reassembly_dropped', r.reason);
    p.pseudoSum = -1;
    p.next('ip.proto', -1, g.payload, payloadEnd);
    return;
  }
  const frames = r.frames.map((f) => `#${f}`).join(', ');
  p.warn(g.layer, 'ip.reassembled', `${r.datagram.length} bytes from ${r.frames.length} fragments in frames ${frames}`);
  p.pseudoSum = onesSum(d, g.addrStart, g.addrEnd);
  p.nextData = r.datagram;
  p.next('ip.proto', g.proto, 0, r.datagram.length, g.proto === 4 || g.proto === 41);
}

export function dispatchPayload(d: Uint8Array, end: number, g: Datagram, p: Dissection, whole: boolean): void {
  let payloadEnd = g.declaredEnd;
  if (payloadEnd > end) {
    // A snaplen cut is frame.truncated, already said once for the frame; anything else is a lie in the header.
    if (!p.incomplete) p.warn(g.layer, g.codes.exceeds, `${g.lengthText}, only ${end - g.layer.offset} bytes on the wire`);
    payloadEnd = end;
    whole = false;
  }
  if (payloadEnd < end) trailer(p, end - payloadEnd, end);
  if (g.fragOffset !== 0 || g.moreFragments) {
    const where = `fragment at offset ${g.fragOffset}${g.moreFragments ? ', more follow' : ', the last one'}`;
    p.warn(g.layer, g.codes.fragment, `${where} (id ${hex4(g.fragId)})`);
    if (p.reassembly !== null && !p.incomplete) {
      reassemble(d, payloadEnd, g, p);
      return;
    }
    if (g.fragOffset !== 0) {
      p.pseudoSum = -1;
      p.next('ip.proto', -1, g.payload, payloadEnd);
      return;
    }
    whole = false;
    p.incomplete = true;
  }
  p.pseudoSum = whole ? onesSum(d, g.addrStart, g.addrEnd) : -1;
  p.next('ip.proto', g.proto, g.payload, payloadEnd, g.proto === 4 || g.proto === 41);
}
