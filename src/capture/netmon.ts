// Microsoft Network Monitor captures (.cap), as Network Monitor 3.x and Message Analyzer save them:
// version 2.0-2.3 (magic GMBU) and 1.x (magic RTSS), laid out as Network Monitor 3.x's help
// ("Capture File Format") describes. Every integer is little-endian.
//
// Unlike pcap, such a file is no stream of records: a frame table, written last, holds the offset
// of each record, and records need not be in table order nor back to back. So the file is read by
// position: the header and the comments first, then each record where the table says, through a
// window of the file, which keeps memory constant and costs one read per window when the records
// are in file order (as Network Monitor writes them) or in reverse, and a small read per record
// when they are in no order (see Window).
// fs.promises is read when first called; importing node:fs/promises would load it (and readline) at every start.
import { promises as fs } from 'node:fs';
import { CaptureError, MAX_RECORD_BYTES } from './errors.js';
import { cutComment, type FrameSink, LINKTYPE_NOT_A_PACKET, newFrame } from './frame.js';
import { badTime, type Clock, setTime, timeShowable } from './timestamp.js';

const HEADER = 128;
/** Bytes of the file read at a time: any record (at most MAX_RECORD_BYTES of data) fits. */
const READ_WINDOW = 512 * 1024;
/** Bytes read at a time where the records are in no order: a record with a jumbo frame fits twice. */
const SCATTERED = 32 * 1024;
/** Bytes a window read stepping backward extends past the record asked for: one with a jumbo frame fits. */
const SLACK = 16 * 1024;
/** Bytes of the frame table read at a time: 16384 entries. */
const TABLE_WINDOW = 64 * 1024;
/** Comments are kept in memory for the whole pass: a larger comment section means damage. */
const MAX_COMMENT_BYTES = 16 * 1024 * 1024;
/**
 * At most this many comments: people annotate a few frames of a capture, and each comment kept
 * costs about 200 bytes beyond its text (a 16 MiB section of 932k empty ones took 183 MB).
 */
const MAX_COMMENTS = 65536;

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
/** A medium not decoded (Token Ring, 802.11, ...): the decoder shows data with its link.unknown warning. */
const UNDECODED = -1;

/** A FILETIME counts 100 ns units since 1601-01-01 UTC; shown to the microsecond, as pcap is. */
const FILETIME: Clock = { binary: false, exp: 7, offsetSec: -11_644_473_600, tsDigits: 6 };

/** Network types that carry no packet: Network Monitor's own records about the capture. */
const SPECIAL: ReadonlyMap<number, string> = new Map([
  [0xffe0, 'NetEvent (an ETW event)'],
  [0xfffb, 'extended network info (the capturing adapters)'],
  [0xfffc, 'payload header (of a frame it reassembled)'],
  [0xfffd, 'network info (the capturing adapters)'],
  [0xfffe, 'DNS cache (names it resolved)'],
  [0xffff, 'filter (the capture filter text)'],
]);

/** A Network Monitor magic: GMBU (2.x) or RTSS (1.x); the header's version byte says which. */
export function isNetmon(head: Uint8Array): boolean {
  const magic = String.fromCharCode(head[0], head[1], head[2], head[3]);
  return magic === 'GMBU' || magic === 'RTSS';
}

/** A capture file read by position: Network Monitor's frame table is at its end. */
export interface CaptureFile {
  readonly size: number;
  /** The path it was opened from (a pktmon trace's scan for component names reads it again). */
  readonly path?: string;
  /**
   * `length` bytes at `position`, fewer only where the file ends: in a fresh buffer each call, or
   * at the start of `into` (of at least `length` bytes) when given.
   */
  read(position: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Why a .cap cannot come through a pipe (stdin, a FIFO) or gzip, in one line. */
export function needsFile(source: string, fix = "give the .cap file's path"): CaptureError {
  return new CaptureError(
    'unsupported_format',
    0,
    `a Network Monitor capture keeps its frame table at the end of the file, so it cannot be read ${source}: ${fix}`,
  );
}

/** Opens a capture path for reading by position; a pipe cannot be read so, and is refused. */
export async function openCaptureFile(path: string): Promise<CaptureFile> {
  // Checked before opening: opening a FIFO again would wait for a writer that has already left.
  if (!(await fs.stat(path)).isFile()) throw needsFile('from a pipe');
  const fh = await fs.open(path, 'r');
  const st = await fh.stat().catch(async (err: unknown) => {
    await fh.close();
    throw err;
  });
  return {
    size: st.size,
    path,
    async read(position, length, into) {
      const n = Math.max(0, Math.min(length, st.size - position));
      const buf = into === undefined ? Buffer.allocUnsafe(n) : into.subarray(0, n);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
        if (bytesRead === 0) break; // the file shrank: the caller reports what is missing
        got += bytesRead;
      }
      return buf.subarray(0, got);
    },
    close: () => fh.close(),
  };
}

/**
 * A file read through a window, which moves the way the reads go: forward, the window starts at
 * the bytes asked for; stepping backward (a frame table in reverse file order), it ends SLACK
 * bytes past them, so it holds the records before them too. Either way one read serves a
 * window's worth of records. Where the reads have no order (each window served one record), it
 * reads SCATTERED bytes instead of `size`, so a random order costs a small read per record, not a
 * large one. Memory is the one window, whatever the order or the file's size. Each read fills a
 * fresh buffer, so a view handed out earlier (the previous frame's data) stays valid.
 */
class Window {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  /** Records taken from the window since it was read (counted by the caller, through took()). */
  private served = 0;
  /** Bytes read so far: the caller batches the sink's backpressure by them. */
  bytesRead = 0;

  constructor(
    private readonly file: CaptureFile,
    private readonly size: number,
  ) {}

  /** Where `length` bytes at `position` end: at the end of the file if it is nearer. */
  private end(position: number, length: number): number {
    return Math.max(position, Math.min(position + length, this.file.size));
  }

  /** Whether the window holds `length` bytes at `position` (as many as the file has). */
  holds(position: number, length: number): boolean {
    return position >= this.start && this.end(position, length) <= this.start + this.buf.length;
  }

  /** Moves the window so it holds `length` bytes at `position`. */
  async load(position: number, length: number): Promise<void> {
    const size = Math.max(length, this.served === 1 ? SCATTERED : this.size);
    const from = position < this.start ? Math.max(0, position + Math.max(length, SLACK) - size) : position;
    this.buf = await this.file.read(from, size);
    this.start = from;
    this.served = 0;
    this.bytesRead += this.buf.length;
  }

  /** One more record taken from the window. */
  took(): void {
    this.served++;
  }

  /** `length` bytes at `position`, fewer only where the file ends; the window must hold them. */
  bytes(position: number, length: number): Uint8Array {
    return this.buf.subarray(position - this.start, this.end(position, length) - this.start);
  }
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** The pcap link type of a Network Monitor network type, LINKTYPE_NOT_A_PACKET for its own records, or UNDECODED. */
function linktypeOf(network: number): number {
  // 0 too: Network Monitor 3.4 writes it for Ethernet frames of VPN adapters.
  if (network <= 1) return LINKTYPE_ETHERNET;
  // Tunnel interfaces, wireless WAN and raw IP frames: an IP packet with no link header.
  if (network >= 7 && network <= 9) return LINKTYPE_RAW;
  // A pcap converted by Network Monitor keeps its link type in the low 12 bits; 0xE080-0xE08A
  // are Message Analyzer's own media types instead.
  if ((network & 0xf000) === 0xe000 && (network < 0xe080 || network > 0xe08a)) return network & 0x0fff;
  return SPECIAL.has(network) ? LINKTYPE_NOT_A_PACKET : UNDECODED;
}

/** What a frame that is shown as data is, for its comment. */
function networkNote(network: number): string {
  const hex = `0x${network.toString(16).toUpperCase().padStart(4, '0')}`;
  const special = SPECIAL.get(network);
  if (special !== undefined) return `Network Monitor ${special}, network type ${hex}: not a packet, shown as data`;
  return `Network Monitor network type ${network} (${hex}) is not decoded: shown as data`;
}

/** The header's capture start, a SYSTEMTIME in the capturing machine's local time, read as if UTC. */
function startTime(h: DataView): { sec: number; us: number } {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 as they are.
  d.setUTCFullYear(h.getUint16(8, true), h.getUint16(10, true) - 1, h.getUint16(14, true));
  d.setUTCHours(h.getUint16(16, true), h.getUint16(18, true), h.getUint16(20, true));
  return { sec: d.getTime() / 1000, us: h.getUint16(22, true) * 1000 };
}

/** RTF groups whose text is not the comment's: fonts, colours, styles, document info. */
const RTF_SKIPPED = new Set(['fonttbl', 'colortbl', 'stylesheet', 'info', 'pict']);
/**
 * Windows-1252 where it differs from Latin-1 (bytes 0x80-0x9F): Node 20's TextDecoder decodes
 * 'windows-1252' as Latin-1, which would turn a typed apostrophe (0x92) into a control character.
 */
const CP1252_80_9F = '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';
const cp1252 = (byte: number): string => (byte >= 0x80 && byte < 0xa0 ? CP1252_80_9F[byte - 0x80] : String.fromCharCode(byte));
/** Windows-1252 bytes as text, up to a NUL (a C string's terminator): decoded whole, not byte by byte. */
function cp1252Text(b: Uint8Array): string {
  const nul = b.indexOf(0);
  const latin1 = Buffer.from(b.buffer, b.byteOffset, nul < 0 ? b.length : nul).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]);
}
const utf16le = new TextDecoder('utf-16le');
const RTF_TOKEN = /\\([a-z]+)(-?\d+)? ?|\\'([0-9a-f]{2})|\\([^a-z])|([{}])|([^\\{}\r\n]+)/gi;

/** Network Monitor stores a comment's description as RTF: its plain text, markup dropped. */
export function rtfText(rtf: string): string {
  if (!rtf.startsWith('{\\rtf')) return rtf;
  let out = '';
  let depth = 0;
  let skipFrom = Infinity; // the depth of a group whose text is not shown
  let fallback = 0; // characters after \uN that stand in for it in readers without Unicode
  for (const [, word, param, hex, symbol, brace, text] of rtf.matchAll(RTF_TOKEN)) {
    if (brace !== undefined) {
      if (brace === '}' && depth-- === skipFrom) skipFrom = Infinity;
      if (brace === '{') depth++;
    } else if (depth >= skipFrom) {
      // inside a skipped group
    } else if (word !== undefined) {
      if (RTF_SKIPPED.has(word)) skipFrom = depth;
      else if (word === 'par' || word === 'line' || word === 'tab') out += ' ';
      else if (word === 'u' && param !== undefined) {
        out += String.fromCharCode(Number(param) & 0xffff);
        fallback = 1;
      }
    } else if (symbol !== undefined) {
      if (symbol === '*') skipFrom = depth; // an optional destination this reader does not know
      else if ('\\{}'.includes(symbol)) out += symbol;
      else if (symbol === '~' || symbol === '\n' || symbol === '\r') out += ' ';
    } else if (hex !== undefined) {
      if (fallback > 0) fallback--;
      else out += cp1252(Number.parseInt(hex, 16)); // the document's code page: 1252 where these are written
    } else if (text !== undefined) {
      out += text.slice(fallback);
      fallback = 0;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Text up to its first NUL: the strings may carry a C string's terminator. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * The comments of a 2.2+ file, by the file offset of the frame each belongs to: a title (UTF-16)
 * and a description (RTF), shown as `title: description`.
 */
async function readComments(file: CaptureFile, h: DataView): Promise<Map<number, string>> {
  const comments = new Map<number, string>();
  const offset = h.getUint32(40, true);
  const length = h.getUint32(44, true);
  if (length === 0) return comments;
  if (length > MAX_COMMENT_BYTES) {
    throw new CaptureError('bad_table', 44, `comment data of ${length} bytes (limit ${MAX_COMMENT_BYTES})`);
  }
  if (offset + length > file.size) {
    throw new CaptureError('bad_table', 40, `comment data (${length} bytes at byte ${offset}) runs past the end of the file (${file.size} bytes)`);
  }
  const b = await file.read(offset, length);
  const dv = view(b);
  // Fewer than 17 bytes cannot hold one more comment: slack after the last one is ignored.
  for (let p = 0, n = 1; length - p > 16; n++) {
    const titleEnd = p + 12 + dv.getUint32(p + 8, true);
    const descLength = titleEnd + 4 <= length ? dv.getUint32(titleEnd, true) : Infinity;
    const end = titleEnd + 4 + descLength;
    if (end > length) throw new CaptureError('bad_table', offset + p, `comment ${n} runs past the end of the comment data (${length} bytes at byte ${offset})`);
    if (n > MAX_COMMENTS) throw new CaptureError('bad_table', offset + p, `comment ${n}: more than ${MAX_COMMENTS} comments (limit)`);
    const title = cString(utf16le.decode(b.subarray(p + 12, titleEnd)));
    const description = rtfText(cp1252Text(b.subarray(titleEnd + 4, end)));
    comments.set(dv.getUint32(p + 4, true), cutComment(description === '' ? title : `${title}: ${description}`, end - p - 16));
    p = end;
  }
  return comments;
}

/**
 * Streams every frame of a Network Monitor capture to the sink, in frame-table order, numbered by
 * their place in the table. Calls sink.afterChunk once per READ_WINDOW bytes of the file read (and stops when
 * it says so). Throws CaptureError on damage, after every frame before it was delivered.
 */
export async function readNetmon(file: CaptureFile, sink: FrameSink): Promise<void> {
  const hb = await file.read(0, HEADER);
  if (hb.length < HEADER) throw new CaptureError('truncated_file_header', 0, `file header cut off after ${hb.length} of ${HEADER} bytes`);
  const h = view(hb);
  const minor = hb[4];
  const major = hb[5];
  if (major !== 1 && major !== 2) {
    throw new CaptureError('unsupported_format', 5, `Network Monitor file version ${major}.${minor} is not supported (1.x and 2.0-2.3 are)`);
  }
  // Record header: 1.x a 32-bit millisecond delta and 16-bit lengths, 2.x a 64-bit microsecond
  // delta and 32-bit lengths. Trailer after the data: network type (2.1), process index (2.2),
  // UTC FILETIME and time zone index (2.3; later minors are read as 2.3).
  const recordHeader = major === 1 ? 8 : 16;
  const trailer = major === 1 ? 0 : [0, 2, 6][minor] ?? 15;
  const fileNetwork = h.getUint16(6, true);
  const start = startTime(h);
  // Without a per-frame UTC time, the times are the capture start's local clock plus the delta.
  const localTime = trailer < 15 ? `time: local time of the capturing machine (Network Monitor ${major}.${minor} records no time zone)` : undefined;

  const tableOffset = h.getUint32(24, true);
  const tableLength = h.getUint32(28, true);
  if (tableLength % 4 !== 0) throw new CaptureError('bad_table', 28, `frame table length ${tableLength} is not a multiple of 4`);
  if (tableOffset + tableLength > file.size) {
    throw new CaptureError(
      'bad_table',
      24,
      `frame table (${tableLength / 4} entries at byte ${tableOffset}) runs past the end of the file (${file.size} bytes)`,
    );
  }
  // Before 2.2 the comment fields are not defined (Network Monitor leaves garbage there).
  const comments = major === 2 && minor >= 2 ? await readComments(file, h) : new Map<number, string>();

  const table = new Window(file, TABLE_WINDOW);
  const records = new Window(file, READ_WINDOW);
  const f = newFrame();
  let delivered = false; // frames given to the sink since the last afterChunk
  let flushedAt = 0; // records.bytesRead at the last afterChunk
  for (let n = 1; n <= tableLength / 4; n++) {
    const entry = tableOffset + 4 * (n - 1);
    // Awaited only when a window must be read: most frames need no turn of the event loop.
    if (!table.holds(entry, 4)) await table.load(entry, 4);
    const at = view(table.bytes(entry, 4)).getUint32(0, true);
    if (at >= file.size) {
      throw new CaptureError('bad_table', entry, `frame table entry ${n} points at byte ${at}, past the end of the file (${file.size} bytes)`);
    }
    const readBefore = records.bytesRead;
    if (!records.holds(at, recordHeader)) await records.load(at, recordHeader);
    const head = records.bytes(at, recordHeader);
    if (head.length < recordHeader) {
      throw new CaptureError('truncated_record_header', at, `record ${n} header cut off after ${head.length} of ${recordHeader} bytes`);
    }
    const hv = view(head);
    const incl = major === 1 ? hv.getUint16(6, true) : hv.getUint32(12, true);
    if (incl > MAX_RECORD_BYTES) {
      throw new CaptureError('record_too_long', at + 12, `record ${n} claims ${incl} captured bytes (limit ${MAX_RECORD_BYTES})`);
    }
    const size = recordHeader + incl + trailer;
    if (!records.holds(at, size)) await records.load(at, size);
    const rec = records.bytes(at, size);
    if (rec.length < size) {
      const [part, from, want] = rec.length < recordHeader + incl ? ['body', recordHeader, incl] : ['trailer', recordHeader + incl, trailer];
      throw new CaptureError('truncated_record_body', at + from, `record ${n} ${part} cut off after ${rec.length - from} of ${want} bytes`);
    }
    records.took();
    // A read brought the bytes read since the last batch to a window's worth: let the sink flush
    // and apply backpressure before the frames it holds.
    if (records.bytesRead !== readBefore && records.bytesRead - flushedAt >= READ_WINDOW && delivered) {
      delivered = false;
      flushedAt = records.bytesRead;
      if (await sink.afterChunk()) return;
    }

    const rv = view(rec);
    const network = trailer >= 2 ? rv.getUint16(recordHeader + incl, true) : fileNetwork;
    f.number = n;
    f.fileOffset = at;
    f.caplen = incl;
    f.origLen = major === 1 ? rv.getUint16(4, true) : rv.getUint32(8, true);
    f.data = rec.subarray(recordHeader, recordHeader + incl);
    f.linktype = linktypeOf(network);
    if (trailer === 15) {
      const t = recordHeader + incl + 6;
      setTime(FILETIME, rv.getUint32(t + 4, true), rv.getUint32(t, true), f);
    } else {
      // 2.x: a 64-bit count of microseconds, signed (a frame may precede the capture start); 1.x:
      // 32 bits of milliseconds. hi * 2^32 µs is split into hi * 4294 s + hi * 967296 µs, so every
      // term stays an exact integer (below 2^53) whatever the delta.
      const hi = major === 1 ? 0 : rv.getInt32(4, true);
      const us = start.us + hi * 967_296 + rv.getUint32(0, true) * (major === 1 ? 1000 : 1);
      const sec = Math.floor(us / 1e6);
      f.tsSec = start.sec + hi * 4294 + sec;
      f.tsNsec = (us - sec * 1e6) * 1000;
    }
    if (!timeShowable(f.tsSec)) throw badTime(at, `record ${n}`, f.tsSec);
    const comment = comments.size === 0 ? undefined : comments.get(at);
    const note = f.linktype === UNDECODED || f.linktype === LINKTYPE_NOT_A_PACKET ? networkNote(network) : undefined;
    f.comment = comment === undefined && note === undefined ? localTime : [comment, note, localTime].filter((s) => s !== undefined).join('; ');
    sink.onFrame(f);
    delivered = true;
  }
  if (delivered) await sink.afterChunk();
}
