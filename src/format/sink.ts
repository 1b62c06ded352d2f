/**
 * Text written straight into bytes. Formatters write their output here piece by piece instead of
 * building a string per frame: a string made of hundreds of pieces must be flattened and encoded
 * again before it can be written, and that cost more than formatting it (the profile's top entry).
 */

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const HEX_DIGITS_UPPER = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const SMALL = 1 << 12;
/** Up to this length a string is copied code by code; longer ones are cheaper through the encoder. */
const SHORT = 12;
/**
 * Up to this length bytes are copied one by one: set() costs about 15 ns whatever the length
 * (its checks), a loop over the addresses, arrows and labels of a summary line about half that.
 */
const SHORT_BYTES = 16;

/**
 * Measured per call on a 45-character line: set() 15 ns, utf8Write 47 ns, a byte-by-byte loop
 * 57 ns (bytes) and 115 ns (characters). So texts that recur are kept encoded and copied whole.
 */
export class TextSink {
  protected buf: Buffer;
  pos = 0;

  constructor(size = SMALL) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes at `pos`. The base sink grows; an output hands its bytes on instead. */
  protected makeRoom(n: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** Text of any kind, as UTF-8. */
  str(s: string): void {
    const n = s.length;
    if (n <= SHORT) {
      if (this.pos + n > this.buf.length) this.makeRoom(n);
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) return this.utf8(s);
        buf[pos++] = c;
      }
      this.pos = pos;
    } else this.utf8(s);
  }

  private utf8(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.pos + s.length * 3 > this.buf.length) this.makeRoom(s.length * 3);
    this.pos += this.buf.write(s, this.pos);
  }

  /** Bytes already encoded: the texts every frame repeats (labels, indents) are made once, as bytes. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    if (n > SHORT_BYTES) {
      this.buf.set(b, this.pos);
      this.pos += n;
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) buf[pos++] = b[i];
    this.pos = pos;
  }

  byte(c: number): void {
    if (this.pos + 1 > this.buf.length) this.makeRoom(1);
    this.buf[this.pos++] = c;
  }

  /** A number in decimal, zero-padded to `width`: integers below 2^53 digit by digit, anything else as JavaScript writes it. */
  num(v: number, width = 1): void {
    if ((v | 0) !== v || v < 0) {
      if (v > 0 && Number.isSafeInteger(v)) {
        // Past 2^31 (a PktGroupId is about 2^49): the digits above the last nine, then those nine.
        const high = Math.floor(v / 1e9);
        this.num(high, width - 9);
        this.num(v - high * 1e9, 9);
      } else this.bigNum(v, width);
      return;
    }
    // Small integers (nearly all): digits counted by comparison, written by integer division.
    let digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : 6;
    for (let t = 1000000; t <= v && digits < 10; t *= 10) digits++;
    if (digits < width) digits = width;
    if (this.pos + digits > this.buf.length) this.makeRoom(digits);
    const buf = this.buf;
    const end = this.pos + digits;
    let pos = end;
    do {
      const q = (v / 10) | 0;
      buf[--pos] = 0x30 + v - q * 10;
      v = q;
    } while (v > 0);
    while (pos > this.pos) buf[--pos] = 0x30;
    this.pos = end;
  }

  private bigNum(v: number, width: number): void {
    this.str(String(v).padStart(width, '0'));
  }

  /** `0x` and the hex digits of a value, zero-padded to `width`. */
  hex(v: number, width: number, upper = false): void {
    this.byte(0x30);
    this.byte(0x78);
    this.hexDigits(v, width, upper);
  }

  /** The hex digits of a value, zero-padded to `width`: 32-bit values digit by digit. */
  hexDigits(v: number, width: number, upper = false): void {
    if (!(v >= 0 && v <= 0xffffffff)) {
      const text = upper ? v.toString(16).toUpperCase() : v.toString(16);
      this.str(text.padStart(width, '0'));
      return;
    }
    let digits = 1;
    for (let t = v >>> 4; t !== 0; t >>>= 4) digits++;
    if (digits < width) digits = width;
    if (this.pos + digits > this.buf.length) this.makeRoom(digits);
    const buf = this.buf;
    const table = upper ? HEX_DIGITS_UPPER : HEX_DIGITS;
    let pos = this.pos + digits;
    this.pos = pos;
    for (let i = 0; i < digits; i++, v >>>= 4) buf[--pos] = table[v & 0xf];
  }

  /** The two hex digits of a byte. */
  hexByte(b: number): void {
    if (this.pos + 2 > this.buf.length) this.makeRoom(2);
    this.buf[this.pos++] = HEX_DIGITS[b >>> 4];
    this.buf[this.pos++] = HEX_DIGITS[b & 0xf];
  }

  /** Hex of every byte, the character `sep` between them (-1: none). */
  hexBytes(b: Uint8Array, sep: number): void {
    const n = b.length;
    if (n === 0) return;
    const step = sep < 0 ? 2 : 3;
    if (this.pos + n * step > this.buf.length) this.makeRoom(n * step);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      if (step === 3 && i > 0) buf[pos++] = sep;
      buf[pos++] = HEX_DIGITS[b[i] >>> 4];
      buf[pos++] = HEX_DIGITS[b[i] & 0xf];
    }
    this.pos = pos;
  }

  /** Everything written, as text: for tests and for callers that want one string. */
  toString(): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.pos).toString('utf8');
  }
}

/** Runs `write` into a fresh sink and returns the text: the string form of a sink formatter. */
export function textOf(write: (sink: TextSink) => void): string {
  const sink = new TextSink();
  write(sink);
  return sink.toString();
}

/** A constant text as UTF-8 bytes, to write with `bytes()`. */
export const encoded = (s: string): Uint8Array => Buffer.from(s);
