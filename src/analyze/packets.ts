import type { EtwPacketInfo, PktGroupId } from '../capture/etw-packet.js';

/** A packet's name across its frames (packetKey). */
export type PacketKey = PktGroupId;

/**
 * What names a packet across its frames: its PktGroupId, in the `file`-th capture read (two
 * hosts' traces number their packets alike); undefined for a frame without one, a packet of its own.
 */
export function packetKey(e: EtwPacketInfo | undefined, file: number): PacketKey | undefined {
  if (e === undefined || e.provider === 'ndis') return undefined;
  if (file === 0) return e.pktGroupId;
  return (BigInt(file) << 64n) | BigInt(e.pktGroupId);
}

/** Keys are split here: below it, small integers. */
const LOW = 2 ** 30;
const LOW_MASK = BigInt(LOW - 1);
/** Keys a leaf holds: one bit each, so its mask stays below 2^30, a small integer a Map holds unboxed. */
const LEAF = 30;

/**
 * Frames and packets counted side by side: pktmon logs a packet at each component it crosses,
 * all its appearances under one PktGroupId, so a packet is counted once however many frames it
 * has. Every other frame is a packet of its own. Memory: at most one entry per pktmon packet
 * counted, one per 30 when they come one after another.
 */
export class PacketCount {
  frames = 0;
  packets = 0;
  /**
   * The keys counted, as bits: by the key's bits above 2^30, leaves of LEAF keys (by the low
   * bits / LEAF), each the mask of those counted. The high parts never collide: a number key's is
   * below 2^23, a bigint's of the first capture below 2^34, a later capture's from 2^34 (exact for
   * 2^19 captures). pktmon numbers packets one after another, so a key mostly falls in the leaf of
   * the one before, which is kept in hand (and written back when another is needed): a Set of the
   * keys (numbers about 2^49, each boxed) was most of what a --stats run over a pktmon trace cost
   * more than one over a pcap.
   */
  private groups: Map<number, Map<number, number>> | null = null;
  /** The leaf in hand: its high part, the leaves under it, its index and its mask. */
  private high = -1;
  private leaves: Map<number, number> | null = null;
  private leaf = -1;
  private mask = 0;

  /** Counts a frame by its packetKey; true when it is a packet not counted before. */
  add(key: PacketKey | undefined): boolean {
    this.frames++;
    if (key !== undefined) {
      const high = typeof key === 'number' ? Math.floor(key / LOW) : Number(key >> 30n);
      const low = typeof key === 'number' ? key - high * LOW : Number(key & LOW_MASK);
      const leaf = (low / LEAF) | 0;
      if (leaf !== this.leaf || high !== this.high) this.take(high, leaf);
      const bit = 1 << (low - leaf * LEAF);
      if ((this.mask & bit) !== 0) return false;
      this.mask |= bit;
    }
    this.packets++;
    return true;
  }

  /** Writes the leaf in hand back, and takes leaf `leaf` of `high` in hand. */
  private take(high: number, leaf: number): void {
    this.leaves?.set(this.leaf, this.mask);
    this.groups ??= new Map();
    if (high !== this.high || this.leaves === null) {
      let leaves = this.groups.get(high);
      if (leaves === undefined) this.groups.set(high, (leaves = new Map()));
      this.leaves = leaves;
      this.high = high;
    }
    this.leaf = leaf;
    this.mask = this.leaves.get(leaf) ?? 0;
  }

  /** Some frame carried a pktmon PktGroupId: packets and frames may differ, and outputs say both. */
  get grouped(): boolean {
    return this.groups !== null;
  }

  copy(): PacketCount {
    this.leaves?.set(this.leaf, this.mask);
    const c = new PacketCount();
    c.frames = this.frames;
    c.packets = this.packets;
    if (this.groups !== null) c.groups = new Map([...this.groups].map(([high, leaves]) => [high, new Map(leaves)]));
    return c;
  }
}

/** Consecutive keys a page of SharedPackets holds: 256 bytes, a Map entry's few times. */
const PAGE = 64;

/**
 * Packets counted once in each of many counts kept side by side (the subnets of --stats), with
 * one slot per packet shared by them all: the count that took it first. A subnet's own keys are
 * sparse (the other subnets' packets come between them), so a count of its own, as PacketCount,
 * looked a leaf up in a Map for every frame; the shared slots are pages of consecutive keys, the
 * page in hand holding the next key's slot 63 times in 64. A packet counted in a second count
 * too (its VSID rewritten between appearances) is remembered in that count's own set.
 * Memory: 4 bytes a packet when its keys come one after another (pktmon's do), a page at worst.
 */
export class SharedPackets {
  private readonly pages = new Map<number | bigint, Int32Array>();
  /** The page in hand and its number. */
  private pageKey: number | bigint = -1;
  private page: Int32Array = new Int32Array(PAGE);
  private counts = 0;
  /** Per count: the packets it took after another count had. */
  private readonly more = new Map<number, Set<PacketKey>>();

  /** A new count among them. */
  count(): SharedPacketCount {
    return new SharedPacketCount(this, ++this.counts);
  }

  /** Whether count `member` (from 1) takes `key` for the first time. */
  take(key: PacketKey, member: number): boolean {
    let slot: number;
    if (typeof key === 'number') {
      const page = Math.floor(key / PAGE);
      if (page !== this.pageKey) this.turn(page);
      slot = key - page * PAGE;
    } else {
      const page = key / BigInt(PAGE);
      if (page !== this.pageKey) this.turn(page);
      slot = Number(key % BigInt(PAGE));
    }
    const owner = this.page[slot];
    if (owner === member) return false;
    if (owner === 0) {
      this.page[slot] = member;
      return true;
    }
    let keys = this.more.get(member);
    if (keys === undefined) this.more.set(member, (keys = new Set()));
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }

  private turn(pageKey: number | bigint): void {
    let page = this.pages.get(pageKey);
    if (page === undefined) this.pages.set(pageKey, (page = new Int32Array(PAGE)));
    this.pageKey = pageKey;
    this.page = page;
  }
}

/** One count of SharedPackets: its frames, and the packets among them. */
export class SharedPacketCount {
  frames = 0;
  packets = 0;

  constructor(
    private readonly shared: SharedPackets,
    private readonly member: number,
  ) {}

  /** Counts a frame by its packetKey; true when it is a packet this count had not counted. */
  add(key: PacketKey | undefined): boolean {
    this.frames++;
    if (key !== undefined && !this.shared.take(key, this.member)) return false;
    this.packets++;
    return true;
  }
}
