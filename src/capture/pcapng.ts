import { Carry } from './carry.js';
import { CaptureError, MAX_RECORD_BYTES } from './errors.js';
import { type PktGroupId, type PktmonConvertedInfo, pktGroupId } from './etw-packet.js';
import { type CaptureParser, cutComment, type Frame, type FrameHandler, MAX_COMMENT_CHARS, newFrame } from './frame.js';
import { badTime, type Clock, clockFor, setTime, timeShowable, wholeSeconds } from './timestamp.js';

// Block types (draft-ietf-opsawg-pcapng). Every other type is skipped by its length.
export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_OPB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_MACADDR = 6;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
// What etl2pcapng writes of pktmon's metadata (src/capture/etw-packet.ts, PktmonConvertedInfo).
const EPB_PACKETID = 5;
const EPB_VERDICT = 7;
const VERDICT_XDP = 2;
const XDP_DROP = 1n;

/** No block a capture tool writes comes near this; a larger length means damage, and is never buffered. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

/**
 * Interfaces one section may describe: each is kept for the whole section, and a file of nothing
 * but interface blocks (20 bytes each) would otherwise grow memory without bound (2M of them took
 * 381 MB). A capture describes one interface per capturing NIC, a few to a few hundred even
 * merged from many hosts; 65536 is also all an obsolete packet block's 16-bit interface id can
 * name. So the cap is far above real files and holds about 13 MB.
 */
export const MAX_INTERFACES = 65536;

/** Smallest total length of each block type: header, fixed fields and trailing length. */
function minLength(type: number): number {
  switch (type) {
    case BLOCK_SHB:
      return 28;
    case BLOCK_IDB:
      return 20;
    case BLOCK_EPB:
    case BLOCK_OPB:
      return 32;
    case BLOCK_SPB:
      return 16;
    default:
      return 12;
  }
}

export function blockName(type: number): string {
  switch (type) {
    case BLOCK_SHB:
      return 'section header block';
    case BLOCK_IDB:
      return 'interface description block';
    case BLOCK_EPB:
      return 'enhanced packet block';
    case BLOCK_SPB:
      return 'simple packet block';
    case BLOCK_OPB:
      return 'packet block (obsolete)';
    case 0x00000004:
      return 'name resolution block';
    case 0x00000005:
      return 'interface statistics block';
    case 0x0000000a:
      return 'decryption secrets block';
    case 0x00000bad:
    case 0x40000bad:
      return 'custom block';
    default:
      return `block of type 0x${type.toString(16).padStart(8, '0')}`;
  }
}

const isPacket = (type: number): boolean => type === BLOCK_EPB || type === BLOCK_OPB || type === BLOCK_SPB;
/** Blocks whose body is read; every other one is skipped by its length. */
const isKept = (type: number): boolean => isPacket(type) || type === BLOCK_SHB || type === BLOCK_IDB;
const pad4 = (n: number): number => (n + 3) & ~3;

interface Interface {
  linktype: number;
  /** 0: no limit. */
  snaplen: number;
  clock: Clock;
  /** if_tsoffset exactly: the clock's double loses digits past 2^53, and an error message should not. */
  offsetExact: bigint;
  name: string | undefined;
  /** if_description and if_MACaddr: a converted pktmon trace's component description and address. */
  description: string | undefined;
  mac: string | undefined;
}

/**
 * pcapng, streamed: a block is parsed once it is whole (the unparsed tail of a chunk is carried
 * over, as for classic pcap). Any number of sections, each in its own byte order with its own
 * interfaces; enhanced, simple and obsolete packet blocks become frames with their interface's
 * link type and clock; every other block is skipped by its length, its body passed over as it
 * streams by (never buffered). One Frame object is reused and its data is a view into the read buffer.
 */
export class PcapngParser implements CaptureParser {
  readonly format = 'pcapng';
  private readonly frame = newFrame();
  private readonly carry = new Carry();
  /** Absolute offset of the first byte carried (or of the next chunk when none). */
  private base = 0;
  /** Byte order of the current section (set from each section header's byte-order magic). */
  private le = true;
  private sections = 0;
  private interfaces: Interface[] = [];
  /** The block being skipped: its type, offset and total length, and how many of its bytes are still to come. */
  private skipping: { type: number; at: number; len: number; left: number } | null = null;
  private readonly text = new TextDecoder();

  push(chunk: Uint8Array, onFrame: FrameHandler): void {
    this.carry.feed(chunk, (buf) => this.parse(buf, onFrame));
  }

  /** Parses what `buf` holds whole, passes over the body of a block being skipped; carries the rest. */
  private parse(buf: Uint8Array, onFrame: FrameHandler): void {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let p = 0;
    let need: number;
    for (;;) {
      const s = this.skipping;
      if (s !== null) {
        // Its body is passed over as it streams by; only the trailing length is read.
        const body = Math.min(s.left - 4, buf.length - p);
        p += body;
        s.left -= body;
        need = s.left;
        if (buf.length - p < need) break;
        this.checkTrailer(dv, p, s.type, s.len, s.at);
        p += 4;
        this.skipping = null;
        continue;
      }
      need = this.blockNeeds(dv, p, buf.length - p);
      if (buf.length - p >= need) {
        this.block(buf, dv, p, need, onFrame);
        p += need;
      } else if (need > 8 && !isKept(dv.getUint32(p, this.le))) {
        // A block whose body is not read, and that is not all here: not buffered, however long.
        this.skipping = { type: dv.getUint32(p, this.le), at: this.base + p, len: need, left: need - 8 };
        p += 8;
      } else break;
    }
    this.base += p;
    if (p < buf.length) this.carry.keep(buf.subarray(p), need);
  }

  /**
   * Bytes the block at `p` needs before it can be parsed: its header's size while that is
   * incomplete, then its total length, checked as soon as the bytes that say it are there.
   */
  private blockNeeds(dv: DataView, p: number, avail: number): number {
    if (avail < 8) return 8;
    const type = dv.getUint32(p, this.le); // a section header's type reads the same in both orders
    if (type === BLOCK_SHB) {
      if (avail < 12) return 12;
      this.le = this.byteOrder(dv, p);
    }
    const len = dv.getUint32(p + 4, this.le);
    const at = this.base + p;
    // Messages are built only when thrown: nothing is allocated per block on the way.
    if (len % 4 !== 0 || len < minLength(type)) {
      const why = len % 4 !== 0 ? 'not a multiple of 4' : `below its minimum of ${minLength(type)}`;
      throw new CaptureError('bad_block', at, `${blockName(type)} has total length ${len}, ${why}`);
    }
    if (len > MAX_BLOCK_BYTES) {
      throw new CaptureError('record_too_long', at, `${blockName(type)} claims ${len} bytes (limit ${MAX_BLOCK_BYTES})`);
    }
    if (type === BLOCK_EPB || type === BLOCK_OPB) {
      // Judge the captured length before waiting for the data it announces.
      if (avail < 24) return 24;
      const caplen = dv.getUint32(p + 20, this.le);
      if (caplen > MAX_RECORD_BYTES) {
        throw new CaptureError('record_too_long', at, `${this.packetName(type)} claims ${caplen} captured bytes (limit ${MAX_RECORD_BYTES})`);
      }
      if (28 + pad4(caplen) > len - 4) {
        throw new CaptureError('bad_block', at, `${this.packetName(type)} claims ${caplen} captured bytes, more than its block of ${len} bytes holds`);
      }
    }
    return len;
  }

  /** `packet 4 (enhanced packet block)`: the frame a packet block at hand would be, for messages. */
  private packetName(type: number): string {
    return `packet ${this.frame.number + 1} (${blockName(type)})`;
  }

  private byteOrder(dv: DataView, p: number): boolean {
    const magic = dv.getUint32(p + 8, true);
    if (magic === BYTE_ORDER_MAGIC) return true;
    if (dv.getUint32(p + 8, false) === BYTE_ORDER_MAGIC) return false;
    const shown = magic.toString(16).padStart(8, '0');
    throw new CaptureError('bad_block', this.base + p, `section header block has a bad byte-order magic 0x${shown} (little-endian reading)`);
  }

  /** A whole block of `len` bytes at `p`. */
  private block(buf: Uint8Array, dv: DataView, p: number, len: number, onFrame: FrameHandler): void {
    const type = dv.getUint32(p, this.le);
    this.checkTrailer(dv, p + len - 4, type, len, this.base + p);
    if (type === BLOCK_SHB) this.section(dv, p);
    else if (type === BLOCK_IDB) {
      if (this.interfaces.length === MAX_INTERFACES) {
        throw new CaptureError('bad_block', this.base + p, `interface description block ${MAX_INTERFACES + 1} of this section: at most ${MAX_INTERFACES} interfaces per section are read`);
      }
      this.interfaces.push(this.describeInterface(dv, p, len));
    }
    else if (isPacket(type)) this.packet(buf, dv, p, len, type, onFrame);
  }

  /** The trailing total length at `p` must repeat the `len` a block of `type` at offset `at` starts with. */
  private checkTrailer(dv: DataView, p: number, type: number, len: number, at: number): void {
    const trailing = dv.getUint32(p, this.le);
    if (trailing !== len) throw new CaptureError('bad_block', at, `${blockName(type)} ends with total length ${trailing}, not ${len} as it starts`);
  }

  private section(dv: DataView, p: number): void {
    const major = dv.getUint16(p + 12, this.le);
    if (major !== 1) {
      const minor = dv.getUint16(p + 14, this.le);
      throw new CaptureError('unsupported_format', this.base + p, `pcapng version ${major}.${minor} is not supported (only 1.x)`);
    }
    this.sections++;
    this.interfaces = [];
  }

  private describeInterface(dv: DataView, p: number, len: number): Interface {
    const le = this.le;
    let tsresol = 6;
    let offsetExact = 0n;
    let name: string | undefined;
    let description: string | undefined;
    let mac: string | undefined;
    for (let at = p + 16, end = p + len - 4; at < end; ) {
      const next = this.nextOption(dv, at, end, p, BLOCK_IDB);
      const code = dv.getUint16(at, le);
      const size = dv.getUint16(at + 2, le);
      if (code === OPT_ENDOFOPT) break;
      if (code === IF_NAME) name = this.text.decode(new Uint8Array(dv.buffer, dv.byteOffset + at + 4, size));
      if (code === IF_DESCRIPTION) description = this.text.decode(new Uint8Array(dv.buffer, dv.byteOffset + at + 4, size));
      if (code === IF_MACADDR && size === 6) mac = Array.from(new Uint8Array(dv.buffer, dv.byteOffset + at + 4, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
      if (code === IF_TSRESOL && size >= 1) tsresol = dv.getUint8(at + 4);
      if (code === IF_TSOFFSET && size >= 8) offsetExact = dv.getBigInt64(at + 4, le);
      at = next;
    }
    return { linktype: dv.getUint16(p + 8, le), snaplen: dv.getUint32(p + 12, le), clock: clockFor(tsresol, Number(offsetExact)), offsetExact, name, description, mac };
  }

  /** Offset of the option after the one at `at`; the option must fit in the block's options. */
  private nextOption(dv: DataView, at: number, end: number, p: number, type: number): number {
    const next = at + 4 + pad4(dv.getUint16(at + 2, this.le));
    if (next > end) {
      throw new CaptureError(
        'bad_block',
        this.base + p,
        `${blockName(type)} option ${dv.getUint16(at, this.le)} runs past the end of the block`,
      );
    }
    return next;
  }

  private packet(buf: Uint8Array, dv: DataView, p: number, len: number, type: number, onFrame: FrameHandler): void {
    const le = this.le;
    const f = this.frame;
    const at = this.base + p;
    const simple = type === BLOCK_SPB;
    const id = simple ? 0 : type === BLOCK_OPB ? dv.getUint16(p + 8, le) : dv.getUint32(p + 8, le);
    const iface = this.interfaces[id];
    if (iface === undefined) {
      const known = this.interfaces.length;
      const which = known === 0 ? 'no interface description block came before it' : `only ${known} interface${known === 1 ? ' is' : 's are'} described`;
      throw new CaptureError('bad_block', at, `${this.packetName(type)} names interface ${id}, but ${which} in this section`);
    }
    let dataAt: number;
    let caplen: number;
    if (simple) {
      dataAt = p + 12;
      f.origLen = dv.getUint32(p + 8, le);
      caplen = Math.min(f.origLen, len - 16, iface.snaplen === 0 ? Infinity : iface.snaplen);
      if (caplen > MAX_RECORD_BYTES) {
        throw new CaptureError('record_too_long', at, `${this.packetName(type)} holds ${caplen} captured bytes (limit ${MAX_RECORD_BYTES})`);
      }
      f.tsSec = 0;
      f.tsNsec = 0;
      f.comment = undefined;
      f.etw = undefined;
    } else {
      dataAt = p + 28;
      caplen = dv.getUint32(p + 20, le); // bounded by blockNeeds
      f.origLen = dv.getUint32(p + 24, le);
      const hi = dv.getUint32(p + 12, le);
      const lo = dv.getUint32(p + 16, le);
      setTime(iface.clock, hi, lo, f);
      if (!timeShowable(f.tsSec)) throw badTime(at, this.packetName(type), wholeSeconds(iface.clock, hi, lo) + iface.offsetExact);
      this.options(buf, dv, dataAt + pad4(caplen), p + len - 4, p, type, id, f);
    }
    f.number++;
    f.caplen = caplen;
    f.data = buf.subarray(dataAt, dataAt + caplen);
    f.linktype = iface.linktype;
    f.interfaceName = iface.name;
    f.section = this.sections;
    f.interfaceId = id;
    f.tsDigits = iface.clock.tsDigits;
    f.fileOffset = at;
    onFrame(f);
  }

  /**
   * The packet's options: its opt_comment options (UTF-8), joined with newlines and cut by
   * cutComment, as `f.comment`; an EPB's epb_packetid (and epb_verdict) as `f.etw`, pktmon's
   * PktGroupId as etl2pcapng converts it. A packet without options reads none of them.
   */
  private options(buf: Uint8Array, dv: DataView, at: number, end: number, p: number, type: number, iface: number, f: Frame): void {
    let found: string | undefined;
    let bytes = 0;
    let group: PktGroupId | undefined;
    let dropped = false;
    while (at < end) {
      const next = this.nextOption(dv, at, end, p, type);
      const code = dv.getUint16(at, this.le);
      if (code === OPT_ENDOFOPT) break;
      const size = dv.getUint16(at + 2, this.le);
      if (code === OPT_COMMENT) {
        bytes += size;
        // Past the bound, comments are counted for the note, not decoded.
        if (found === undefined || found.length <= MAX_COMMENT_CHARS) {
          const text = this.text.decode(buf.subarray(at + 4, at + 4 + size));
          found = found === undefined ? text : `${found}\n${text}`;
        }
      } else if (type === BLOCK_EPB && code === EPB_PACKETID && size === 8) {
        // The u64's low half comes first in a little-endian section.
        group = pktGroupId(dv.getUint32(at + (this.le ? 4 : 8), this.le), dv.getUint32(at + (this.le ? 8 : 4), this.le));
      } else if (type === BLOCK_EPB && code === EPB_VERDICT && size === 9) {
        dropped = dv.getUint8(at + 4) === VERDICT_XDP && dv.getBigUint64(at + 5, this.le) === XDP_DROP;
      }
      at = next;
    }
    f.comment = found === undefined ? undefined : cutComment(found, bytes);
    f.etw = group === undefined ? undefined : this.converted(group, dropped, iface);
  }

  /** A converted pktmon appearance: its component is the interface etl2pcapng wrote for it. */
  private converted(group: PktGroupId, dropped: boolean, interfaceId: number): PktmonConvertedInfo {
    const i = this.interfaces[interfaceId];
    return { provider: 'pktmon-pcapng', pktGroupId: group, dropped, interfaceId, component: i.name, componentDescription: i.description, componentAddress: i.mac };
  }

  end(): void {
    const s = this.skipping;
    if (s !== null) {
      const got = s.len - s.left + this.carry.take().length;
      throw new CaptureError('truncated_record_body', s.at, `${blockName(s.type)} cut off after ${got} of ${s.len} bytes`);
    }
    if (this.carry.empty) return;
    const left = this.carry.take();
    const dv = new DataView(left.buffer, left.byteOffset, left.byteLength);
    const at = this.base;
    const type = left.length >= 4 ? dv.getUint32(0, this.le) : -1;
    const header = type === BLOCK_SHB ? 12 : 8;
    const len = left.length >= header ? dv.getUint32(4, this.le) : minLength(BLOCK_SHB);
    if (this.sections === 0) {
      // The first section header is the file header: nothing could be read without it.
      throw new CaptureError('truncated_file_header', 0, `section header block cut off after ${left.length} of ${len} bytes`);
    }
    if (left.length < header) {
      throw new CaptureError('truncated_record_header', at, `block header cut off after ${left.length} of ${header} bytes`);
    }
    const what = isPacket(type) ? this.packetName(type) : blockName(type);
    throw new CaptureError('truncated_record_body', at, `${what} cut off after ${left.length} of ${len} bytes`);
  }
}
