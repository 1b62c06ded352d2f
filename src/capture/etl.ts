// ETW traces (.etl, what pktmon and netsh trace write), streamed one buffer at a time: each
// buffer is self-sized (BufferSize) and follows the one before it, so a trace reads from a pipe
// as well as from a file. The packet events of NDIS-PacketCapture and PktMon become frames; every
// other event is counted by provider, and a trace with no packet events at all is refused.

import { Carry } from './carry.js';
import { CaptureError, MAX_RECORD_BYTES } from './errors.js';
import {
  applyComponentEvent,
  type Component,
  KW_PACKET_END,
  KW_PACKET_START,
  LINKTYPE_IEEE802_11,
  NDIS_PACKET_FRAGMENT,
  NDIS_PROVIDER,
  NDIS_VMSWITCH_FRAGMENT,
  inferredLength,
  ndisFragment,
  ndisLinktype,
  PKTMON_COMPONENT,
  PKTMON_DROP,
  PKTMON_HW_ADDRESS,
  PKTMON_PACKET,
  PKTMON_PROVIDER,
  PKTMON_FIXED,
  PKTMON_VMSWITCH_NAME,
  newPktmonInfo,
  pktmonLinktype,
  readPktmonPacket,
} from './etl-packets.js';
import {
  BUFFER_FLAG_BUFFER_LOST,
  BUFFER_FLAG_COMPRESSED,
  BUFFER_FLAG_EVENTS_LOST,
  BUFFER_HEADER,
  EVENT_HEADER,
  HEADER_EVENT32,
  HEADER_EVENT64,
  HEADER_SYSTEM32,
  HEADER_SYSTEM64,
  type LogfileHeader,
  MAX_BUFFER_BYTES,
  type RecordPlace,
  readLogfileHeader,
  recordError,
  walkRecords,
} from './etl-records.js';
import type { NdisPacketInfo } from './etw-packet.js';
import { type CaptureParser, type Frame, type FrameHandler, LINKTYPE_NOT_A_PACKET, newFrame } from './frame.js';
import { LzxpressError, lzxpressDecompress } from './lzxpress.js';
import { timeShowable } from './timestamp.js';

/** 100 ns ticks from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
const FILETIME_UNIX = 116_444_736_000_000_000n;
const TICKS_PER_SEC = 10_000_000n;
const EVENT_FLAG_EXTENDED = 0x0001;
/** Bytes read per call by the scan for component names. */
const SCAN_CHUNK = 512 * 1024;

/** A file read by position (read.ts's openFile gives one): `length` bytes at `position`, into `into` (fewer where the file ends). */
export interface PositionedFile {
  readonly size: number;
  read(position: number, length: number, into: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Providers counted by name for the refusal of a trace without packets: memory stays bounded. */
const MAX_PROVIDERS = 32;

/**
 * How an event's TimeStamp becomes a FILETIME: start + (ts - ts0) * num / den, in BigInt; and
 * `fast`, the same in numbers.
 */
interface Clock {
  start: bigint;
  ts0: bigint;
  num: bigint;
  den: bigint;
  fast: NumberClock | null;
}

/**
 * The clock in number arithmetic, exact while an event is less than 2^52 ticks of its clock from
 * ts0 (a 10 MHz QPC: 14 years) and num * den < 2^53 (every clock a trace names); BigInt beyond.
 * BigInt time was most of what reading a pktmon trace cost more than a pcapng.
 */
interface NumberClock {
  /** ts0 as its two 32-bit halves. */
  ts0Hi: number;
  ts0Lo: number;
  num: number;
  den: number;
  /** The largest (ts - ts0) / den whose product with num stays far inside 2^53. */
  maxQuotient: number;
  /** The start as Unix seconds and 100 ns ticks past them. */
  startSec: number;
  startTicks: number;
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};

/** floor(a / b) of integers whose products here stay under 2^53: the double quotient, corrected by one either way. */
function floorDivNumber(a: number, b: number): number {
  const q = Math.floor(a / b);
  if (q * b > a) return q - 1;
  return (q + 1) * b <= a ? q + 1 : q;
}

function numberClock(start: bigint, ts0: bigint, num: bigint, den: bigint): NumberClock | null {
  if (num * den > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const unix = start - FILETIME_UNIX;
  const sec = floorDiv(unix, TICKS_PER_SEC);
  const u = BigInt.asUintN(64, ts0);
  return {
    ts0Hi: Number(BigInt.asIntN(32, u >> 32n)),
    ts0Lo: Number(u & 0xffffffffn),
    num: Number(num),
    den: Number(den),
    maxQuotient: Math.floor(Number.MAX_SAFE_INTEGER / 4 / Number(num)),
    startSec: Number(sec),
    startTicks: Number(unix - sec * TICKS_PER_SEC),
  };
}

/** A GUID struct (Data1 u32, Data2 u16, Data3 u16 little-endian, then 8 bytes) as lower-case text. */
function guidText(b: Uint8Array, p: number): string {
  const h = (i: number): string => b[p + i].toString(16).padStart(2, '0');
  const le = (...idx: number[]): string => idx.map(h).join('');
  return `${le(3, 2, 1, 0)}-${le(5, 4)}-${le(7, 6)}-${le(8, 9)}-${le(10, 11, 12, 13, 14, 15)}`;
}

/**
 * The time of the event at `p` (its TimeStamp at 0x10) into `f` in numbers; false, leaving it to
 * BigInt, when the event is too far from ts0 for them to be exact or its time is not showable.
 */
function numberTime(n: NumberClock, dv: DataView, p: number, f: Frame): boolean {
  const hi = dv.getInt32(p + 0x14, true) - n.ts0Hi;
  if (hi <= -0x100000 || hi >= 0x100000) return false;
  const delta = hi * 0x1_0000_0000 + (dv.getUint32(p + 0x10, true) - n.ts0Lo);
  const q = floorDivNumber(delta, n.den);
  if (q > n.maxQuotient || q < -n.maxQuotient) return false;
  const ticks = n.startTicks + q * n.num + floorDivNumber((delta - q * n.den) * n.num, n.den);
  const s = floorDivNumber(ticks, 10_000_000);
  const sec = n.startSec + s;
  if (!timeShowable(sec)) return false;
  f.tsSec = sec;
  f.tsNsec = (ticks - s * 10_000_000) * 100;
  return true;
}

/**
 * The provider GUIDs of packet events as the four little-endian u32 words they are stored as
 * (Data1, Data2 and Data3, then 8 bytes as they are): a comparison that allocates nothing and
 * rejects another provider at its first word.
 */
const PACKET_PROVIDERS: [string, number[]][] = [NDIS_PROVIDER, PKTMON_PROVIDER].map((g) => {
  const h = g.replace(/-/g, '');
  const b = Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(h.slice(2 * i, 2 * i + 2), 16));
  const stored = new DataView(Uint8Array.of(b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)).buffer);
  return [g, [0, 4, 8, 12].map((at) => stored.getUint32(at, true))];
});

/** The packet provider of the event at `p` (`dv` views its records), or null. */
function packetProvider(dv: DataView, p: number): string | null {
  const first = dv.getUint32(p + 0x18, true);
  for (const [name, w] of PACKET_PROVIDERS) {
    if (first === w[0] && dv.getUint32(p + 0x1c, true) === w[1] && dv.getUint32(p + 0x20, true) === w[2] && dv.getUint32(p + 0x24, true) === w[3]) return name;
  }
  return null;
}

const PROVIDER_NAMES = new Map([
  [NDIS_PROVIDER, 'Microsoft-Windows-NDIS-PacketCapture'],
  [PKTMON_PROVIDER, 'Microsoft-Windows-PktMon'],
]);

export class EtlParser implements CaptureParser {
  readonly format = 'ETW trace (.etl)';
  private readonly frame = newFrame();
  /** What a PktMon event says, reused for every frame as the Frame is. */
  private readonly pktmon = newPktmonInfo();
  private readonly carry = new Carry();
  /** File offset of the first byte carried (or of the next chunk when none). */
  private base = 0;
  private buffers = 0;
  /** Inflated records of a compressed buffer; grown (up to MAX_BUFFER_BYTES) when one needs more. */
  private inflated = new Uint8Array(64 * 1024);
  private logfile: LogfileHeader | null = null;
  private clock: Clock | null = null;
  /** EVENT_HEADER events per provider GUID (the first MAX_PROVIDERS; the rest are counted together). */
  private readonly providers = new Map<string, { n: number }>();
  private otherProviders = 0;
  private lostFlags = 0;
  private otherRecords = 0;
  private packets = 0;
  /** Notes for the next frame's comment (lost events, skipped event versions). */
  private readonly notes: string[] = [];
  private readonly unknownVersions = new Set<string>();
  private readonly components = new Map<number, Component>();
  /** Fragments of an NDIS packet logged over several events, until the one with PacketEnd. */
  private pending = new Uint8Array(0);
  private pendingLen = 0;
  private pendingEvents = 0;

  /** Set on the parser of a first pass that only learns component names. */
  private componentsOnly = false;

  push(chunk: Uint8Array, onFrame: FrameHandler): void {
    this.carry.feed(chunk, (buf) => this.parse(buf, onFrame));
  }

  /**
   * Learns the components' names from a whole file before its packets are read: a trace may log
   * them only at its end (a rundown), as etl2pcapng's first pass also finds. Damage and files that
   * cannot be read by position (a pipe) are left to the main pass: the scan just stops.
   */
  async learnComponents(openFile: () => Promise<PositionedFile>): Promise<void> {
    const scan = new EtlParser();
    scan.componentsOnly = true;
    const file = await openFile().catch(() => null);
    if (file === null) return;
    // One buffer for every read: a fresh one each time cost as much again as reading the file (page faults).
    const chunk = new Uint8Array(SCAN_CHUNK);
    try {
      for (let at = 0; at < file.size; at += SCAN_CHUNK) scan.push(await file.read(at, SCAN_CHUNK, chunk), () => undefined);
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
    } finally {
      await file.close();
    }
    for (const [id, c] of scan.components) this.components.set(id, c);
  }

  /** Parses the whole buffers `buf` holds; carries the rest. */
  private parse(buf: Uint8Array, onFrame: FrameHandler): void {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let p = 0;
    let need = BUFFER_HEADER;
    while (buf.length - p >= BUFFER_HEADER) {
      const size = this.bufferSize(dv, p);
      if (buf.length - p < size) {
        need = size;
        break;
      }
      this.buffer(buf.subarray(p, p + size), this.base + p, onFrame);
      this.buffers++;
      p += size;
    }
    this.base += p;
    if (p < buf.length) this.carry.keep(buf.subarray(p), need);
  }

  /** BufferSize of the buffer at `p`, checked before anything is held for it. */
  private bufferSize(dv: DataView, p: number): number {
    const size = dv.getUint32(p, true);
    const at = this.base + p;
    const n = this.buffers + 1;
    if (size === 0) throw new CaptureError('bad_buffer', at, `buffer ${n}: BufferSize is 0`);
    if (size % 8 !== 0) throw new CaptureError('bad_buffer', at, `buffer ${n}: BufferSize ${size} is not a multiple of 8`);
    if (size > MAX_BUFFER_BYTES) throw new CaptureError('bad_buffer', at, `buffer ${n}: BufferSize ${size} is over the ${MAX_BUFFER_BYTES}-byte limit`);
    if (size < BUFFER_HEADER) throw new CaptureError('bad_buffer', at, `buffer ${n}: BufferSize ${size} is smaller than its ${BUFFER_HEADER}-byte header`);
    return size;
  }

  private buffer(b: Uint8Array, at: number, onFrame: FrameHandler): void {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const filled = dv.getUint32(0x30, true);
    const flags = dv.getUint16(0x34, true);
    const index = this.buffers;
    if (filled > b.length) {
      throw new CaptureError('bad_buffer', at + 0x30, `buffer ${index + 1}: FilledBytes ${filled} is beyond its BufferSize ${b.length}`);
    }
    // Noted once each: every buffer of a busy trace may carry them.
    const lost = flags & (BUFFER_FLAG_EVENTS_LOST | BUFFER_FLAG_BUFFER_LOST) & ~this.lostFlags;
    if ((lost & BUFFER_FLAG_EVENTS_LOST) !== 0) this.notes.push(`ETW: buffer ${index + 1} is the first flagged as having lost events`);
    if ((lost & BUFFER_FLAG_BUFFER_LOST) !== 0) this.notes.push(`ETW: buffer ${index + 1} is the first flagged as following a lost buffer`);
    this.lostFlags |= lost;
    // FilledBytes counts from the buffer's start; a buffer filled no further than its header holds no records.
    const stored = b.subarray(BUFFER_HEADER, Math.max(BUFFER_HEADER, filled));
    if ((flags & BUFFER_FLAG_COMPRESSED) === 0) {
      this.records(stored, { at: at + BUFFER_HEADER, buffer: at, index }, onFrame);
      return;
    }
    this.records(this.inflate(stored, at, index), { at: -1, buffer: at, index }, onFrame);
  }

  private inflate(stored: Uint8Array, at: number, index: number): Uint8Array {
    for (;;) {
      try {
        return this.inflated.subarray(0, lzxpressDecompress(stored, this.inflated));
      } catch (e) {
        if (!(e instanceof LzxpressError)) throw e;
        if (e.overflow && this.inflated.length < MAX_BUFFER_BYTES) {
          this.inflated = new Uint8Array(Math.min(this.inflated.length * 4, MAX_BUFFER_BYTES));
          continue;
        }
        throw new CaptureError('bad_buffer', at + BUFFER_HEADER + e.offset, `buffer ${index + 1}: compressed records do not inflate: ${e.message}`);
      }
    }
  }

  private records(recs: Uint8Array, place: RecordPlace, onFrame: FrameHandler): void {
    // Events are read where they are, by offset: a view or a DataView per event cost more than reading it.
    const dv = new DataView(recs.buffer, recs.byteOffset, recs.byteLength);
    walkRecords(recs, place, (type, p, size) => {
      if (this.clock === null) {
        this.startTrace(recs, place, type, p, size);
        return;
      }
      if (type === HEADER_EVENT32 || type === HEADER_EVENT64) this.event(recs, dv, p, p + size, type === HEADER_EVENT64 ? 8 : 4, place, onFrame);
      else this.otherRecords++;
    });
  }

  /** The trace's first record: a system header with hook id 0 whose payload is the logfile header. */
  private startTrace(recs: Uint8Array, place: RecordPlace, type: number, p: number, size: number): void {
    const dv = new DataView(recs.buffer, recs.byteOffset + p, size);
    if ((type !== HEADER_SYSTEM32 && type !== HEADER_SYSTEM64) || dv.getUint16(6, true) !== 0) {
      throw recordError('bad_record', place, p, 'the trace does not start with its logfile header (a system record with hook id 0)');
    }
    const h = readLogfileHeader(recs.subarray(p + 0x20, p + size), type === HEADER_SYSTEM64, place, p);
    const ts0 = dv.getBigInt64(0x10, true);
    const scale = h.clockType === 1 ? [TICKS_PER_SEC, h.perfFreq] : h.clockType === 2 ? [1n, 1n] : h.clockType === 3 ? [10n, BigInt(h.cpuSpeedMHz)] : null;
    if (scale === null) throw recordError('bad_record', place, p, `logfile header: clock type ${h.clockType} is none of QPC (1), FILETIME (2), CPU cycles (3)`);
    if (scale[1] === 0n) throw recordError('bad_record', place, p, `logfile header: the ${h.clockType === 1 ? 'QPC' : 'CPU'} clock's frequency is 0`);
    this.logfile = h;
    const start = BigInt.asIntN(64, h.startTime);
    this.clock = { start, ts0, num: scale[0], den: scale[1], fast: numberClock(start, ts0, scale[0], scale[1]) };
    if (h.eventsLost > 0) this.notes.push(`ETW: the trace lost ${h.eventsLost} events`);
    if (h.buffersLost > 0) this.notes.push(`ETW: the trace lost ${h.buffersLost} buffers`);
  }

  /** The event from `p` to `end` of `recs` (`dv` views them all). */
  private event(recs: Uint8Array, dv: DataView, p: number, end: number, pointerSize: number, place: RecordPlace, onFrame: FrameHandler): void {
    const known = packetProvider(dv, p);
    // The first pass over a file only learns components: its counts are not kept.
    if (!this.componentsOnly) this.countProvider(known ?? guidText(recs, p + 0x18));
    if (known === null) return;
    const provider = known;
    const isNdis = known === NDIS_PROVIDER;
    const id = dv.getUint16(p + 0x28, true);
    const packet = isNdis ? id === NDIS_PACKET_FRAGMENT || id === NDIS_VMSWITCH_FRAGMENT : id === PKTMON_PACKET || id === PKTMON_DROP;
    const component = !isNdis && (id === PKTMON_COMPONENT || id === PKTMON_HW_ADDRESS || id === PKTMON_VMSWITCH_NAME);
    // The first pass reads nothing of a packet event past its header.
    if (this.componentsOnly ? !component : !packet && !component) return;
    const version = recs[p + 0x2a];
    if (version !== 0) {
      const key = `${PROVIDER_NAMES.get(provider)} event ${id} version ${version}`;
      if (!this.unknownVersions.has(key)) {
        this.unknownVersions.add(key);
        this.notes.push(`ETW: skipped ${key} (and any more like it): a layout this reader does not know`);
      }
      return;
    }
    const user = this.userData(dv, p, end, place);
    if (component) {
      applyComponentEvent(id, recs.subarray(user, end), this.components);
      return;
    }
    const f = this.frame;
    if (isNdis) {
      const keywords = dv.getBigUint64(p + 0x30, true);
      const bytes = recs.subarray(user, end);
      const frag = ndisFragment(id, bytes, keywords, pointerSize);
      if (typeof frag === 'string') throw recordError('bad_event', place, p, frag);
      if (!this.joinFragment(bytes.subarray(frag.start, frag.end), keywords, frag.info)) return;
      f.linktype = ndisLinktype(keywords);
      f.origLen = inferredLength(f.data, f.linktype);
      if (f.linktype === LINKTYPE_IEEE802_11) this.notes.push('NDIS: a Native 802.11 frame, shown as data');
    } else {
      const info = this.pktmon;
      const short = readPktmonPacket(id, recs, user, end, this.components, info);
      if (short !== undefined) throw recordError('bad_event', place, p, short);
      f.data = recs.subarray(user + PKTMON_FIXED, user + PKTMON_FIXED + info.loggedSize);
      f.origLen = Math.max(info.originalSize, info.loggedSize);
      const linktype = pktmonLinktype(info.packetType);
      f.linktype = linktype ?? LINKTYPE_NOT_A_PACKET;
      if (linktype === undefined) this.notes.push(`PktMon: packet type ${info.packetType} is not a link layer, shown as data`);
      else if (linktype === LINKTYPE_IEEE802_11) this.notes.push('PktMon: a Wi-Fi frame, shown as data');
      f.etw = info;
    }
    this.deliver(dv, p, place, onFrame);
  }

  /** One more event of `provider`, for the refusal of a trace without packets; a counter object, so one lookup. */
  private countProvider(provider: string): void {
    const count = this.providers.get(provider);
    if (count !== undefined) count.n++;
    else if (this.providers.size < MAX_PROVIDERS) this.providers.set(provider, { n: 1 });
    else this.otherProviders++;
  }

  /** Where the user data of the event from `p` to `end` starts: after the header and its extended data items (each 8-byte aligned). */
  private userData(dv: DataView, p: number, end: number, place: RecordPlace): number {
    let q = p + EVENT_HEADER;
    if ((dv.getUint16(p + 4, true) & EVENT_FLAG_EXTENDED) !== 0) {
      for (let more = true; more; ) {
        if (q + 8 > end) throw recordError('bad_record', place, p, 'an extended data item header runs past the event');
        more = (dv.getUint16(q + 4, true) & 1) !== 0;
        const itemEnd = q + 8 + dv.getUint16(q + 6, true);
        if (itemEnd > end) throw recordError('bad_record', place, p, 'an extended data item runs past the event');
        q = (itemEnd + 7) & ~7;
      }
    }
    return Math.min(q, end);
  }

  /**
   * Appends a fragment; true (with the frame's data set) once the packet is whole. A packet ends
   * with the event that has PacketEnd (etl2pcapng: since Windows 8.1 every packet is one event).
   */
  private joinFragment(bytes: Uint8Array, keywords: bigint, info: NdisPacketInfo): boolean {
    const end = (keywords & KW_PACKET_END) !== 0n;
    if ((keywords & KW_PACKET_START) !== 0n && this.pendingEvents > 0) {
      this.notes.push(`NDIS: ${this.pendingEvents === 1 ? 'an event' : `${this.pendingEvents} events`} of a packet that never got its PacketEnd dropped`);
      this.pendingLen = this.pendingEvents = 0;
    }
    if (end && this.pendingEvents === 0) {
      this.frame.data = bytes;
      this.frame.etw = info;
      return true;
    }
    if (this.pendingLen + bytes.length > MAX_RECORD_BYTES) {
      this.notes.push(`NDIS: a packet over ${MAX_RECORD_BYTES} bytes in ${this.pendingEvents + 1} events was dropped`);
      this.pendingLen = this.pendingEvents = 0;
      return false;
    }
    // Copied: the next fragment may be in another buffer, and this one's bytes are then gone.
    if (this.pending.length < this.pendingLen + bytes.length) {
      const grown = new Uint8Array(Math.max(this.pendingLen + bytes.length, this.pending.length * 2, 2048));
      grown.set(this.pending.subarray(0, this.pendingLen));
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLen);
    this.pendingLen += bytes.length;
    this.pendingEvents++;
    if (!end) return false;
    this.frame.data = this.pending.subarray(0, this.pendingLen);
    info.events = this.pendingEvents;
    this.frame.etw = info;
    this.pendingLen = this.pendingEvents = 0;
    return true;
  }

  /** Delivers the frame of the event at `p`, with its time. */
  private deliver(dv: DataView, p: number, place: RecordPlace, onFrame: FrameHandler): void {
    const f = this.frame;
    const c = this.clock as Clock;
    if (c.fast === null || !numberTime(c.fast, dv, p, f)) {
      const ft = c.start + floorDiv((dv.getBigInt64(p + 0x10, true) - c.ts0) * c.num, c.den);
      const unix = ft - FILETIME_UNIX;
      const sec = floorDiv(unix, TICKS_PER_SEC);
      if (!timeShowable(Number(sec))) {
        throw recordError('bad_timestamp', place, p, `event time ${ft} (FILETIME) is outside the dates a clock can show`);
      }
      f.tsSec = Number(sec);
      f.tsNsec = Number(unix - sec * TICKS_PER_SEC) * 100;
    }
    f.number++;
    f.tsDigits = 7;
    f.caplen = f.data.length;
    if (f.origLen < f.caplen) f.origLen = f.caplen;
    f.fileOffset = place.at >= 0 ? place.at + p : place.buffer;
    f.comment = this.notes.length > 0 ? this.notes.join('; ') : undefined;
    this.notes.length = 0;
    this.packets++;
    onFrame(f);
  }

  end(): void {
    if (!this.carry.empty) {
      const left = this.carry.take();
      const n = this.buffers + 1;
      if (left.length < BUFFER_HEADER) {
        throw new CaptureError('truncated_record_header', this.base, `buffer ${n} header cut off after ${left.length} of ${BUFFER_HEADER} bytes`);
      }
      const size = new DataView(left.buffer, left.byteOffset, left.byteLength).getUint32(0, true);
      throw new CaptureError('truncated_record_body', this.base, `buffer ${n} cut off after ${left.length} of its ${size} bytes`);
    }
    if (this.packets === 0) throw new CaptureError('no_packets', 0, this.noPacketsMessage());
  }

  private noPacketsMessage(): string {
    const parts = [...this.providers].map(([guid, c]) => `${c.n} of ${PROVIDER_NAMES.get(guid) ?? `{${guid}}`}`);
    if (this.otherProviders > 0) parts.push(`${this.otherProviders} of other providers`);
    if (this.otherRecords > 0) parts.push(`${this.otherRecords} kernel or classic record${this.otherRecords === 1 ? '' : 's'}`);
    let events = this.otherRecords + this.otherProviders;
    for (const c of this.providers.values()) events += c.n;
    let text = 'an ETW trace with no packet events (pktmon or NDIS-PacketCapture)';
    if (this.logfile !== null) {
      parts.push('the logfile header');
      text += `: logger ${JSON.stringify(this.logfile.loggerName)}, ${this.buffers} buffers, ${events + 1} events: ${parts.join(', ')}`;
      if (this.logfile.eventsLost > 0) text += `; it lost ${this.logfile.eventsLost} events`;
    }
    if (this.unknownVersions.size > 0) text += `; skipped: ${[...this.unknownVersions].join(', ')}`;
    return text;
  }
}
