import type { EtwPacketInfo } from '../capture/etw-packet.js';
import { type Frame, newFrame } from '../capture/frame.js';
import { Tape } from '../decode/tape.js';
import { CLOCK_STATE, type Clock } from '../format/clock.js';

/**
 * Shown frames gathered on the main thread to be decoded again and written on a worker (--jobs).
 * A batch crosses threads as a few flat buffers, not one object per frame: the frames' bytes in
 * one buffer, their numbers (and the clock each is written with) in one Float64Array, both
 * transferred rather than copied, and the tape of answers the capture's state gave them
 * (src/decode/tape.ts). The reader's Frame and its bytes are reused for the next frame, so each
 * shown frame is copied in: about its size again in memory, for the few batches in flight.
 */
export interface Batch {
  /** Which capture of the command line the frames are of (their JSON "file", summary prefix). */
  file: number;
  count: number;
  bytes: Uint8Array;
  meta: Float64Array;
  /** The frames that carry a comment, an interface name or an ETW record: [place in batch, what]. */
  extras: [number, FrameExtras][];
  nums: number[];
  objs: unknown[];
}

type FrameExtras = Pick<Frame, 'comment' | 'interfaceName' | 'etw'>;

// A frame's numbers in `meta`, then the clock's state (Clock.save()).
const NUMBER = 0;
const START = 1;
const LENGTH = 2;
const CAPLEN = 3;
const ORIG_LEN = 4;
const SEC = 5;
const NSEC = 6;
const DIGITS = 7;
const LINKTYPE = 8;
const FILE_OFFSET = 9;
const SECTION = 10;
const INTERFACE = 11;
const CLOCK = 12;
const STRIDE = CLOCK + CLOCK_STATE;

/** A number field that may be absent: NaN stands for undefined. */
const orNaN = (v: number | undefined): number => v ?? Number.NaN;
const orUndefined = (v: number): number | undefined => (Number.isNaN(v) ? undefined : v);

export class BatchBuilder {
  /** What the capture's state answers while frames are decoded; run.ts wraps the state around it. */
  readonly tape = new Tape();
  private bytes: Uint8Array;
  private used = 0;
  private meta: Float64Array;
  private extras: [number, FrameExtras][] = [];
  /** Buffers of batches written, back from the workers, to fill again (fresh memory costs page faults). */
  private readonly spareBytes: Uint8Array[] = [];
  private readonly spareMeta: Float64Array[] = [];
  count = 0;

  constructor(readonly size: number) {
    this.bytes = new Uint8Array(size * 512);
    this.meta = new Float64Array(size * STRIDE);
  }

  get full(): boolean {
    return this.count >= this.size;
  }

  /** A shown frame, written with `clock` as it stands now (read, not yet shown). */
  add(frame: Frame, clock: Clock): void {
    const data = frame.data;
    if (this.used + data.length > this.bytes.length) this.grow(data.length);
    this.bytes.set(data, this.used);
    const m = this.meta;
    const at = this.count * STRIDE;
    m[at + NUMBER] = frame.number;
    m[at + START] = this.used;
    m[at + LENGTH] = data.length;
    m[at + CAPLEN] = frame.caplen;
    m[at + ORIG_LEN] = frame.origLen;
    m[at + SEC] = frame.tsSec;
    m[at + NSEC] = frame.tsNsec;
    m[at + DIGITS] = frame.tsDigits;
    m[at + LINKTYPE] = frame.linktype;
    m[at + FILE_OFFSET] = frame.fileOffset;
    m[at + SECTION] = orNaN(frame.section);
    m[at + INTERFACE] = orNaN(frame.interfaceId);
    clock.save(m, at + CLOCK);
    if (frame.comment !== undefined || frame.interfaceName !== undefined || frame.etw !== undefined) {
      const etw = frame.etw === undefined ? undefined : copyEtw(frame.etw);
      this.extras.push([this.count, { comment: frame.comment, interfaceName: frame.interfaceName, etw }]);
    }
    this.used += data.length;
    this.count++;
  }

  /** The batch so far, of capture `file`; the builder starts again empty. */
  take(file: number): Batch {
    const { nums, objs } = this.tape.take();
    const batch: Batch = { file, count: this.count, bytes: this.bytes.subarray(0, this.used), meta: this.meta.subarray(0, this.count * STRIDE), extras: this.extras, nums, objs };
    this.bytes = this.spareBytes.pop() ?? new Uint8Array(this.bytes.length);
    this.meta = this.spareMeta.pop() ?? new Float64Array(this.size * STRIDE);
    this.extras = [];
    this.used = 0;
    this.count = 0;
    return batch;
  }

  /** A batch's buffers (transferred()) back from its worker. */
  recycle([bytes, meta]: ArrayBuffer[]): void {
    this.spareBytes.push(new Uint8Array(bytes));
    this.spareMeta.push(new Float64Array(meta));
  }

  private grow(n: number): void {
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}

/** The reader may reuse its ETW record as it reuses the Frame: a copy (plain fields, and NDIS's vSwitch ones). */
function copyEtw(e: EtwPacketInfo): EtwPacketInfo {
  return e.provider === 'ndis' && e.vswitch !== undefined ? { ...e, vswitch: { ...e.vswitch } } : { ...e };
}

/** Each frame of a batch as the reader delivered it (one Frame, reused), its clock state loaded into `clock`. */
export function eachFrame(batch: Batch, clock: Clock, visit: (frame: Frame) => void): void {
  const frame = newFrame();
  const m = batch.meta;
  let extra = 0;
  for (let i = 0; i < batch.count; i++) {
    const at = i * STRIDE;
    frame.number = m[at + NUMBER];
    frame.data = batch.bytes.subarray(m[at + START], m[at + START] + m[at + LENGTH]);
    frame.caplen = m[at + CAPLEN];
    frame.origLen = m[at + ORIG_LEN];
    frame.tsSec = m[at + SEC];
    frame.tsNsec = m[at + NSEC];
    frame.tsDigits = m[at + DIGITS];
    frame.linktype = m[at + LINKTYPE];
    frame.fileOffset = m[at + FILE_OFFSET];
    frame.section = orUndefined(m[at + SECTION]);
    frame.interfaceId = orUndefined(m[at + INTERFACE]);
    const extras = extra < batch.extras.length && batch.extras[extra][0] === i ? batch.extras[extra++][1] : undefined;
    frame.comment = extras?.comment;
    frame.interfaceName = extras?.interfaceName;
    frame.etw = extras?.etw;
    clock.load(m, at + CLOCK);
    visit(frame);
  }
}

/** The buffers a batch's message hands over instead of copying. */
export const transferred = (batch: Batch): ArrayBuffer[] => [batch.bytes.buffer as ArrayBuffer, batch.meta.buffer as ArrayBuffer];
