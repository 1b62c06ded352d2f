/** Bounds that keep memory flat whatever the capture: a fragment flood costs at most this. */
export const MAX_PENDING_DATAGRAMS = 256;
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** Fragments of one datagram further apart than this (capture time) are not put together. */
export const FRAGMENT_TIMEOUT_SECONDS = 30;
const MAX_DATAGRAM = 65535;

interface Pending {
  /** How messages name the datagram: "IPv4 id 0x0101". */
  label: string;
  /** Fragment payloads by offset (copies: frame bytes are only views). */
  pieces: { offset: number; bytes: Uint8Array; frame: number }[];
  /** Known once the last fragment (no MF) is seen. */
  total: number;
  bytes: number;
  firstSeen: number;
}

export type FragmentResult =
  | { kind: 'pending' }
  | { kind: 'complete'; datagram: Uint8Array; frames: number[] }
  | { kind: 'refused'; reason: string };

/**
 * IPv4 and IPv6 fragment reassembly, one instance per capture. A datagram is put together when
 * its pieces cover it with no gap; memory is bounded by datagram count and bytes, and stale
 * datagrams expire by capture time. What it gives up on is reported to the caller, to warn.
 */
const NONE_DROPPED: readonly string[] = [];

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  /** Reasons datagrams were dropped since the last call to takeDropped(). */
  private dropped: string[] = [];

  add(key: string, label: string, offset: number, payload: Uint8Array, more: boolean, frame: number, time: number): FragmentResult {
    this.expire(time);
    if (offset + payload.length > MAX_DATAGRAM) {
      return { kind: 'refused', reason: `fragment ends at byte ${offset + payload.length}, past the 65535-byte maximum` };
    }
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { label, pieces: [], total: -1, bytes: 0, firstSeen: time };
      this.pending.set(key, entry);
    }
    entry.pieces.push({ offset, bytes: payload.slice(), frame });
    entry.bytes += payload.length;
    this.pendingBytes += payload.length;
    if (!more) entry.total = offset + payload.length;
    const datagram = entry.total >= 0 ? assemble(entry) : null;
    if (datagram !== null) {
      this.forget(key, entry);
      return { kind: 'complete', datagram, frames: [...new Set(entry.pieces.map((p) => p.frame))] };
    }
    this.bound();
    return { kind: 'pending' };
  }

  /** Datagrams given up since the last call (expired, or evicted to stay within bounds). */
  takeDropped(): readonly string[] {
    // Asked once per frame, and nearly always there is nothing: no new array then.
    if (this.dropped.length === 0) return NONE_DROPPED;
    const d = this.dropped;
    this.dropped = [];
    return d;
  }

  private forget(key: string, entry: Pending): void {
    this.pending.delete(key);
    this.pendingBytes -= entry.bytes;
  }

  private expire(time: number): void {
    for (const [key, entry] of this.pending) {
      if (time - entry.firstSeen <= FRAGMENT_TIMEOUT_SECONDS) break; // insertion order: oldest first
      this.forget(key, entry);
      this.dropped.push(`${describe(entry)} incomplete after ${FRAGMENT_TIMEOUT_SECONDS} s, dropped`);
    }
  }

  private bound(): void {
    while (this.pending.size > MAX_PENDING_DATAGRAMS || this.pendingBytes > MAX_PENDING_BYTES) {
      const [key, entry] = this.pending.entries().next().value as [string, Pending];
      this.forget(key, entry);
      this.dropped.push(`${describe(entry)} dropped: more than ${MAX_PENDING_DATAGRAMS} datagrams or ${MAX_PENDING_BYTES} bytes pending`);
    }
  }
}

/** "IPv4 id 0x0101 (pieces in frames #7)": enough to find it in the capture. */
function describe(entry: Pending): string {
  const frames = [...new Set(entry.pieces.map((p) => `#${p.frame}`))].join(', ');
  return `${entry.label} (pieces in frames ${frames})`;
}

/** The whole datagram when the pieces cover [0, total) without a gap, else null. Later pieces win overlaps. */
function assemble(entry: Pending): Uint8Array | null {
  const sorted = [...entry.pieces].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const piece of sorted) {
    if (piece.offset > covered) return null;
    covered = Math.max(covered, piece.offset + piece.bytes.length);
  }
  if (covered < entry.total) return null;
  const out = new Uint8Array(entry.total);
  for (const piece of entry.pieces) {
    if (piece.offset < entry.total) out.set(piece.bytes.subarray(0, entry.total - piece.offset), piece.offset);
  }
  return out;
}
