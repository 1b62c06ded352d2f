import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import { CaptureError, firstBytes } from './errors.js';

/** node:zlib, loaded by the first gzipped capture rather than by every start (about 1 ms of it). */
let zlibLoaded: typeof Zlib | undefined;
const zlib = (): typeof Zlib => (zlibLoaded ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib);

/** The next non-empty chunk (valid until the next pull), or null at the end of the input. */
export type Pull = () => Promise<Uint8Array | null>;

/** Compressed bytes handed to zlib per call. */
const GUNZIP_SLICE = 4096;
/** Inflated chunks held before zlib is paused. */
const GUNZIP_QUEUE = 4;
/**
 * Decompressed chunk size (zlib's default). On corrupt data zlib drops what it inflated in the
 * failing call, so this also bounds what is lost before the damage.
 */
const GUNZIP_CHUNK = 16 * 1024;

/** RFC 1952 header flags. */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;

/**
 * The compressed input as a queue of bytes with their offsets in the file: a member's header and
 * trailer are read from it, and what the inflater did not use goes back to its front.
 */
class Compressed {
  private buf: Uint8Array;
  /** File offset of buf[0]. */
  private base = 0;

  constructor(
    head: Uint8Array,
    private readonly pull: Pull,
  ) {
    this.buf = new Uint8Array(head);
  }

  get offset(): number {
    return this.base;
  }

  /** Holds at least `n` bytes, unless the input ends first (false). */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length < n) {
      const chunk = await this.pull();
      if (chunk === null) return false;
      // The next pull may reuse the chunk's buffer: keep a copy.
      this.buf = this.buf.length === 0 ? new Uint8Array(chunk) : Buffer.concat([this.buf, chunk]);
    }
    return true;
  }

  peek(i: number): number {
    return this.buf[i];
  }

  /** The next `n` bytes (at most what is held), consumed. */
  take(n: number): Uint8Array {
    const taken = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(taken.length);
    this.base += taken.length;
    return taken;
  }

  /** Bytes taken but not used, back at the front. */
  untake(bytes: Uint8Array): void {
    this.buf = this.buf.length === 0 ? bytes : Buffer.concat([bytes, this.buf]);
    this.base -= bytes.length;
  }
}

const cutOff = (inflated: number): CaptureError => new CaptureError('bad_gzip', inflated, 'gzip data cut off (unexpected end of file)', true);
const corrupt = (inflated: number, what: string): CaptureError => new CaptureError('bad_gzip', inflated, `corrupt gzip data (${what})`, true);

/** zlib's complaints become a CaptureError at the end of what could be inflated; other errors pass. */
function zlibError(err: unknown, inflated: number): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || !e.code.startsWith('Z_')) return err;
  return e.code === 'Z_BUF_ERROR' ? cutOff(inflated) : corrupt(inflated, e.message);
}

/**
 * gzip data (RFC 1952: one or more members, as `cat a.gz b.gz` makes), inflated as it streams.
 * Each member's header and trailer are read here and its deflate data inflated raw, so the end of
 * every member is known to the byte: what follows the last one, when it is neither another member
 * nor zero padding, is reported at its offset in the file, after all the data before it. Input is
 * pulled only when the inflater has used what it was given and has nothing left to hand out:
 * while the consumer holds a chunk back, nothing more is read. `close` ends the inflater.
 */
export function inflating(head: Uint8Array, pull: Pull): { pull: Pull; close: () => void } {
  const input = new Compressed(head, pull);
  let member: Member | null = null;
  let inflated = 0;
  let done = false;
  return {
    pull: async () => {
      for (;;) {
        if (done) return null;
        if (member === null) {
          if (!(await readHeader(input, inflated))) {
            done = true;
            return null;
          }
          member = new Member(input);
        }
        const chunk = await member.next(inflated);
        if (chunk !== null) {
          inflated += chunk.length;
          return chunk;
        }
        member.close();
        await readTrailer(input, member, inflated);
        member = null;
      }
    },
    close: () => member?.close(),
  };
}

/** One member's deflate data through zlib; its inflated chunks in order, then null. */
class Member {
  private readonly zlib: Zlib.InflateRaw = zlib().createInflateRaw({ chunkSize: GUNZIP_CHUNK });
  /** Inflated chunks as zlib produces them: an error destroys the stream and its buffer. */
  private readonly queue: Uint8Array[] = [];
  private error: unknown = null;
  private ended = false;
  /** zlib has consumed every byte written to it. */
  private hungry = true;
  /** No more is written: the deflate data ended, or the input did. */
  private fed = false;
  private written = 0;
  private last: Uint8Array = new Uint8Array(0);
  private wake: (() => void) | null = null;
  crc = 0;
  size = 0;

  constructor(private readonly input: Compressed) {
    const z = this.zlib;
    z.on('data', (chunk: Uint8Array) => {
      this.queue.push(chunk);
      if (this.queue.length >= GUNZIP_QUEUE) z.pause(); // backpressure: zlib stops inflating
      this.notify();
    });
    z.on('end', () => ((this.ended = true), this.notify()));
    z.on('error', (err) => ((this.error = err), this.notify()));
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async next(inflated: number): Promise<Uint8Array | null> {
    const z = this.zlib;
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        if (this.queue.length === 0 && z.isPaused() && this.error === null) z.resume();
        this.crc = zlib().crc32(chunk, this.crc);
        this.size = (this.size + chunk.length) >>> 0;
        return chunk;
      }
      if (this.error !== null) throw zlibError(this.error, inflated);
      if (this.ended) {
        // The deflate data ended inside the last slice: its unused bytes start the trailer.
        const unused = this.written - z.bytesWritten;
        if (unused > 0) this.input.untake(this.last.subarray(this.last.length - unused));
        return null;
      }
      if (z.isPaused()) z.resume();
      if (this.hungry && !this.fed) {
        if (z.bytesWritten < this.written) this.fed = true; // zlib left bytes: the deflate data ended
        else if (!(await this.input.ensure(1))) {
          this.fed = true;
          z.end();
        } else this.feed();
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /**
   * One slice at a time, so that the slice the deflate data ends in is known. Small slices also
   * bound what a failing zlib call takes with it to the output of GUNZIP_SLICE input bytes.
   */
  private feed(): void {
    // zlib reads its input after write() returns: take() hands out bytes that are never written again.
    const slice = this.input.take(GUNZIP_SLICE);
    this.hungry = false;
    this.written += slice.length;
    this.last = slice;
    this.zlib.write(slice, () => ((this.hungry = true), this.notify()));
  }

  close(): void {
    this.zlib.destroy();
  }
}

/** A member's header (RFC 1952 2.3.1); false at the end of the input or of zero padding after a member. */
async function readHeader(input: Compressed, inflated: number): Promise<boolean> {
  const first = input.offset === 0;
  if (!first) {
    // After a member: the end, zero padding (which gzip(1) and zlib skip), or another member.
    while ((await input.ensure(1)) && input.peek(0) === 0) input.take(1);
    if (!(await input.ensure(1))) return false;
    const at = input.offset;
    if (!(await input.ensure(2)) || input.peek(0) !== 0x1f || input.peek(1) !== 0x8b) {
      await input.ensure(4); // up to 4 bytes to show, as for an unknown magic
      throw new CaptureError('bad_gzip', at, `data after the gzip data is not another gzip member: ${firstBytes(input.take(4))}`);
    }
  }
  // The header's own CRC-16 (FHCRC) covers every byte before it: kept as the bytes are taken.
  let crc = 0;
  const take = (n: number): Uint8Array => {
    const bytes = input.take(n);
    crc = zlib().crc32(bytes, crc);
    return bytes;
  };
  if (!(await input.ensure(10))) throw cutOff(inflated);
  const header = take(10);
  if (header[2] !== 8) throw corrupt(inflated, 'unknown compression method');
  const flags = header[3];
  if ((flags & FRESERVED) !== 0) throw corrupt(inflated, 'unknown header flags set');
  if ((flags & FEXTRA) !== 0) {
    if (!(await input.ensure(2))) throw cutOff(inflated);
    const xlen = input.peek(0) | (input.peek(1) << 8);
    if (!(await input.ensure(2 + xlen))) throw cutOff(inflated);
    take(2 + xlen);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if ((flags & flag) === 0) continue;
    // A zero-terminated string, taken a byte at a time: its length is the file's to choose.
    for (;;) {
      if (!(await input.ensure(1))) throw cutOff(inflated);
      if (take(1)[0] === 0) break;
    }
  }
  if ((flags & FHCRC) !== 0) {
    if (!(await input.ensure(2))) throw cutOff(inflated);
    const stored = input.peek(0) | (input.peek(1) << 8);
    if (stored !== (crc & 0xffff)) throw corrupt(inflated, 'header crc mismatch');
    input.take(2);
  }
  return true;
}

/** A member's CRC-32 and length of the inflated data (RFC 1952 2.3.1), checked as zlib checks them. */
async function readTrailer(input: Compressed, member: Member, inflated: number): Promise<void> {
  if (!(await input.ensure(8))) throw cutOff(inflated);
  const t = input.take(8);
  const word = (i: number): number => (t[i] | (t[i + 1] << 8) | (t[i + 2] << 16) | (t[i + 3] << 24)) >>> 0;
  if (word(0) !== member.crc >>> 0) throw corrupt(inflated, 'incorrect data check');
  if (word(4) !== member.size) throw corrupt(inflated, 'incorrect length check');
}
