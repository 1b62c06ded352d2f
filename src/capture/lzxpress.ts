// Plain LZ77 ("LZ77 without Huffman", the LZXpress that ETW uses for compressed trace buffers),
// decoded from the processing rules of [MS-XCA] section 2.4. No npm package implements it
// (lzxpress, xpress-compression and lzxpress-js do not exist; lz77 is a different LZ77 format).

/** Why a compressed block could not be decoded, and where in the compressed bytes. */
export class LzxpressError extends Error {
  constructor(
    /** Offset in the compressed input of the flag word, match or length byte at fault. */
    readonly offset: number,
    message: string,
    /** The output buffer was too small: the input may be fine. */
    readonly overflow = false,
  ) {
    super(message);
    this.name = 'LzxpressError';
  }
}

/**
 * Decodes `input` into `output` (reused by the caller between blocks); returns the number of bytes
 * written. Throws LzxpressError, and nothing else, when the input ends inside a flag word, match
 * or length, when a match reaches back before the output's start, or when the output would not
 * fit in `output` (`overflow` is then set, so a caller can retry with a larger buffer).
 */
export function lzxpressDecompress(input: Uint8Array, output: Uint8Array): number {
  const inEnd = input.length;
  const outEnd = output.length;
  let ip = 0;
  let op = 0;
  let flags = 0;
  let flagCount = 0;
  // Where the spare half of a shared length byte is, or -1 when none is pending.
  let halfByte = -1;
  for (;;) {
    if (flagCount === 0) {
      // The input may end exactly where a flag word would start: the spec's encoder always writes
      // one, but a block of whole flag groups decodes the same without it.
      if (ip === inEnd) return op;
      if (ip + 4 > inEnd) throw new LzxpressError(ip, `flag word cut off after ${inEnd - ip} of 4 bytes`);
      flags = (input[ip] | (input[ip + 1] << 8) | (input[ip + 2] << 16) | (input[ip + 3] << 24)) >>> 0;
      ip += 4;
      flagCount = 32;
    }
    flagCount--;
    if ((flags & (1 << flagCount)) === 0) {
      if (ip === inEnd) return op; // the unused flags of the last word are zero
      if (op === outEnd) throw overflow(ip, outEnd);
      output[op++] = input[ip++];
      continue;
    }
    if (ip === inEnd) return op; // a set flag with no match after it marks the end
    const at = ip;
    if (ip + 2 > inEnd) throw new LzxpressError(at, 'match cut off after 1 of 2 bytes');
    const match = input[ip] | (input[ip + 1] << 8);
    ip += 2;
    const distance = (match >>> 3) + 1;
    let length = match & 7;
    if (length === 7) {
      if (halfByte < 0) {
        if (ip >= inEnd) throw new LzxpressError(at, 'match length cut off');
        length = input[ip] & 0x0f;
        halfByte = ip++;
      } else {
        length = input[halfByte] >>> 4;
        halfByte = -1;
      }
      if (length === 15) {
        if (ip >= inEnd) throw new LzxpressError(at, 'match length cut off');
        length = input[ip++];
        if (length === 255) {
          if (ip + 2 > inEnd) throw new LzxpressError(at, 'match length cut off');
          length = input[ip] | (input[ip + 1] << 8);
          ip += 2;
          if (length === 0) {
            if (ip + 4 > inEnd) throw new LzxpressError(at, 'match length cut off');
            length = (input[ip] | (input[ip + 1] << 8) | (input[ip + 2] << 16) | (input[ip + 3] << 24)) >>> 0;
            ip += 4;
          }
          if (length < 15 + 7) throw new LzxpressError(at, `match length ${length} below the 22 its encoding implies`);
          length -= 15 + 7;
        }
        length += 15;
      }
      length += 7;
    }
    length += 3;
    if (distance > op) throw new LzxpressError(at, `match reaches ${distance} bytes back from output byte ${op}`);
    if (length > outEnd - op) throw overflow(at, outEnd);
    // Byte by byte: a match may overlap the bytes it produces (distance < length).
    for (let from = op - distance, end = op + length; op < end; ) output[op++] = output[from++];
  }
}

const overflow = (at: number, size: number): LzxpressError => new LzxpressError(at, `inflates to more than ${size} bytes`, true);
