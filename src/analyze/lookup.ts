import { type FieldId, fieldId } from '../decode/field-store.js';
import type { Layer, Packet } from '../decode/packet.js';
import { type AddressKey, compareAddresses, endpoints, firstAfter, isGroupMac, isIp, isUnicast, lastBefore } from './address.js';
import { type Instant, instantOf, later } from './instant.js';
import { PacketCount, type PacketKey, packetKey } from './packets.js';

const ARP_SRC_PROTO_IPV4 = fieldId('arp.src.proto_ipv4');
const GRE_PROTO = fieldId('gre.proto');

/** One row of HNV's lookup table as the wire shows it: CA + MAC in a VSID behind a PA. */
export interface LookupRecord {
  vsid: number;
  /** Customer (inner) address. */
  ca: AddressKey;
  mac: number;
  /** Provider (outer) address. */
  pa: AddressKey;
  frames: number;
  /** Its frames again, with the packets among them: a pktmon packet seen at several components counts once. */
  packets: PacketCount;
  first: Instant;
  last: Instant;
  /** The numbers of its first and last frames (in their file), to say where to look. */
  firstFrame: number;
  lastFrame: number;
  /** 'dst-side': the inner destination of NVGRE frames; 'arp': an inner ARP sender; both when both say so. */
  sources: Set<'dst-side' | 'arp'>;
  /** The capture it was seen in (which host saw it), as an index into LookupTable.files; 0 with one capture. */
  file: number;
}

/** What the frames fed to a table were, for saying why it is short or empty. */
export interface LookupCounts {
  nvgre: number;
  /** NVGRE frames to a broadcast or multicast CA or MAC: HNV keeps no record for those. */
  groupDestination: number;
  vxlan: number;
  /** GRE protocol type 0x6558 without the K bit: Ethernet over GRE, no VSID. */
  tebWithoutKey: number;
}

export type ConflictKind = 'ca_two_pas' | 'mac_two_vsids' | 'ca_two_macs';

/** Records that cannot all be true at once: what HNV engineers hunt for. */
export interface Conflict {
  kind: ConflictKind;
  vsid?: number;
  ca?: AddressKey;
  mac?: number;
  /** The records involved, latest last-seen last. */
  records: LookupRecord[];
}

const NVGRE_VSID = fieldId('nvgre.vsid');
const ETH_DST = fieldId('eth.dst');
const ARP_SRC_HW_MAC = fieldId('arp.src.hw_mac');

const f = (l: Layer, id: FieldId): number => l.fields.num(id)!;
const isIpOrArp = (l: Layer): boolean => isIp(l) || l.proto === 'arp';

/**
 * Rebuilds `Get-NetVirtualizationLookupRecord` from traffic. HNV's sending host puts the
 * destination's VSID in the GRE key, so every NVGRE frame states: the inner destination IP (CA)
 * with the inner destination MAC lives in VSID V behind the outer destination (PA). An inner ARP
 * adds its sender (IP, MAC, behind the outer source) once the sender's VSID is unambiguous: known
 * from the frames above in exactly one VSID.
 */
export class LookupTable {
  private readonly records = new Map<string, LookupRecord>();
  private readonly arpSenders: { ca: AddressKey; mac: number; pa: AddressKey; seen: Instant; frame: number; key: PacketKey | undefined; file: number }[] = [];
  /** The frames fed and the packets among them. */
  readonly fed = new PacketCount();
  private file = 0;
  /** The captures read, when there are several: each record names the one it was seen in. */
  readonly files: string[] = [];
  readonly counts: LookupCounts = { nvgre: 0, groupDestination: 0, vxlan: 0, tebWithoutKey: 0 };

  add(pkt: Packet): void {
    const key = packetKey(pkt.frame.etw, this.file);
    this.fed.add(key);
    const layers = pkt.layers;
    const nv = layers.findIndex((l) => l.proto === 'nvgre');
    if (nv < 0) {
      if (layers.some((l) => l.proto === 'vxlan')) this.counts.vxlan++;
      else if (layers.some((l) => l.proto === 'gre' && l.fields.get(GRE_PROTO) === 0x6558)) this.counts.tebWithoutKey++;
      return;
    }
    this.counts.nvgre++;
    const outer = lastBefore(layers, nv, isIp);
    const pa = outer < 0 ? null : endpoints(layers[outer]);
    const innerEth = layers[nv + 1];
    if (pa === null || innerEth?.proto !== 'eth' || innerEth.cut) return;
    const vsid = f(layers[nv], NVGRE_VSID);
    const seen = instantOf(pkt.frame);
    const at = firstAfter(layers, nv + 1, isIpOrArp, innerEth.depth);
    const inner = at < 0 ? undefined : layers[at];
    const ca = inner === undefined ? null : endpoints(inner);
    if (ca !== null) {
      const mac = f(innerEth, ETH_DST);
      if (isUnicast(ca[1]) && !isGroupMac(mac)) note(this.records, vsid, ca[1], mac, pa[1], seen, pkt.frame.number, key, 'dst-side', this.file);
      else this.counts.groupDestination++;
    } else if (inner?.proto === 'arp' && inner.fields.has(ARP_SRC_PROTO_IPV4)) {
      const sender = { ca: f(inner, ARP_SRC_PROTO_IPV4), mac: f(inner, ARP_SRC_HW_MAC), pa: pa[0], seen, frame: pkt.frame.number, key, file: this.file };
      // An ARP probe (RFC 5227) says 0.0.0.0: it announces no address yet.
      if (isUnicast(sender.ca) && !isGroupMac(sender.mac)) this.arpSenders.push(sender);
    }
  }

  /** The next capture starts: its PktGroupIds are its own, and its records are kept apart (another host's view). */
  nextFile(name: string): void {
    this.file = this.files.length;
    this.files.push(name);
  }

  /** The records, sorted by VSID then CA (then PA, MAC), with what ARP could place added. */
  result(): { records: LookupRecord[]; conflicts: Conflict[]; unplacedArp: number } {
    const all = new Map([...this.records].map(([k, r]) => [k, { ...r, packets: r.packets.copy(), sources: new Set(r.sources) }]));
    const vsidsOf = new Map<AddressKey, Set<number>>();
    for (const r of all.values()) {
      if (!vsidsOf.has(r.ca)) vsidsOf.set(r.ca, new Set());
      vsidsOf.get(r.ca)!.add(r.vsid);
    }
    let unplacedArp = 0;
    for (const a of this.arpSenders) {
      const vsids = vsidsOf.get(a.ca);
      if (vsids?.size === 1) note(all, [...vsids][0], a.ca, a.mac, a.pa, a.seen, a.frame, a.key, 'arp', a.file);
      else unplacedArp++;
    }
    const records = [...all.values()].sort(
      (a, b) => a.vsid - b.vsid || compareAddresses(a.ca, b.ca) || compareAddresses(a.pa, b.pa) || a.mac - b.mac || a.file - b.file,
    );
    return { records, conflicts: conflicts(records), unplacedArp };
  }
}

function note(
  records: Map<string, LookupRecord>,
  vsid: number,
  ca: AddressKey,
  mac: number,
  pa: AddressKey,
  seen: Instant,
  frame: number,
  packet: PacketKey | undefined,
  source: 'dst-side' | 'arp',
  file: number,
): void {
  const key = `${vsid}/${ca}/${mac}/${pa}/${file}`;
  const r = records.get(key);
  if (r === undefined) {
    const packets = new PacketCount();
    packets.add(packet);
    records.set(key, { vsid, ca, mac, pa, frames: 1, packets, first: seen, last: seen, firstFrame: frame, lastFrame: frame, sources: new Set([source]), file });
    return;
  }
  r.frames++;
  r.packets.add(packet);
  r.sources.add(source);
  if (later(seen, r.last)) r.last = seen;
  if (later(r.first, seen)) r.first = seen;
  r.firstFrame = Math.min(r.firstFrame, frame);
  r.lastFrame = Math.max(r.lastFrame, frame);
}

function groupBy<K>(records: LookupRecord[], key: (r: LookupRecord) => K): Map<K, LookupRecord[]> {
  const groups = new Map<K, LookupRecord[]>();
  for (const r of records) {
    const k = key(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return groups;
}

const distinct = (rs: LookupRecord[], key: (r: LookupRecord) => AddressKey): number => new Set(rs.map(key)).size;
const byLastSeen = (rs: LookupRecord[]): LookupRecord[] => [...rs].sort((a, b) => (later(a.last, b.last) ? 1 : later(b.last, a.last) ? -1 : 0));

/**
 * The three inconsistencies of a lookup table: one CA in one VSID behind two PAs (a live
 * migration, or a stale record), one CA MAC under two VSIDs, one CA IP with two MACs in a VSID.
 */
export function conflicts(records: LookupRecord[]): Conflict[] {
  const out: Conflict[] = [];
  for (const rs of groupBy(records, (r) => `${r.vsid}/${r.ca}`).values()) {
    const { vsid, ca } = rs[0];
    if (distinct(rs, (r) => r.pa) > 1) out.push({ kind: 'ca_two_pas', vsid, ca, records: byLastSeen(rs) });
    if (distinct(rs, (r) => r.mac) > 1) out.push({ kind: 'ca_two_macs', vsid, ca, records: byLastSeen(rs) });
  }
  for (const rs of groupBy(records, (r) => r.mac).values()) {
    if (distinct(rs, (r) => r.vsid) > 1) out.push({ kind: 'mac_two_vsids', mac: rs[0].mac, records: byLastSeen(rs) });
  }
  return out;
}
