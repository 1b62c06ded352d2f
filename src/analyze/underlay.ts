import { fieldId } from '../decode/field-store.js';
import type { Layer, Packet } from '../decode/packet.js';
import { isFragment } from '../decode/protocols/ip-payload.js';
import { type AddressKey, endpoint, firstAfter, isIp } from './address.js';

const IPV6_FRAGHDR_OFFSET = fieldId('ipv6.fraghdr.offset');
const IP_LEN = fieldId('ip.len');
const IPV6_PLEN = fieldId('ipv6.plen');
const IP_FRAG_OFFSET = fieldId('ip.frag_offset');
const ICMP_TYPE = fieldId('icmp.type');
const ICMP_CODE = fieldId('icmp.code');
const ICMPV6_TYPE = fieldId('icmpv6.type');
const IP_PROTO = fieldId('ip.proto');
const IPV6_FRAGHDR_NXT = fieldId('ipv6.fraghdr.nxt');
const IPV6_NXT = fieldId('ipv6.nxt');
const IP_ID = fieldId('ip.id');
const IPV6_FRAGHDR_IDENT = fieldId('ipv6.fraghdr.ident');

/** The provider frame HNV must fit in without jumbo frames: 1500 bytes of IP and a 14-byte Ethernet header. */
export const PROVIDER_FRAME_MAX = 1514;
/** An Ethernet header: what a provider frame carries even when the capture's link layer is another one. */
const ETHERNET_HEADER = 14;
/** Frames kept in each list: a capture of any size costs the same memory. */
const LIST_MAX = 8;
const IPPROTO_GRE = 47;

/** A frame of one capture: `file` counts the captures read, from 0. */
export interface FrameRef {
  file: number;
  frame: number;
}

/** Frames counted, the first LIST_MAX of them kept by number. */
export class FrameList {
  count = 0;
  readonly first: FrameRef[] = [];

  add(file: number, frame: number): void {
    this.count++;
    if (this.first.length < LIST_MAX) this.first.push({ file, frame });
  }
}

/** The provider network between two PAs, as the NVGRE frames from one to the other show it. */
export interface PaPair {
  src: AddressKey;
  dst: AddressKey;
  /** Frames whose outer datagram goes from src to dst carrying NVGRE (or a GRE fragment). */
  frames: number;
  /** The largest of them on the wire, link header included. */
  largest: number;
  /** Pieces of outer datagrams that were fragmented. */
  fragments: FrameList;
  /** The fragmented datagrams they belong to (by IP identification, in each capture). */
  datagrams: number;
  /** Tenant frames whose encapsulation, with these frames' own outer headers, exceeds PROVIDER_FRAME_MAX. */
  tooBig: FrameList;
  /** ICMP "fragmentation needed" and ICMPv6 "packet too big", in the tunnel or about it. */
  icmpTooBig: FrameList;
}

const isTooBigError = (l: Layer): boolean =>
  (l.proto === 'icmp' && l.fields.get(ICMP_TYPE) === 3 && l.fields.get(ICMP_CODE) === 4) || (l.proto === 'icmpv6' && l.fields.get(ICMPV6_TYPE) === 2);

const carriesGre = (l: Layer): boolean =>
  (l.proto === 'ip' ? l.fields.get(IP_PROTO) : l.fields.get(IPV6_FRAGHDR_NXT) ?? l.fields.get(IPV6_NXT)) === IPPROTO_GRE;

/** Where a fragment starts in its datagram, in bytes (0 for the first piece and for a whole datagram). */
const fragmentOffset = (l: Layer): number =>
  l.proto === 'ip' ? (l.fields.num(IP_FRAG_OFFSET)!) * 8 : ((l.fields.num(IPV6_FRAGHDR_OFFSET)) ?? 0) * 8;

const fragmentId = (l: Layer): number => (l.fields.get(l.proto === 'ip' ? IP_ID : IPV6_FRAGHDR_IDENT) as number);

/**
 * The bytes NVGRE puts round a tenant frame, from the frame's own outer headers: an Ethernet header
 * (whatever link layer the capture has), its VLAN tags, every IP header up to GRE (an IPv6 fragment
 * header is not counted: fragmenting added it) and GRE with its key. 42 over IPv4, 62 over IPv6, 46 tagged.
 */
function encapsulation(layers: Layer[], nv: number): number {
  let bytes = ETHERNET_HEADER;
  for (let i = 0; i < nv; i++) {
    const l = layers[i];
    if (l.proto === 'vlan' || l.proto === 'ieee8021ad') bytes += 4;
    else if (l.proto === 'ip' || l.proto === 'gre') bytes += l.length;
    else if (l.proto === 'ipv6') bytes += l.length - (l.fields.has(IPV6_FRAGHDR_OFFSET) ? 8 : 0);
  }
  return bytes;
}

/**
 * The tenant frame's length as it left the VM: its Ethernet header (and tags) and the IP datagram's
 * total length, which a first fragment states before the rest of it has come; -1 when not known.
 */
function tenantLength(layers: Layer[], nv: number, pkt: Packet): number {
  const eth = layers[nv + 1];
  if (eth?.proto !== 'eth' || eth.cut) return -1;
  const at = firstAfter(layers, nv + 1, isIp, eth.depth);
  if (at < 0) return eth.reassembled ? -1 : pkt.frame.origLen - eth.offset;
  const ip = layers[at];
  const total = ip.proto === 'ip' ? (ip.fields.num(IP_LEN)) : 40 + ((ip.fields.num(IPV6_PLEN)) ?? NaN);
  return total === undefined || Number.isNaN(total) ? -1 : ip.offset - eth.offset + total;
}

/**
 * The underlay's MTU as the traffic shows it, per PA pair (the issue 15 fault class "the underlay"):
 * the largest outer frame, fragmented outer datagrams, tenant frames too big for a 1514-byte
 * provider frame once encapsulated, and ICMP too-big errors in the tunnel or about it. Fed by
 * Stats, which finds each frame's overlay and outer header already.
 */
export class Underlay {
  private readonly pairs = new Map<AddressKey, Map<AddressKey, PaPair>>();
  /** Fragmented datagrams seen in this capture, per pair: identifications are a capture's own. */
  private readonly ids = new Map<PaPair, Set<number>>();

  /**
   * A frame whose outermost overlay is NVGRE (layer `nv`), its outer IP header `outer` from `src`
   * to `dst` of `p`. An ICMP too-big before the NVGRE header is an error outside the tunnel, whose
   * quote holds it: `p` is the pair of the quoted datagram, and the frame counts only as the error.
   */
  tunnelled(pkt: Packet, nv: number, outer: number, p: PaPair, file: number): void {
    const layers = pkt.layers;
    const frame = pkt.frame.number;
    for (let i = 0; i < nv; i++) {
      if (isTooBigError(layers[i])) {
        p.icmpTooBig.add(file, frame);
        return;
      }
    }
    const ip = layers[outer];
    const fragment = this.count(pkt, ip, p, file);
    for (let i = nv + 1; i < layers.length; i++) {
      if (isTooBigError(layers[i])) {
        p.icmpTooBig.add(file, frame);
        break;
      }
    }
    // A whole datagram's tenant frame and encapsulation come to at most its frame's length and an
    // Ethernet header (for a capture without one): most frames need no more looking at.
    if (!fragment && pkt.frame.origLen + ETHERNET_HEADER <= PROVIDER_FRAME_MAX) return;
    // The tenant frame is counted once, on its first piece (a later one carries only the VSID).
    if (layers[nv].learntFrom !== 0 || fragmentOffset(ip) !== 0) return;
    const tenant = tenantLength(layers, nv, pkt);
    if (tenant >= 0 && encapsulation(layers, nv) + tenant > PROVIDER_FRAME_MAX) p.tooBig.add(file, frame);
  }

  /** A frame without an overlay header: a piece of a GRE datagram whose NVGRE header is not known here. */
  untunnelled(pkt: Packet, file: number): void {
    const at = pkt.layers.findIndex(isIp);
    if (at < 0) return;
    const ip = pkt.layers[at];
    if (ip.cut || !isFragment(ip) || !carriesGre(ip)) return;
    this.count(pkt, ip, this.pair(endpoint(ip, 'src'), endpoint(ip, 'dst'), true), file);
  }

  /** The frame's size and, when its outer datagram is a fragment, the piece; true for a fragment. */
  private count(pkt: Packet, ip: Layer, p: PaPair, file: number): boolean {
    p.frames++;
    if (pkt.frame.origLen > p.largest) p.largest = pkt.frame.origLen;
    if (!isFragment(ip)) return false;
    p.fragments.add(file, pkt.frame.number);
    let ids = this.ids.get(p);
    if (ids === undefined) this.ids.set(p, (ids = new Set()));
    const id = fragmentId(ip);
    if (!ids.has(id)) {
      ids.add(id);
      p.datagrams++;
    }
    return true;
  }

  /** The next capture starts: its IP identifications are its own. */
  nextFile(): void {
    this.ids.clear();
  }

  /** The counts of the pair src -> dst, made on first use; `shown` false: a VXLAN pair's, kept apart from the rows. */
  pair(src: AddressKey, dst: AddressKey, shown: boolean): PaPair {
    const fresh = (): PaPair => ({ src, dst, frames: 0, largest: 0, fragments: new FrameList(), datagrams: 0, tooBig: new FrameList(), icmpTooBig: new FrameList() });
    if (!shown) return fresh();
    let dsts = this.pairs.get(src);
    if (dsts === undefined) this.pairs.set(src, (dsts = new Map()));
    let p = dsts.get(dst);
    if (p === undefined) dsts.set(dst, (p = fresh()));
    return p;
  }

  /** Every pair, in the order first seen. */
  rows(): PaPair[] {
    return [...this.pairs.values()].flatMap((dsts) => [...dsts.values()]);
  }
}
