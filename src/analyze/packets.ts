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

/** Keys are split here: below it, small integers, which a Set hashes fast and holds unboxed. */
const LOW = 2 ** 30;
const LOW_MASK = BigInt(LOW - 1);

/**
 * Frames and packets counted side by side: pktmon logs a packet at each component it crosses,
 * all its appearances under one PktGroupId, so a packet is counted once however many frames it
 * has. Every other frame is a packet of its own. Memory: one entry per pktmon packet counted.
 */
export class PacketCount {
  frames = 0;
  packets = 0;
  /**
   * The keys counted: their low 30 bits, by the bits above. A Set of the whole keys (numbers
   * about 2^49, each boxed) was most of what a --stats run over a pktmon trace cost more than one
   * over a pcap. The high parts never collide: a number key's is below 2^23, a bigint's of the
   * first capture below 2^34, a later capture's from 2^34 (exact for 2^19 captures).
   */
  private groups: Map<number, Set<number>> | null = null;
  /** The last high part and its low parts: a capture's PktGroupIds share one for 2^30 packets. */
  private high = -1;
  private lows: Set<number> | null = null;

  /** Counts a frame by its packetKey; true when it is a packet not counted before. */
  add(key: PacketKey | undefined): boolean {
    this.frames++;
    if (key !== undefined) {
      const high = typeof key === 'number' ? Math.floor(key / LOW) : Number(key >> 30n);
      const low = typeof key === 'number' ? key - high * LOW : Number(key & LOW_MASK);
      const lows = high === this.high ? (this.lows as Set<number>) : this.lowsOf(high);
      if (lows.has(low)) return false;
      lows.add(low);
    }
    this.packets++;
    return true;
  }

  private lowsOf(high: number): Set<number> {
    this.groups ??= new Map();
    let lows = this.groups.get(high);
    if (lows === undefined) this.groups.set(high, (lows = new Set()));
    this.high = high;
    this.lows = lows;
    return lows;
  }

  /** Some frame carried a pktmon PktGroupId: packets and frames may differ, and outputs say both. */
  get grouped(): boolean {
    return this.groups !== null;
  }

  copy(): PacketCount {
    const c = new PacketCount();
    c.frames = this.frames;
    c.packets = this.packets;
    if (this.groups !== null) c.groups = new Map([...this.groups].map(([high, lows]) => [high, new Set(lows)]));
    return c;
  }
}
