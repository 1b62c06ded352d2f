import type { Address, ConversationState, TcpPosition } from './conversations.js';
import { Fields } from './field-store.js';
import { type FragmentResult, type FragmentState, NONE_DROPPED } from './reassembly.js';

/**
 * The answers a capture's state (its conversations and fragments) gave while frames were decoded
 * in order, so that a worker thread can decode the same frames again, batch by batch in any
 * order, and get the same layers without holding the state: tcp.stream, relative tcp.seq and a
 * reassembled datagram depend on every frame before. Decoding is deterministic, so a frame asks
 * the same questions in the same order both times and the answers are read back in turn. The
 * recorders wrap the live objects and the replays hold none of their logic: one interface each
 * (ConversationState, FragmentState), one implementation of it. Numbers (every TCP and UDP
 * header asks) go in a number array; objects (fragments, rare) in another.
 */
export class Tape {
  constructor(
    public nums: number[] = [],
    public objs: unknown[] = [],
  ) {}

  private numAt = 0;
  private objAt = 0;
  private numMark = 0;
  private objMark = 0;

  /** Before a frame is decoded: where rewind() goes back to. */
  mark(): void {
    this.numMark = this.nums.length;
    this.objMark = this.objs.length;
  }

  /** Forgets what the frame since mark() recorded: it is not shown, and no worker decodes it again. */
  rewind(): void {
    this.nums.length = this.numMark;
    this.objs.length = this.objMark;
  }

  /** Hands over what was recorded and starts empty (the next batch's). */
  take(): { nums: number[]; objs: unknown[] } {
    const taken = { nums: this.nums, objs: this.objs };
    this.nums = [];
    this.objs = [];
    this.numMark = this.objMark = 0;
    return taken;
  }

  num(): number {
    return this.nums[this.numAt++];
  }

  obj<T>(): T {
    return this.objs[this.objAt++] as T;
  }
}

export class RecordingConversations implements ConversationState {
  constructor(
    readonly live: ConversationState,
    private readonly tape: Tape,
  ) {}

  udp(src: Address, sport: number, dst: Address, dport: number): number {
    const stream = this.live.udp(src, sport, dst, dport);
    this.tape.nums.push(stream);
    return stream;
  }

  tcp(src: Address, sport: number, dst: Address, dport: number, seq: number, ack: number, flags: number): TcpPosition {
    const at = this.live.tcp(src, sport, dst, dport, seq, ack, flags);
    this.tape.nums.push(at.stream, at.seq, at.ack);
    return at;
  }
}

export class ReplayedConversations implements ConversationState {
  private readonly position: TcpPosition = { stream: 0, seq: 0, ack: 0 };

  constructor(private readonly tape: Tape) {}

  udp(): number {
    return this.tape.num();
  }

  tcp(): TcpPosition {
    const p = this.position;
    p.stream = this.tape.num();
    p.seq = this.tape.num();
    p.ack = this.tape.num();
    return p;
  }
}

export class RecordingFragments implements FragmentState {
  constructor(
    readonly live: FragmentState,
    private readonly tape: Tape,
  ) {}

  add(key: string, label: string, offset: number, payload: Uint8Array, more: boolean, frame: number, time: number): FragmentResult {
    const r = this.live.add(key, label, offset, payload, more, frame, time);
    this.tape.objs.push(r);
    return r;
  }

  learn(key: string, tenant: Fields): void {
    this.live.learn(key, tenant);
  }

  /** Asked once a frame: a count, and the reasons only when there are any. */
  takeDropped(): readonly string[] {
    const dropped = this.live.takeDropped();
    this.tape.nums.push(dropped.length);
    if (dropped.length > 0) this.tape.objs.push(dropped);
    return dropped;
  }
}

export class ReplayedFragments implements FragmentState {
  constructor(private readonly tape: Tape) {}

  add(): FragmentResult {
    const r = this.tape.obj<FragmentResult>();
    // Posted to this thread, the lent NVGRE header kept its own arrays but not its class.
    if (r.kind !== 'dropped' && r.tenant !== null && !(r.tenant instanceof Fields)) Object.setPrototypeOf(r.tenant, Fields.prototype);
    return r;
  }

  /** The answers already carry what the first fragment lent (FragmentResult.tenant). */
  learn(): void {}

  takeDropped(): readonly string[] {
    return this.tape.num() === 0 ? NONE_DROPPED : this.tape.obj<string[]>();
  }
}
