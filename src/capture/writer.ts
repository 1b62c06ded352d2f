// Writes frames as pcapng or classic pcap, one block at a time into a reused buffer: the caller
// hands each block's bytes on at once (to a buffered, backpressured output), so memory stays bounded.
import type { EtwPacketInfo, PktGroupId } from './etw-packet.js';
import type { Frame } from './frame.js';
import { BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BYTE_ORDER_MAGIC, EPB_PACKETID, EPB_VERDICT, IF_DESCRIPTION, IF_MACADDR, VERDICT_XDP, XDP_DROP } from './pcapng.js';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap.js';

export type WriteFormat = 'pcapng' | 'pcap';

/** What a frame becomes in the file when it is not written as read: a tenant's inner frame, a note added. */
export interface Rewrite {
  data?: Uint8Array;
  origLen?: number;
  linktype?: number;
  /** A comment written before the frame's own. */
  note?: string;
}

/** A frame that the chosen format cannot hold: the run stops with this one line. */
export class WriteError extends Error {}

const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SHB_USERAPPL = 4;
/** Every written timestamp is in nanoseconds: each reader's clock fits without loss. */
const TSRESOL_NS = 9;
const MAX_U32 = 0xffffffff;
/** The snaplen written for every interface and pcap header: libpcap's current maximum, as Wireshark writes it. */
const SNAPLEN = 262144;
const pad4 = (n: number): number => (n + 3) & ~3;

/**
 * The name of the interface a frame came in on: pcapng's if_name, the pktmon component or the
 * vSwitch NIC an ETW trace logged it at; undefined when the capture names none.
 */
function interfaceName(f: Frame): string | undefined {
  if (f.interfaceName !== undefined) return f.interfaceName;
  const etw = f.etw;
  if (etw === undefined) return undefined;
  if (etw.provider === 'ndis') return etw.vswitch?.nicName || undefined;
  return etw.component;
}

/**
 * What tells a frame's interface from the others besides its link type and name: a pktmon
 * component (or the interface a converted file gave it), as etl2pcapng writes one interface per
 * component; components often share a name (every VM's "Microsoft Hyper-V Network Adapter").
 */
function interfaceOf(etw: EtwPacketInfo | undefined): string {
  if (etw === undefined || etw.provider === 'ndis') return '';
  return etw.provider === 'pktmon' ? `c${etw.componentId}` : `i${etw.interfaceId}`;
}

/** A colon-separated hardware address as its 6 bytes (if_MACaddr); undefined for any other length. */
function macBytes(text: string | undefined): Uint8Array | undefined {
  const parts = text?.split(':');
  if (parts?.length !== 6) return undefined;
  return Uint8Array.from(parts, (h) => Number.parseInt(h, 16));
}

export class CaptureWriter {
  private buf = Buffer.alloc(1 << 16);
  private dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private pos = 0;
  private started = false;
  /** pcapng: interface ids by link type and name. */
  private readonly interfaces = new Map<string, number>();
  private lastKey = '';
  private lastId = -1;
  /** pcap: the one link type the header named, and the frame that set it. */
  private pcapLinktype = -1;
  private pcapFirst = '';
  private nanos = false;
  /** The capture being read, named in errors when there are several (`frame 3 of b.pcap`). */
  source = '';

  /** `out` takes each block's bytes at once; they are reused after it returns. */
  constructor(
    private readonly format: WriteFormat,
    private readonly out: (bytes: Uint8Array) => void,
  ) {}

  /**
   * Writes `f` (or what `rewrite` makes of it). Throws WriteError for a frame the format cannot
   * hold. Records that hold no packet (link type < 0) are left out.
   */
  write(f: Frame, rewrite?: Rewrite): void {
    const linktype = rewrite?.linktype ?? f.linktype;
    if (linktype < 0) return;
    const data = rewrite?.data ?? f.data;
    const origLen = rewrite?.origLen ?? f.origLen;
    if (f.tsSec < 0 || (this.format === 'pcap' ? f.tsSec > MAX_U32 : f.tsSec > 18e9)) {
      throw new WriteError(`${this.name(f)} has a time ${f.tsSec} s from 1970, which ${this.format} cannot hold`);
    }
    if (this.format === 'pcap') this.pcapRecord(f, data, origLen, linktype);
    else this.packetBlock(f, data, origLen, linktype, rewrite?.note);
    this.emit();
  }

  /** The file's header when no frame was written: a pcapng section with no interface, or an Ethernet pcap. */
  finish(): void {
    if (this.started) return;
    if (this.format === 'pcap') this.pcapHeader(1, false);
    else this.sectionHeader();
    this.emit();
  }

  private name(f: Frame): string {
    return this.source === '' ? `frame ${f.number}` : `frame ${f.number} of ${this.source}`;
  }

  private emit(): void {
    this.out(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    this.dv = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  private u16(v: number): void {
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
  }

  private u32(v: number): void {
    this.dv.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  private raw(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
    while (this.pos % 4 !== 0) this.buf[this.pos++] = 0;
  }

  /** An option holding `bytes` (padded); a value longer than an option holds is cut. */
  private option(code: number, bytes: Uint8Array): void {
    const b = bytes.length > 0xffff ? bytes.subarray(0, 0xffff) : bytes;
    this.room(4 + pad4(b.length));
    this.u16(code);
    this.u16(b.length);
    this.raw(b);
  }

  /** Ends a block that started at `start`: end of options, then both total lengths. */
  private endBlock(start: number, options: boolean): void {
    this.room(8);
    if (options) this.u32(0);
    const len = this.pos + 4 - start;
    this.dv.setUint32(start + 4, len, true);
    this.u32(len);
  }

  private sectionHeader(): void {
    this.started = true;
    const start = this.pos;
    this.room(24);
    this.u32(BLOCK_SHB);
    this.u32(0);
    this.u32(BYTE_ORDER_MAGIC);
    this.u16(1);
    this.u16(0);
    this.u32(MAX_U32); // section length unknown (-1): the file is streamed
    this.u32(MAX_U32);
    this.option(SHB_USERAPPL, Buffer.from('nvgre-dissect'));
    this.endBlock(start, true);
  }

  /**
   * The id of the interface for `linktype`, the frame's interface name and its pktmon component,
   * described the first time it is met: a component's description and address as etl2pcapng
   * writes them (if_description, if_MACaddr), so the file read back names it as the trace did.
   */
  private interfaceId(linktype: number, name: string | undefined, etw: EtwPacketInfo | undefined): number {
    const key = name === undefined ? `${linktype}${interfaceOf(etw)}` : `${linktype}${interfaceOf(etw)}:${name}`;
    if (key === this.lastKey) return this.lastId;
    let id = this.interfaces.get(key);
    if (id === undefined) {
      id = this.interfaces.size;
      this.interfaces.set(key, id);
      const start = this.pos;
      this.room(16);
      this.u32(BLOCK_IDB);
      this.u32(0);
      this.u16(linktype);
      this.u16(0);
      this.u32(SNAPLEN);
      if (name !== undefined) this.option(IF_NAME, Buffer.from(name));
      if (etw !== undefined && etw.provider !== 'ndis') {
        if (etw.componentDescription !== undefined) this.option(IF_DESCRIPTION, Buffer.from(etw.componentDescription));
        const mac = macBytes(etw.componentAddress);
        if (mac !== undefined) this.option(IF_MACADDR, mac);
      }
      this.option(IF_TSRESOL, Uint8Array.of(TSRESOL_NS));
      this.endBlock(start, true);
    }
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  private packetBlock(f: Frame, data: Uint8Array, origLen: number, linktype: number, note: string | undefined): void {
    if (!this.started) this.sectionHeader();
    const etw = f.etw;
    const id = this.interfaceId(linktype, interfaceName(f), etw);
    const start = this.pos;
    this.room(28 + pad4(data.length));
    this.u32(BLOCK_EPB);
    this.u32(0);
    this.u32(id);
    // sec * 1e9 + nsec as two 32-bit halves, exactly: sec = hi16 * 2^16 + lo16 and 1e9 = 1953125 * 2^9.
    const lo16 = f.tsSec % 0x10000;
    const m = ((f.tsSec - lo16) / 0x10000) * 1953125; // times 2^25 is the high part's contribution
    let low = (m % 128) * 0x2000000 + ((lo16 * 1e9 + f.tsNsec) % 0x100000000);
    let high = Math.floor(m / 128) + Math.floor((lo16 * 1e9 + f.tsNsec) / 0x100000000);
    if (low >= 0x100000000) {
      low -= 0x100000000;
      high++;
    }
    this.u32(high);
    this.u32(low);
    this.u32(data.length);
    this.u32(origLen);
    this.raw(data);
    const group = etw !== undefined && etw.provider !== 'ndis';
    const hasOptions = note !== undefined || f.comment !== undefined || group;
    if (note !== undefined) this.option(OPT_COMMENT, Buffer.from(note));
    if (f.comment !== undefined) this.option(OPT_COMMENT, Buffer.from(f.comment));
    if (group) {
      this.packetId(etw.pktGroupId);
      if (etw.dropped) this.verdictDrop();
    }
    this.endBlock(start, hasOptions);
  }

  /** epb_packetid: the PktGroupId as a u64, as etl2pcapng writes it (tshark's frame.packet_id). */
  private packetId(group: PktGroupId): void {
    this.room(12);
    this.u16(EPB_PACKETID);
    this.u16(8);
    if (typeof group === 'number') {
      this.u32(group % 0x1_0000_0000);
      this.u32(Math.floor(group / 0x1_0000_0000));
    } else {
      this.u32(Number(group & 0xffffffffn));
      this.u32(Number((group >> 32n) & 0xffffffffn));
    }
  }

  /** epb_verdict of a drop as etl2pcapng writes one: type 2 (eBPF XDP), value XDP_DROP (tshark's frame.verdict.ebpf_xdp). */
  private verdictDrop(): void {
    this.room(16);
    this.u16(EPB_VERDICT);
    this.u16(9);
    this.buf[this.pos] = VERDICT_XDP;
    this.dv.setBigUint64(this.pos + 1, XDP_DROP, true);
    this.pos += 9;
    while (this.pos % 4 !== 0) this.buf[this.pos++] = 0;
  }

  private pcapHeader(linktype: number, nanos: boolean): void {
    this.started = true;
    this.nanos = nanos;
    this.room(24);
    this.u32(nanos ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
    this.u16(2);
    this.u16(4);
    this.u32(0);
    this.u32(0);
    this.u32(SNAPLEN);
    this.u32(linktype);
  }

  private pcapRecord(f: Frame, data: Uint8Array, origLen: number, linktype: number): void {
    if (!this.started) {
      // The clock is chosen by the first frame: nanoseconds when its capture has them.
      this.pcapHeader(linktype, f.tsDigits > 6);
      this.pcapLinktype = linktype;
      this.pcapFirst = this.name(f);
    } else if (linktype !== this.pcapLinktype) {
      throw new WriteError(
        `${this.name(f)} has link type ${linktype}, but a pcap file holds one link type (${this.pcapLinktype}, from ${this.pcapFirst}): write pcapng (leave out -F pcap)`,
      );
    }
    this.room(16 + data.length);
    this.u32(f.tsSec);
    this.u32(this.nanos ? f.tsNsec : Math.floor(f.tsNsec / 1000));
    this.u32(data.length);
    this.u32(origLen);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
}
