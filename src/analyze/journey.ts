import type { Layer, Packet, ProtoId } from '../decode/packet.js';
import { type AddressKey, endpoints, firstAfter, isIp, lastBefore } from './address.js';
import { type Instant, instantOf } from './instant.js';

/** What the packet was at one component: encapsulated in NVGRE, or the tenant's own frame. */
export type Shape =
  | {
      kind: 'nvgre';
      vsid: number;
      flowId: number;
      /** Provider (outer) source and destination; null when the outer IP header is missing or cut. */
      pa: [AddressKey, AddressKey] | null;
      /** Customer (inner) addresses; null when the tenant frame carries no whole IP header. */
      ca: [AddressKey, AddressKey] | null;
      protocol: ProtoId | undefined;
    }
  | {
      kind: 'plain';
      ca: [AddressKey, AddressKey] | null;
      /** What the IP header carries (or the frame's last layer when it has none: ARP, data). */
      protocol: ProtoId | undefined;
    };

/** One appearance of a packet: where pktmon logged it and what it was there. */
export interface Appearance {
  frame: number;
  at: Instant;
  /** pktmon's own count of the appearance within its group. */
  appearance: number;
  componentId: number;
  /** PKTMON_DIRECTION as logged (its values have no public names). */
  dirTag: number;
  dropped: boolean;
  dropReason: number;
  dropLocation: number;
  shape: Shape;
}

/** Where the packet changed from one shape to the other, between two consecutive appearances. */
export interface Change {
  kind: 'encapsulated' | 'decapsulated';
  from: Appearance;
  to: Appearance;
}

/** Every appearance of one PktGroupId, in capture order. */
export interface PacketJourney {
  pktGroupId: bigint;
  appearances: Appearance[];
  /** Some appearance passed the filters: the whole journey is shown. */
  matched: boolean;
  /** Component names of its capture, from the last appearance that knew one (a pipe learns them late). */
  names: Map<number, string>;
  /** Its capture's path when several are read, as given (`-` for standard input). */
  file: string | undefined;
}

/** Counts over the journeys shown, for the closing tables. */
export interface ComponentCount {
  componentId: number;
  packets: number;
  appearances: number;
  drops: number;
}

export interface DropCount {
  reason: number;
  drops: number;
  /** Drop locations and components, in the order first seen. */
  locations: number[];
  components: number[];
}

export interface JourneyResult {
  journeys: PacketJourney[];
  components: ComponentCount[];
  drops: DropCount[];
  /** Journeys in the whole capture, shown or not: 0 says the capture has no pktmon metadata. */
  groupsSeen: number;
  /** Frames that passed the filters but carry no pktmon PktGroupId (a pcap, an NDIS event). */
  ungroupedFrames: number;
  /** Component names of every capture read, for the closing table. */
  names: Map<number, string>;
}

const protocolAfter = (layers: Layer[], ip: number): ProtoId | undefined => {
  const next = layers[ip + 1];
  return next === undefined || next.proto === 'data' ? undefined : next.proto;
};

/** The shape of a decoded frame: NVGRE with its VSID, PAs and CAs, or plain with its addresses. */
export function shapeOf(layers: Layer[]): Shape {
  const nv = layers.findIndex((l) => l.proto === 'nvgre');
  if (nv >= 0) {
    const outer = lastBefore(layers, nv, isIp);
    const inner = firstAfter(layers, nv, isIp);
    return {
      kind: 'nvgre',
      vsid: layers[nv].fields['nvgre.vsid'] as number,
      flowId: layers[nv].fields['nvgre.flow_id'] as number,
      pa: outer < 0 ? null : endpoints(layers[outer]),
      ca: inner < 0 ? null : endpoints(layers[inner]),
      protocol: inner < 0 ? layers[layers.length - 1]?.proto : protocolAfter(layers, inner),
    };
  }
  const ip = layers.findIndex(isIp);
  if (ip < 0) return { kind: 'plain', ca: null, protocol: layers[layers.length - 1]?.proto };
  return { kind: 'plain', ca: endpoints(layers[ip]), protocol: protocolAfter(layers, ip) };
}

/**
 * Gathers pktmon's appearances of each packet (one PktGroupId) over a whole capture, to tell
 * each packet's path through the host at the end. It is fed every frame, filtered or not, with
 * whether the filters select it: a packet is shown when any of its appearances is selected, and
 * a later appearance may be the one. Memory grows with the number of packets (each keeps its few
 * appearances) until the end of the pass; frames without pktmon metadata are only counted.
 */
export class JourneyLog {
  private groups = new Map<bigint, PacketJourney>();
  private names = new Map<number, string>();
  /** The journeys of the captures read before this one. */
  private readonly earlier: PacketJourney[] = [];
  private ungrouped = 0;
  private file: string | undefined;

  /** The next capture of several starts: its PktGroupIds and component ids are its own. */
  nextFile(file: string): void {
    for (const j of this.groups.values()) this.earlier.push(j);
    this.groups = new Map();
    this.names = new Map();
    this.file = file;
  }

  add(pkt: Packet, selected: boolean): void {
    const e = pkt.frame.etw;
    if (e?.provider !== 'pktmon') {
      if (selected) this.ungrouped++;
      return;
    }
    let j = this.groups.get(e.pktGroupId);
    if (j === undefined) this.groups.set(e.pktGroupId, (j = { pktGroupId: e.pktGroupId, appearances: [], matched: false, names: this.names, file: this.file }));
    j.matched ||= selected;
    if (e.component !== undefined) this.names.set(e.componentId, e.component);
    j.appearances.push({
      frame: pkt.frame.number,
      at: instantOf(pkt.frame),
      appearance: e.appearance,
      componentId: e.componentId,
      dirTag: e.dirTag,
      dropped: e.dropped,
      dropReason: e.dropReason,
      dropLocation: e.dropLocation,
      shape: shapeOf(pkt.layers),
    });
  }

  /** The journeys selected, in the order of their first appearance, and the closing counts over them. */
  result(): JourneyResult {
    const all = [...this.earlier, ...this.groups.values()];
    const journeys = all.filter((j) => j.matched);
    const names = new Map<number, string>();
    const components = new Map<number, ComponentCount>();
    const drops = new Map<number, DropCount>();
    for (const j of journeys) {
      for (const [id, name] of j.names) names.set(id, name);
      const crossed = new Set<number>();
      for (const a of j.appearances) {
        let c = components.get(a.componentId);
        if (c === undefined) components.set(a.componentId, (c = { componentId: a.componentId, packets: 0, appearances: 0, drops: 0 }));
        c.appearances++;
        if (!crossed.has(a.componentId)) {
          crossed.add(a.componentId);
          c.packets++;
        }
        if (!a.dropped) continue;
        c.drops++;
        let d = drops.get(a.dropReason);
        if (d === undefined) drops.set(a.dropReason, (d = { reason: a.dropReason, drops: 0, locations: [], components: [] }));
        d.drops++;
        if (!d.locations.includes(a.dropLocation)) d.locations.push(a.dropLocation);
        if (!d.components.includes(a.componentId)) d.components.push(a.componentId);
      }
    }
    return {
      journeys,
      components: [...components.values()].sort((a, b) => a.componentId - b.componentId),
      drops: [...drops.values()].sort((a, b) => a.reason - b.reason),
      groupsSeen: all.length,
      ungroupedFrames: this.ungrouped,
      names,
    };
  }
}

/** Where the encapsulation was added or removed: each NVGRE/plain change between consecutive appearances. */
export function changesOf(j: PacketJourney): Change[] {
  const out: Change[] = [];
  for (let i = 1; i < j.appearances.length; i++) {
    const from = j.appearances[i - 1];
    const to = j.appearances[i];
    if (from.shape.kind === to.shape.kind) continue;
    out.push({ kind: to.shape.kind === 'nvgre' ? 'encapsulated' : 'decapsulated', from, to });
  }
  return out;
}

/** Nanoseconds from the packet's first appearance to `a`. */
export function offsetNs(j: PacketJourney, a: Appearance): number {
  const t0 = j.appearances[0].at;
  return (a.at.sec - t0.sec) * 1e9 + (a.at.nsec - t0.nsec);
}
