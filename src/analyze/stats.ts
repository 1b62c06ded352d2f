import { type FieldId, fieldId } from '../decode/field-store.js';
import type { Packet } from '../decode/packet.js';
import type { Warning } from '../decode/warnings.js';
import { type AddressKey, endpoint, firstAfter, isIp, lastBefore, outermostOverlay } from './address.js';
import { type Instant, instantOf } from './instant.js';
import { PacketCount, packetKey, SharedPacketCount, SharedPackets } from './packets.js';
import { RecentPairs } from './recent-pairs.js';
import { type PaPair, Underlay } from './underlay.js';

const NVGRE_RDID = fieldId('nvgre.rdid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');
const NVGRE_VM_SRC = fieldId('nvgre.vm_src');
const NVGRE_VM_DST = fieldId('nvgre.vm_dst');

/** The overlays whose virtual subnets get rows: NVGRE by VSID, VXLAN by VNI. */
export type Overlay = 'nvgre' | 'vxlan';

/** The traffic of one virtual subnet: an NVGRE VSID or a VXLAN VNI. */
export interface SubnetStats {
  overlay: Overlay;
  /** The VSID or the VNI (both 24 bits). */
  id: number;
  frames: number;
  /** Its frames again, with the packets among them: a pktmon packet seen at several components counts once. */
  packets: SharedPacketCount;
  bytes: number;
  /** NVGRE FlowIDs (VXLAN has none). */
  flowIds: Set<number>;
  /**
   * The FlowIDs (8 bits) already in flowIds, as a bit each: a frame's costs a bit test, where the
   * Set's lookup was 7% of a --stats run. Made by Stats.add when missing (a bit not set only costs
   * a lookup).
   */
  flowBits?: Uint32Array;
  /** Outer (provider) address pairs: source -> destination -> the pair's underlay counts (Stats.underlay's rows). */
  paPairs: Map<AddressKey, Map<AddressKey, PaPair>>;
  /** Inner addresses (source and destination), IPv4 or IPv6. */
  caAddresses: Set<AddressKey>;
  first: Instant;
  last: Instant;
  /** Warnings of severity warn or error. */
  warnings: number;
  /** Warnings of severity note. */
  notes: number;
  /** With a --policy: the VSID's routing domain, and the VMs its frames came from or went to (src/analyze/names.ts). */
  rdid?: string;
  vms?: Set<string>;
  /** The captures it was seen in, as indexes into Stats.files (only 0 with one capture). */
  files: Set<number>;
  /** The last of them, so that a frame costs no set lookup. */
  lastFile: number;
}

export interface Totals {
  framesRead: number;
  framesShown: number;
  nvgreFrames: number;
  vxlanFrames: number;
  /** Frames in neither overlay. */
  otherFrames: number;
  warnings: number;
  notes: number;
}

interface Counts {
  warnings: number;
  notes: number;
}

function countInto(ws: Warning[] | null, into: Counts): void {
  if (ws === null) return;
  for (const w of ws) {
    if (w.severity === 'note') into.notes++;
    else into.warnings++;
  }
}

function addVm(s: SubnetStats, vm: unknown): void {
  if (vm !== undefined) (s.vms ??= new Set()).add(vm as string);
}

const KEY_FIELD: Record<Overlay, FieldId> = { nvgre: fieldId('nvgre.vsid'), vxlan: fieldId('vxlan.vni') };

/** Per-subnet traffic counts over the frames shown; fed Packets, never bytes. */
export class Stats {
  private readonly bySubnet: Record<Overlay, Map<number, SubnetStats>> = { nvgre: new Map(), vxlan: new Map() };
  /** The frames shown and the packets among them. */
  readonly shown = new PacketCount();
  /** Each subnet's packets, counted in slots all subnets share. */
  private readonly subnetPackets = new SharedPackets();
  private file = 0;
  /** The captures read, when there are several: what a frame reference's `file` indexes. */
  readonly files: string[] = [];
  /** The provider network per PA pair: frame sizes, fragments, ICMP too-big. */
  readonly underlay = new Underlay();
  readonly totals: Totals = { framesRead: 0, framesShown: 0, nvgreFrames: 0, vxlanFrames: 0, otherFrames: 0, warnings: 0, notes: 0 };
  /** This frame's counts, reused. */
  private readonly frameCounts: Counts = { warnings: 0, notes: 0 };
  /** The PA pairs' counts a subnet found last, and the CA pairs already in its caAddresses. */
  private readonly recentPaPairs = new RecentPairs<PaPair>();
  private readonly recentCaPairs = new RecentPairs<true>();

  add(pkt: Packet): void {
    const t = this.totals;
    const counts = this.frameCounts;
    counts.warnings = 0;
    counts.notes = 0;
    countInto(pkt.frameWarnings, counts);
    for (const l of pkt.layers) countInto(l.warnings, counts);
    t.framesShown++;
    const key = packetKey(pkt.frame.etw, this.file);
    this.shown.add(key);
    t.warnings += counts.warnings;
    t.notes += counts.notes;
    const layers = pkt.layers;
    const nv = outermostOverlay(layers);
    if (nv < 0) {
      t.otherFrames++;
      this.underlay.untunnelled(pkt, this.file);
      return;
    }
    const overlay = layers[nv].proto as Overlay;
    if (overlay === 'nvgre') t.nvgreFrames++;
    else t.vxlanFrames++;
    const f = pkt.frame;
    const fields = layers[nv].fields;
    const id = fields.num(KEY_FIELD[overlay]);
    if (id === undefined) return; // a header cut before its VNI: no subnet to count it in
    const subnets = this.bySubnet[overlay];
    let s = subnets.get(id);
    if (s === undefined) {
      const now = instantOf(f);
      s = { overlay, id, frames: 0, packets: this.subnetPackets.count(), bytes: 0, flowIds: new Set(), paPairs: new Map(), caAddresses: new Set(), first: now, last: { ...now }, warnings: 0, notes: 0, files: new Set(), lastFile: -1, flowBits: new Uint32Array(8) };
      subnets.set(id, s);
    }
    s.frames++;
    if (s.lastFile !== this.file) {
      s.files.add(this.file);
      s.lastFile = this.file;
    }
    s.packets.add(key);
    s.bytes += f.origLen;
    if (overlay === 'nvgre') {
      const flow = fields.num(NVGRE_FLOW_ID)!;
      const bits = (s.flowBits ??= new Uint32Array(8));
      const bit = 1 << (flow & 31);
      if ((bits[flow >>> 5] & bit) === 0) {
        bits[flow >>> 5] |= bit;
        s.flowIds.add(flow);
      }
      if (fields.has(NVGRE_RDID)) s.rdid = fields.get(NVGRE_RDID) as string;
      addVm(s, fields.get(NVGRE_VM_SRC));
      addVm(s, fields.get(NVGRE_VM_DST));
    }
    // The latest and earliest, not the last and first read: several captures need not come in time order.
    // Updated in place: this runs for every frame, and nothing else holds `last`.
    if (f.tsSec > s.last.sec || (f.tsSec === s.last.sec && f.tsNsec > s.last.nsec)) {
      s.last.sec = f.tsSec;
      s.last.nsec = f.tsNsec;
    } else if (f.tsSec < s.first.sec || (f.tsSec === s.first.sec && f.tsNsec < s.first.nsec)) s.first = instantOf(f);
    s.warnings += counts.warnings;
    s.notes += counts.notes;
    const outer = lastBefore(layers, nv, isIp);
    if (outer >= 0 && !layers[outer].cut) {
      const pa = layers[outer];
      const src = endpoint(pa, 'src');
      const dst = endpoint(pa, 'dst');
      const v4 = typeof src === 'number' && typeof dst === 'number';
      let pair = v4 ? this.recentPaPairs.get(s, id, src, dst) : undefined;
      if (pair === undefined) {
        let dsts = s.paPairs.get(src);
        if (dsts === undefined) s.paPairs.set(src, (dsts = new Map()));
        // The subnet's own lookup finds the pair's underlay counts too: one lookup a frame, not two.
        pair = dsts.get(dst);
        if (pair === undefined) dsts.set(dst, (pair = this.underlay.pair(src, dst, overlay === 'nvgre')));
        if (v4) this.recentPaPairs.set(s, id, src, dst, pair);
      }
      if (overlay === 'nvgre') this.underlay.tunnelled(pkt, nv, outer, pair, this.file);
    }
    const inner = firstAfter(layers, nv, isIp);
    if (inner >= 0 && !layers[inner].cut) {
      const src = endpoint(layers[inner], 'src');
      const dst = endpoint(layers[inner], 'dst');
      const v4 = typeof src === 'number' && typeof dst === 'number';
      if (!v4 || this.recentCaPairs.get(s, id, src, dst) === undefined) {
        s.caAddresses.add(src);
        s.caAddresses.add(dst);
        if (v4) this.recentCaPairs.set(s, id, src, dst, true);
      }
    }
  }

  /** The next capture starts: its PktGroupIds and IP identifications are its own. */
  nextFile(name: string): void {
    this.file = this.files.length;
    this.files.push(name);
    this.underlay.nextFile();
  }

  /** One overlay's subnets, in ascending order of VSID or VNI. */
  rows(overlay: Overlay): SubnetStats[] {
    return [...this.bySubnet[overlay].values()].sort((a, b) => a.id - b.id);
  }
}
