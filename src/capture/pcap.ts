import { Carry } from './carry.js';
import { CaptureError, MAX_RECORD_BYTES } from './errors.js';
import { type CaptureParser, type FrameHandler, newFrame } from './frame.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;

/** The byte order and clock of a classic pcap magic, or null if `b` does not start with one. */
export function pcapMagic(b: Uint8Array): { littleEndian: boolean; nanos: boolean } | null {
  if (b.length < 4) return null;
  const be = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const le = ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0;
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return { littleEndian: false, nanos: be === PCAP_MAGIC_NS };
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return { littleEndian: true, nanos: le === PCAP_MAGIC_NS };
  return null;
}

/**
 * Classic libpcap format, all four magics. Records may span chunks: the unparsed tail of one
 * chunk is kept (as a view) and joined with the next.
 */
export class PcapParser implements CaptureParser {
  readonly format: string;
  private readonly frame = newFrame();
  private readonly le: boolean;
  private readonly nanos: boolean;
  private linktype = 0;
  private headerDone = false;
  private readonly carry = new Carry();
  /** Absolute offset of the first byte carried (or of the next chunk when none). */
  private base = 0;

  constructor(magic: { littleEndian: boolean; nanos: boolean }) {
    this.le = magic.littleEndian;
    this.nanos = magic.nanos;
    this.format = `pcap (${magic.nanos ? 'nanosecond' : 'microsecond'}, ${magic.littleEndian ? 'little' : 'big'}-endian)`;
    this.frame.tsDigits = magic.nanos ? 9 : 6;
  }

  push(chunk: Uint8Array, onFrame: FrameHandler): void {
    this.carry.feed(chunk, (buf) => this.parse(buf, onFrame));
  }

  /** Parses what `buf` holds whole; carries the rest. */
  private parse(buf: Uint8Array, onFrame: FrameHandler): void {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const le = this.le;
    let p = 0;
    if (!this.headerDone) {
      if (buf.length < FILE_HEADER) {
        this.carry.keep(buf, FILE_HEADER);
        return;
      }
      this.linktype = dv.getUint32(20, le) & 0xffff; // the link type is the low 16 bits; FCS flags sit above
      this.headerDone = true;
      p = FILE_HEADER;
    }
    const f = this.frame;
    f.linktype = this.linktype;
    const scale = this.nanos ? 1 : 1000;
    let need = RECORD_HEADER;
    while (buf.length - p >= RECORD_HEADER) {
      const incl = dv.getUint32(p + 8, le);
      if (incl > MAX_RECORD_BYTES) {
        throw new CaptureError(
          'record_too_long',
          this.base + p + 8,
          `record ${f.number + 1} claims ${incl} captured bytes (limit ${MAX_RECORD_BYTES})`,
        );
      }
      const end = p + RECORD_HEADER + incl;
      if (end > buf.length) {
        need = RECORD_HEADER + incl;
        break;
      }
      f.number++;
      // A fraction of a second or more (a broken writer) carries into the seconds, never into the digits.
      const frac = dv.getUint32(p + 4, le) * scale;
      const carry = frac >= 1e9 ? Math.floor(frac / 1e9) : 0;
      f.tsSec = dv.getUint32(p, le) + carry;
      f.tsNsec = frac - carry * 1e9;
      f.caplen = incl;
      f.origLen = dv.getUint32(p + 12, le);
      f.fileOffset = this.base + p;
      f.data = buf.subarray(p + RECORD_HEADER, end);
      onFrame(f);
      p = end;
    }
    this.base += p;
    if (p < buf.length) this.carry.keep(buf.subarray(p), need);
  }

  end(): void {
    if (this.carry.empty) return;
    const left = this.carry.take();
    const at = this.base;
    if (!this.headerDone) {
      throw new CaptureError(
        'truncated_file_header',
        0,
        `file header cut off after ${left.length} of ${FILE_HEADER} bytes`,
      );
    }
    const next = this.frame.number + 1;
    if (left.length < RECORD_HEADER) {
      throw new CaptureError(
        'truncated_record_header',
        at,
        `record ${next} header cut off after ${left.length} of ${RECORD_HEADER} bytes`,
      );
    }
    const dv = new DataView(left.buffer, left.byteOffset, left.byteLength);
    const incl = dv.getUint32(8, this.le);
    throw new CaptureError(
      'truncated_record_body',
      at + RECORD_HEADER,
      `record ${next} body cut off after ${left.length - RECORD_HEADER} of ${incl} bytes`,
    );
  }
}
