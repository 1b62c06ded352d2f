/** An IPv4 address as a number, an IPv6 address as its 16 bytes. */
export type Address = number | Uint8Array;

const TH_SYN = 0x02;
const TH_ACK = 0x10;

/** 32-bit FNV-1a step over one more number. */
const mix = (h: number, x: number): number => Math.imul(h ^ x, 0x01000193) >>> 0;

function addressHash(a: Address): number {
  if (typeof a === 'number') return a;
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i += 4) h = mix(h, (a[i] << 24) | (a[i + 1] << 16) | (a[i + 2] << 8) | a[i + 3]);
  return h;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `a` is the address kept as `v4` (NaN for IPv6) or `v6` (undefined for IPv4). */
const isAddress = (a: Address, v4: number, v6: Uint8Array | undefined): boolean =>
  typeof a === 'number' ? a === v4 : v6 !== undefined && sameBytes(a, v6);

/** Buckets of a new table; it doubles whenever it holds more conversations than buckets. */
const FIRST_BUCKETS = 1024;

/**
 * The conversations of one protocol (TCP or UDP) in one capture, numbered 0, 1, ... in order of
 * first appearance as tshark's tcp.stream and udp.stream are: keyed by both endpoints, addresses of
 * the IP header that carries the segment (the tenant's inside a tunnel) and ports, in either order.
 * The key is a number hashed from the endpoints, in either order alike: no text is made per frame.
 *
 * A conversation is an index (its stream) into typed arrays, its bucket an index into another,
 * of its newest conversation, chained to older ones; a conversation restarted on the same
 * endpoints (port reuse) is newer, so it is found first. A Map of conversation objects cost a
 * lookup and a cache miss on an object per TCP or UDP frame (5% of a run); these arrays are read
 * in place, the hash first.
 */
class Table {
  count = 0;
  /** Bucket -> its newest conversation, or -1. */
  private heads = new Int32Array(FIRST_BUCKETS).fill(-1);
  /** 32 less log2 of the buckets: a bucket is the top bits of the hash times 2^32/phi. */
  private shift = 32 - Math.log2(FIRST_BUCKETS);
  /** Per conversation (as many as buckets, at most): its hash, the next in its bucket. */
  private hashes = new Int32Array(FIRST_BUCKETS);
  private nexts = new Int32Array(FIRST_BUCKETS);
  /** Its ports, as portA << 16 | portB. */
  private ports = new Int32Array(FIRST_BUCKETS);
  /** IPv4 endpoints, NaN for IPv6 ones (whose bytes are in v6A and v6B). */
  private v4A = new Float64Array(FIRST_BUCKETS);
  private v4B = new Float64Array(FIRST_BUCKETS);
  private readonly v6A: (Uint8Array | undefined)[] = [];
  private readonly v6B: (Uint8Array | undefined)[] = [];
  /** The first sequence number of each direction (A to B, B to A), or -1 while unknown. */
  baseA = new Float64Array(FIRST_BUCKETS);
  baseB = new Float64Array(FIRST_BUCKETS);

  /** Set by find(): whether the frame goes from the conversation's first endpoint to its second. */
  fromA = true;

  /** The conversation's index: its stream. */
  find(src: Address, sport: number, dst: Address, dport: number): number {
    const h = hash(src, sport, dst, dport);
    const forward = (sport << 16) | dport;
    const backward = (dport << 16) | sport;
    for (let i = this.heads[this.bucket(h)]; i >= 0; i = this.nexts[i]) {
      if (this.hashes[i] !== h) continue;
      const ports = this.ports[i];
      this.fromA = ports === forward && isAddress(src, this.v4A[i], this.v6A[i]) && isAddress(dst, this.v4B[i], this.v6B[i]);
      if (this.fromA || (ports === backward && isAddress(dst, this.v4A[i], this.v6A[i]) && isAddress(src, this.v4B[i], this.v6B[i]))) return i;
    }
    return this.start(src, sport, dst, dport);
  }

  /** A new conversation between the endpoints, found first from now on (tshark's port reuse). */
  start(src: Address, sport: number, dst: Address, dport: number): number {
    const i = this.count;
    if (i === this.heads.length) this.grow();
    this.count++;
    this.hashes[i] = hash(src, sport, dst, dport);
    this.ports[i] = (sport << 16) | dport;
    // Frame bytes are views into a reused buffer: an IPv6 address is copied.
    this.v4A[i] = typeof src === 'number' ? src : Number.NaN;
    this.v4B[i] = typeof dst === 'number' ? dst : Number.NaN;
    this.v6A[i] = typeof src === 'number' ? undefined : src.slice();
    this.v6B[i] = typeof dst === 'number' ? undefined : dst.slice();
    this.baseA[i] = -1;
    this.baseB[i] = -1;
    this.link(i);
    this.fromA = true;
    return i;
  }

  /** Puts conversation i at the head of its bucket. */
  private link(i: number): void {
    const b = this.bucket(this.hashes[i]);
    this.nexts[i] = this.heads[b];
    this.heads[b] = i;
  }

  /**
   * The hash's top bits, mixed from all of them: its low bits alone come from the addresses' last
   * octets and the ports, which many conversations share.
   */
  private bucket(h: number): number {
    return Math.imul(h, 0x9e3779b1) >>> this.shift;
  }

  /** Twice the room, relinked oldest first, so that each bucket keeps its newest at the head. */
  private grow(): void {
    const n = this.heads.length * 2;
    this.heads = new Int32Array(n).fill(-1);
    this.shift--;
    this.hashes = grown(this.hashes, n);
    this.nexts = new Int32Array(n);
    this.ports = grown(this.ports, n);
    this.v4A = grown(this.v4A, n);
    this.v4B = grown(this.v4B, n);
    this.baseA = grown(this.baseA, n);
    this.baseB = grown(this.baseB, n);
    for (let i = 0; i < this.count; i++) this.link(i);
  }
}

function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Either direction hashes alike: the two endpoints' hashes are combined in their numeric order. */
function hash(src: Address, sport: number, dst: Address, dport: number): number {
  const hs = mix(addressHash(src), sport);
  const hd = mix(addressHash(dst), dport);
  // 30 bits: a small integer, never a boxed number, whatever the call.
  return (hs < hd ? mix(hs, hd) : mix(hd, hs)) & 0x3fffffff;
}

/** What TCP shows of its conversation: the stream, and seq/ack relative to each direction's first. */
export interface TcpPosition {
  stream: number;
  seq: number;
  ack: number;
}

/**
 * What decoders ask of a capture's conversations. Conversations answers from its tables; on a
 * worker thread a replay repeats the answers it gave the ordered pass (src/decode/tape.ts).
 */
export interface ConversationState {
  udp(src: Address, sport: number, dst: Address, dport: number): number;
  /** The answer is reused: read it before the next call. */
  tcp(src: Address, sport: number, dst: Address, dport: number, seq: number, ack: number, flags: number): TcpPosition;
}

/**
 * TCP and UDP conversations across the frames of one capture, one instance per capture (as the
 * Reassembler is): tshark's stream indexes and relative sequence numbers depend on every earlier frame.
 */
export class Conversations implements ConversationState {
  private readonly tcpTable = new Table();
  private readonly udpTable = new Table();
  /** Reused for every segment: the answer is read before the next one. */
  private readonly position: TcpPosition = { stream: 0, seq: 0, ack: 0 };

  udp(src: Address, sport: number, dst: Address, dport: number): number {
    return this.udpTable.find(src, sport, dst, dport);
  }

  /**
   * tshark 4.0's rules (packet-tcp.c): a direction's base is the sequence number of its SYN, or
   * one less than its first segment's; the other direction's base, while unknown, is one less than
   * the first ACK number with the ACK flag; without the flag the ACK number is shown as it is. A
   * SYN (without ACK) whose number is not its direction's base starts a new stream on the same ports.
   */
  tcp(src: Address, sport: number, dst: Address, dport: number, seq: number, ack: number, flags: number): TcpPosition {
    const table = this.tcpTable;
    let conv = table.find(src, sport, dst, dport);
    const base = table.fromA ? table.baseA[conv] : table.baseB[conv];
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && base >= 0 && seq !== base) conv = table.start(src, sport, dst, dport);
    const ownBases = table.fromA ? table.baseA : table.baseB;
    const otherBases = table.fromA ? table.baseB : table.baseA;
    let own = ownBases[conv];
    if (own < 0) own = ownBases[conv] = (flags & TH_SYN) !== 0 ? seq : (seq - 1) >>> 0;
    const hasAck = (flags & TH_ACK) !== 0;
    let other = otherBases[conv];
    if (other < 0 && hasAck) other = otherBases[conv] = (ack - 1) >>> 0;
    const p = this.position;
    p.stream = conv;
    p.seq = (seq - own) >>> 0;
    p.ack = hasAck ? (ack - other) >>> 0 : ack;
    return p;
  }
}
