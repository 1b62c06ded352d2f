import type { EtwPacketInfo } from '../capture/etw-packet.js';

/**
 * Frames and packets counted side by side: pktmon logs a packet at each component it crosses,
 * all its appearances under one PktGroupId, so a packet is counted once however many frames it
 * has. Every other frame is a packet of its own. Memory: one entry per pktmon packet counted.
 */
export class PacketCount {
  frames = 0;
  packets = 0;
  private groups: Set<bigint> | null = null;

  /** Counts a frame by what its trace logged with it (Frame.etw); true when it is a packet not counted before. */
  add(e: EtwPacketInfo | undefined): boolean {
    this.frames++;
    if (e?.provider === 'pktmon') {
      this.groups ??= new Set();
      if (this.groups.has(e.pktGroupId)) return false;
      this.groups.add(e.pktGroupId);
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
