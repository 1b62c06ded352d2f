/** An IPv4 address as a number, an IPv6 address as its 16 bytes. */
export type Address = number | Uint8Array;

/** One conversation: two endpoints, the stream index tshark gives it, and TCP's sequence bases. */
interface Conversation {
  addrA: Address;
  portA: number;
  addrB: Address;
  portB: number;
  stream: number;
  /** The first sequence number of each direction (A to B, B to A), or -1 while unknown. */
  baseA: number;
  baseB: number;
  /** Another conversation whose endpoints hash alike. */
  next: Conversation | null;
}

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

function sameAddress(a: Address, b: Address): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The conversations of one protocol (TCP or UDP) in one capture, numbered 0, 1, ... in order of
 * first appearance as tshark's tcp.stream and udp.stream are: keyed by both endpoints, addresses of
 * the IP header that carries the segment (the tenant's inside a tunnel) and ports, in either order.
 * The key is a number hashed from the endpoints, in either order alike: no text is made per frame.
 */
class Table {
  private readonly byHash = new Map<number, Conversation>();
  private count = 0;

  /** Set by find(): whether the frame goes from the conversation's first endpoint to its second. */
  fromA = true;

  find(src: Address, sport: number, dst: Address, dport: number): Conversation {
    for (let c = this.byHash.get(hash(src, sport, dst, dport)) ?? null; c !== null; c = c.next) {
      this.fromA = c.portA === sport && c.portB === dport && sameAddress(c.addrA, src) && sameAddress(c.addrB, dst);
      if (this.fromA || (c.portA === dport && c.portB === sport && sameAddress(c.addrA, dst) && sameAddress(c.addrB, src))) return c;
    }
    return this.start(src, sport, dst, dport);
  }

  /** A new conversation between the endpoints, found first from now on (tshark's port reuse). */
  start(src: Address, sport: number, dst: Address, dport: number): Conversation {
    const h = hash(src, sport, dst, dport);
    // Frame bytes are views into a reused buffer: an IPv6 address is copied.
    const own = (a: Address): Address => (typeof a === 'number' ? a : a.slice());
    const conv: Conversation = { addrA: own(src), portA: sport, addrB: own(dst), portB: dport, stream: this.count++, baseA: -1, baseB: -1, next: this.byHash.get(h) ?? null };
    this.byHash.set(h, conv);
    this.fromA = true;
    return conv;
  }
}

/** Either direction hashes alike: the two endpoints' hashes are combined in their numeric order. */
function hash(src: Address, sport: number, dst: Address, dport: number): number {
  const hs = mix(addressHash(src), sport);
  const hd = mix(addressHash(dst), dport);
  // 30 bits: a small integer, which a Map hashes fastest.
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
    return this.udpTable.find(src, sport, dst, dport).stream;
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
    const base = table.fromA ? conv.baseA : conv.baseB;
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && base >= 0 && seq !== base) conv = table.start(src, sport, dst, dport);
    const fromA = table.fromA;
    let own = fromA ? conv.baseA : conv.baseB;
    if (own < 0) {
      own = (flags & TH_SYN) !== 0 ? seq : (seq - 1) >>> 0;
      if (fromA) conv.baseA = own;
      else conv.baseB = own;
    }
    const hasAck = (flags & TH_ACK) !== 0;
    let other = fromA ? conv.baseB : conv.baseA;
    if (other < 0 && hasAck) {
      other = (ack - 1) >>> 0;
      if (fromA) conv.baseB = other;
      else conv.baseA = other;
    }
    const p = this.position;
    p.stream = conv.stream;
    p.seq = (seq - own) >>> 0;
    p.ack = hasAck ? (ack - other) >>> 0 : ack;
    return p;
  }
}
