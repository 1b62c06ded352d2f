import type { Fields } from './field-store.js';
import type { WarningCode } from './warnings.js';

/** Bounds that keep memory flat whatever the capture: a fragment flood costs at most this. */
export const MAX_PENDING_DATAGRAMS = 256;
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/**
 * Fragments held at once, over all pending datagrams: 8192 is the most one 65535-byte datagram
 * can honestly be cut into (8 bytes each). Without it zero-length or repeated pieces grew the
 * lists (and the time per piece) without end.
 */
export const MAX_PENDING_PIECES = 8192;
/** Fragments of one datagram further apart than this (capture time) are not put together. */
export const FRAGMENT_TIMEOUT_SECONDS = 30;
const MAX_DATAGRAM = 65535;
/** A datagram's buffer starts this large (or as large as its furthest piece) and doubles. */
const FIRST_CAPACITY = 2048;

interface Pending {
  /** How messages name the datagram: "IPv4 datagram id 0x0101". */
  label: string;
  /** The bytes received, at their offsets (a copy: frame bytes are only views); empty when bytes are not kept. */
  data: Uint8Array;
  /** Byte ranges received, sorted and merged (touching ones too): [start0, end0, start1, end1, ...]. */
  covered: number[];
  /** Each piece's offset and frame, in arrival order. */
  offsets: number[];
  frames: number[];
  /** Known once the last fragment (no MF) is seen. */
  total: number;
  /** The furthest byte a piece reached. */
  reach: number;
  firstSeen: number;
  /** The frame holding the piece at offset 0, once seen (0 before). */
  firstFrame: number;
  /** The NVGRE header the first fragment carries, for the later fragments to name. */
  tenant: Fields | null;
}

/** What a piece taken in can say about its datagram. */
interface Taken {
  /** The frame of the datagram's first fragment (offset 0), 0 while it has not been seen. */
  firstFrame: number;
  /** The NVGRE header that first fragment carries, once it has been decoded. */
  tenant: Fields | null;
  /** Set when this piece repeats bytes already received, identically. */
  overlap: string | null;
}

export type FragmentResult =
  | (Taken & { kind: 'pending'; datagram: null })
  | (Taken & {
      kind: 'complete';
      /** The datagram, or null when bytes are not kept (only the pieces are counted). */
      datagram: Uint8Array | null;
      /** The frame of each piece, in offset order, as tshark lists them. */
      frames: number[];
      length: number;
    })
  /** This piece ended the datagram (conflicting bytes or ends) or was not taken (past 65535 bytes). */
  | { kind: 'dropped'; code: WarningCode; reason: string };

export const NONE_DROPPED: readonly string[] = [];

/**
 * What decoders ask of a capture's fragments. The Reassembler answers from the pieces it holds; on
 * a worker thread a replay repeats the answers it gave the ordered pass (src/decode/tape.ts).
 */
export interface FragmentState {
  add(key: string, label: string, offset: number, payload: Uint8Array, more: boolean, frame: number, time: number): FragmentResult;
  learn(key: string, tenant: Fields): void;
  takeDropped(): readonly string[];
}

/**
 * IPv4 and IPv6 fragment reassembly, one instance per capture. A datagram is put together when
 * its pieces cover it with no gap; memory is bounded by datagram, byte and piece counts, and stale
 * datagrams expire by capture time. A piece costs a binary search of the ranges received and a
 * comparison of the bytes it repeats: in-order pieces, the usual case, extend the last range.
 * Overlaps whose bytes agree are noted; bytes that disagree drop the datagram, as RFC 5722 asks
 * for IPv6 and Linux does for both: which copy a receiver keeps differs between stacks, so no
 * single reading would be the one the host saw. What it gives up on is reported, to warn.
 */
export class Reassembler implements FragmentState {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private pendingPieces = 0;
  /** Reasons datagrams were dropped since the last call to takeDropped(). */
  private dropped: string[] = [];

  /** `keepBytes` false counts pieces and learns from first fragments without holding any payload. */
  constructor(private readonly keepBytes = true) {}

  add(key: string, label: string, offset: number, payload: Uint8Array, more: boolean, frame: number, time: number): FragmentResult {
    this.expire(time);
    const end = offset + payload.length;
    if (end > MAX_DATAGRAM) {
      return { kind: 'dropped', code: 'ip.reassembly_dropped', reason: `fragment ends at byte ${end}, past the 65535-byte maximum` };
    }
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { label, data: EMPTY, covered: [], offsets: [], frames: [], total: -1, reach: 0, firstSeen: time, firstFrame: 0, tenant: null };
      this.pending.set(key, entry);
    }
    const badEnd = !more
      ? entry.total >= 0 && entry.total !== end
        ? `a second last fragment ends at byte ${end}, the first at ${entry.total}`
        : entry.reach > end
          ? `the last fragment ends at byte ${end}, an earlier piece at ${entry.reach}`
          : null
      : entry.total >= 0 && end > entry.total
        ? `a fragment ends at byte ${end}, past the last fragment's end at ${entry.total}`
        : null;
    if (badEnd !== null) return this.drop(key, entry, 'ip.reassembly_dropped', `${badEnd}: dropped`);
    const placed = this.place(entry, offset, payload);
    if (placed === CONFLICT) {
      return this.drop(key, entry, 'ip.fragment_overlap_conflict', `byte ${this.conflictAt} differs from the one an earlier piece gave: dropped`);
    }
    const overlap = placed > 0 ? `${placed} of its bytes (${offset}-${end - 1}) were already received${this.keepBytes ? ', the same' : ''}` : null;
    entry.offsets.push(offset);
    entry.frames.push(frame);
    this.pendingPieces++;
    if (offset === 0 && entry.firstFrame === 0) entry.firstFrame = frame;
    if (!more) entry.total = end;
    if (end > entry.reach) entry.reach = end;
    const c = entry.covered;
    if (entry.total === 0 || (entry.total > 0 && c.length === 2 && c[0] === 0 && c[1] === entry.total)) {
      this.forget(key, entry);
      const data = this.keepBytes ? entry.data.subarray(0, entry.total) : null;
      return { kind: 'complete', datagram: data, frames: framesByOffset(entry), length: entry.total, firstFrame: entry.firstFrame, tenant: entry.tenant, overlap };
    }
    this.bound();
    return { kind: 'pending', datagram: null, firstFrame: entry.firstFrame, tenant: entry.tenant, overlap };
  }

  /** The NVGRE header decoded from a datagram's first fragment, for its later fragments to carry: a copy is kept. */
  learn(key: string, tenant: Fields): void {
    const entry = this.pending.get(key);
    if (entry !== undefined) entry.tenant ??= tenant.copy();
  }

  /** Datagrams given up since the last call (expired, or evicted to stay within bounds). */
  takeDropped(): readonly string[] {
    // Asked once per frame, and nearly always there is nothing: no new array then.
    if (this.dropped.length === 0) return NONE_DROPPED;
    const d = this.dropped;
    this.dropped = [];
    return d;
  }

  /** Where the last CONFLICT was found. */
  private conflictAt = 0;

  /**
   * Records [offset, offset + length) as received and keeps its bytes. Returns how many of them
   * had been received before (identical), or CONFLICT (conflictAt says where) with nothing changed.
   */
  private place(entry: Pending, offset: number, payload: Uint8Array): number {
    const end = offset + payload.length;
    if (end === offset) return 0;
    const c = entry.covered;
    // The first range that ends at or after `offset`: every one from there that starts at or before `end` merges.
    let lo = 0;
    let hi = c.length >> 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[2 * mid + 1] < offset) lo = mid + 1;
      else hi = mid;
    }
    let repeated = 0;
    let last = lo;
    for (; 2 * last < c.length && c[2 * last] <= end; last++) {
      const from = Math.max(offset, c[2 * last]);
      const to = Math.min(end, c[2 * last + 1]);
      if (to <= from) continue; // touching, not overlapping
      repeated += to - from;
      if (!this.keepBytes) continue;
      for (let i = from; i < to; i++) {
        if (entry.data[i] !== payload[i - offset]) {
          this.conflictAt = i;
          return CONFLICT;
        }
      }
    }
    const start = last > lo ? Math.min(offset, c[2 * lo]) : offset;
    const stop = last > lo ? Math.max(end, c[2 * last - 1]) : end;
    if (last === lo + 1) {
      c[2 * lo] = start;
      c[2 * lo + 1] = stop;
    } else c.splice(2 * lo, 2 * (last - lo), start, stop);
    if (this.keepBytes) {
      if (entry.data.length < end) this.grow(entry, end);
      entry.data.set(payload, offset);
    }
    return repeated;
  }

  private grow(entry: Pending, end: number): void {
    const data = new Uint8Array(Math.min(MAX_DATAGRAM, Math.max(end, 2 * entry.data.length, FIRST_CAPACITY)));
    data.set(entry.data);
    this.pendingBytes += data.length - entry.data.length;
    entry.data = data;
  }

  private drop(key: string, entry: Pending, code: WarningCode, reason: string): FragmentResult {
    this.forget(key, entry);
    return { kind: 'dropped', code, reason: entry.frames.length === 0 ? reason : `${describe(entry)}: ${reason}` };
  }

  private forget(key: string, entry: Pending): void {
    this.pending.delete(key);
    this.pendingBytes -= entry.data.length;
    this.pendingPieces -= entry.frames.length;
  }

  private expire(time: number): void {
    for (const [key, entry] of this.pending) {
      if (time - entry.firstSeen <= FRAGMENT_TIMEOUT_SECONDS) break; // insertion order: oldest first
      this.forget(key, entry);
      this.dropped.push(`${describe(entry)} incomplete after ${FRAGMENT_TIMEOUT_SECONDS} s, dropped`);
    }
  }

  private bound(): void {
    while (this.pending.size > MAX_PENDING_DATAGRAMS || this.pendingBytes > MAX_PENDING_BYTES || this.pendingPieces > MAX_PENDING_PIECES) {
      const [key, entry] = this.pending.entries().next().value as [string, Pending];
      this.forget(key, entry);
      this.dropped.push(
        `${describe(entry)} dropped: more than ${MAX_PENDING_DATAGRAMS} datagrams, ${MAX_PENDING_BYTES} bytes or ${MAX_PENDING_PIECES} fragments pending`,
      );
    }
  }
}

const EMPTY = new Uint8Array(0);
const CONFLICT = -1;

/** The frames of the pieces sorted by offset, arrival order among equal offsets: once per datagram. */
function framesByOffset(entry: Pending): number[] {
  const order = entry.offsets.map((_, i) => i).sort((a, b) => entry.offsets[a] - entry.offsets[b] || a - b);
  return order.map((i) => entry.frames[i]);
}

/** "IPv4 datagram id 0x0101 (pieces in frames #7, #9)": enough to find it in the capture. */
function describe(entry: Pending): string {
  const frames = [...new Set(entry.frames)];
  const shown = frames.length > 8 ? `${frames.slice(0, 8).map((f) => `#${f}`).join(', ')} and ${frames.length - 8} more` : frames.map((f) => `#${f}`).join(', ');
  return `${entry.label} (pieces in frames ${shown})`;
}
