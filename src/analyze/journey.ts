import { fieldId } from '../decode/field-store.js';
import type { PktGroupId } from '../capture/etw-packet.js';
import type { Layer, Packet, ProtoId } from '../decode/packet.js';
import { type AddressKey, endpoints, firstAfter, isIp, lastBefore } from './address.js';
import { type Instant, instantOf } from './instant.js';

const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');

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

/**
 * One appearance of a packet: where pktmon logged it and what it was there. From a pcapng that
 * etl2pcapng converted, `componentId` is the interface standing for the component (the journey's
 * `interfaces`), and what the file does not keep is undefined.
 */
export interface Appearance {
  frame: number;
  at: Instant;
  /** pktmon's own count of the appearance within its group. */
  appearance: number | undefined;
  componentId: number;
  /** PKTMON_DIRECTION_TAG as logged. */
  dirTag: number | undefined;
  dropped: boolean;
  dropReason: number | undefined;
  dropLocation: number | undefined;
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
  pktGroupId: PktGroupId;
  appearances: Appearance[];
  /** Some appearance passed the filters: the whole journey is shown. */
  matched: boolean;
  /** Component names of its capture, from the last appearance that knew one (a pipe learns them late). */
  names: Map<number, string>;
  /** Its capture's path when several are read, as given (`-` for standard input). */
  file: string | undefined;
  /** A converted pcapng: its appearances' componentIds (and `names`' keys) are pcapng interfaces. */
  interfaces: boolean;
}

/** Counts over the journeys shown, for the closing tables. */
export interface ComponentCount {
  componentId: number;
  /** A converted pcapng's interface, not a pktmon component id. */
  interfaces: boolean;
  packets: number;
  appearances: number;
  drops: number;
}

export interface DropCount {
  /** Undefined for the drops of a converted pcapng, which keeps no reason (nor location). */
  reason: number | undefined;
  drops: number;
  /** Drop locations and components (interfaces for an undefined reason), in the order first seen. */
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
  /** Component names of every capture read, for the closing table, by nameKey. */
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
      vsid: layers[nv].fields.num(NVGRE_VSID)!,
      flowId: layers[nv].fields.num(NVGRE_FLOW_ID)!,
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
  private groups = new Map<PktGroupId, PacketJourney>();
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
    if (e === undefined || e.provider === 'ndis') {
      if (selected) this.ungrouped++;
      return;
    }
    const interfaces = e.provider === 'pktmon-pcapng';
    let j = this.groups.get(e.pktGroupId);
    if (j === undefined) {
      this.groups.set(e.pktGroupId, (j = { pktGroupId: e.pktGroupId, appearances: [], matched: false, names: this.names, file: this.file, interfaces }));
    }
    j.matched ||= selected;
    const where = interfaces ? e.interfaceId : e.componentId;
    if (e.component !== undefined) this.names.set(where, e.component);
    const logged = interfaces ? undefined : e;
    j.appearances.push({
      frame: pkt.frame.number,
      at: instantOf(pkt.frame),
      appearance: logged?.appearance,
      componentId: where,
      dirTag: logged?.dirTag,
      dropped: e.dropped,
      dropReason: logged?.dropReason,
      dropLocation: logged?.dropLocation,
      shape: shapeOf(pkt.layers),
    });
  }

  /** The journeys selected, in the order of their first appearance, and the closing counts over them. */
  result(): JourneyResult {
    const all = [...this.earlier, ...this.groups.values()];
    const journeys = all.filter((j) => j.matched);
    const names = new Map<number, string>();
    const components = new Map<number, ComponentCount>();
    const drops = new Map<number | undefined, DropCount>();
    for (const j of journeys) {
      for (const [id, name] of j.names) names.set(nameKey(j.interfaces, id), name);
      const crossed = new Set<number>();
      for (const a of j.appearances) {
        const key = nameKey(j.interfaces, a.componentId);
        let c = components.get(key);
        if (c === undefined) components.set(key, (c = { componentId: a.componentId, interfaces: j.interfaces, packets: 0, appearances: 0, drops: 0 }));
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
        if (a.dropLocation !== undefined && !d.locations.includes(a.dropLocation)) d.locations.push(a.dropLocation);
        if (!d.components.includes(a.componentId)) d.components.push(a.componentId);
      }
    }
    return {
      journeys,
      components: [...components.values()].sort((a, b) => Number(a.interfaces) - Number(b.interfaces) || a.componentId - b.componentId),
      drops: [...drops.values()].sort((a, b) => (a.reason ?? Infinity) - (b.reason ?? Infinity)),
      groupsSeen: all.length,
      ungroupedFrames: this.ungrouped,
      names,
    };
  }
}

/** Keys a component (its id) and a converted file's interface (-id - 1) apart, in JourneyResult.names. */
export const nameKey = (interfaces: boolean, id: number): number => (interfaces ? -id - 1 : id);

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
