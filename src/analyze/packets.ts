import type { EtwPacketInfo } from '../capture/etw-packet.js';

/** A packet's name across its frames (packetKey). */
export type PacketKey = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * What names a packet across its frames: its PktGroupId, in the `file`-th capture read (two
 * hosts' traces number their packets alike); undefined for a frame without one, a packet of its own.
 * A number in the first capture while it is exact (pktmon's are about 2^49): a Set of numbers
 * costs a fraction of one of BigInts, which took a quarter of a --stats run over a pktmon trace.
 */
export function packetKey(e: EtwPacketInfo | undefined, file: number): PacketKey | undefined {
  if (e === undefined || e.provider === 'ndis') return undefined;
  if (file === 0) return e.pktGroupId <= MAX_SAFE ? Number(e.pktGroupId) : e.pktGroupId;
  return (BigInt(file) << 64n) | e.pktGroupId;
}

/**
 * Frames and packets counted side by side: pktmon logs a packet at each component it crosses,
 * all its appearances under one PktGroupId, so a packet is counted once however many frames it
 * has. Every other frame is a packet of its own. Memory: one entry per pktmon packet counted.
 */
export class PacketCount {
  frames = 0;
  packets = 0;
  private groups: Set<PacketKey> | null = null;

  /** Counts a frame by its packetKey; true when it is a packet not counted before. */
  add(key: PacketKey | undefined): boolean {
    this.frames++;
    if (key !== undefined) {
      this.groups ??= new Set();
      if (this.groups.has(key)) return false;
      this.groups.add(key);
    }
    this.packets++;
    return true;
  }

  /** Some frame carried a pktmon PktGroupId: packets and frames may differ, and outputs say both. */
  get grouped(): boolean {
    return this.groups !== null;
  }

  copy(): PacketCount {
    const c = new PacketCount();
    c.frames = this.frames;
    c.packets = this.packets;
    c.groups = this.groups === null ? null : new Set(this.groups);
    return c;
  }
}
