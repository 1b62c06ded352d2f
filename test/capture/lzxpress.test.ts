import { describe, expect, it } from 'vitest';
import { LzxpressError, lzxpressDecompress } from '../../src/capture/lzxpress.js';
import { lzxpressCompress } from '../../fixtures/lib/lzxpress.js';

const hex = (s: string): Uint8Array => new Uint8Array(s.split(/\s+/).filter(Boolean).map((b) => Number.parseInt(b, 16)));
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function inflate(input: Uint8Array, size = 1024): Uint8Array {
  const out = new Uint8Array(size);
  return out.subarray(0, lzxpressDecompress(input, out));
}

function failure(input: Uint8Array, size = 1024): LzxpressError {
  try {
    inflate(input, size);
  } catch (e) {
    if (e instanceof LzxpressError) return e;
    throw e;
  }
  throw new Error('expected an LzxpressError');
}

describe('plain LZ77 decoding ([MS-XCA] 2.4)', () => {
  it('the spec example of 26 literals: one flag word 0x0000003F, then the bytes', () => {
    // [MS-XCA] 3.1: "abcdefghijklmnopqrstuvwxyz" compresses to 3f 00 00 00 and the 26 letters.
    const input = new Uint8Array([0x3f, 0, 0, 0, ...new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz')]);
    expect(text(inflate(input))).toBe('abcdefghijklmnopqrstuvwxyz');
  });

  it("the spec example of 'abc' repeated 100 times: a match of 297 bytes at distance 3, its length over three tiers", () => {
    // [MS-XCA] 3.1: ff ff ff 1f 61 62 63 17 00 0f ff 26 01. Flags 0x1FFFFFFF: three literals,
    // then a match 0x0017 (distance (0x17 >> 3) + 1 = 3, length code 7); the half byte 0xF says
    // more, the byte 0xFF says a 16-bit length follows: 0x0126 = 294 = 297 - 3.
    const out = inflate(hex('ff ff ff 1f 61 62 63 17 00 0f ff 26 01'));
    expect(out.length).toBe(300);
    expect(text(out)).toBe('abc'.repeat(100));
  });

  it('two length-7 matches share one length byte: low nibble for the first, high for the second', () => {
    // 'a', match (d=1, 3+7+2=12), match (d=1, 3+7+5=15): the shared byte is 0x52.
    const out = inflate(hex('ff ff ff 7f 61 07 00 52 07 00'));
    expect(text(out)).toBe('a'.repeat(1 + 12 + 15));
  });

  it('a 32-bit length when the 16-bit one is zero', () => {
    // 'a', match d=1 of length 70000: 70000 - 3 = 69997 = 0x0001116D.
    const out = inflate(hex('ff ff ff 7f 61 07 00 0f ff 00 00 6d 11 01 00'), 80000);
    expect(out.length).toBe(70001);
    expect(out.every((b) => b === 0x61)).toBe(true);
  });

  it('an input ending exactly where the next flag word would start is complete', () => {
    expect(text(inflate(hex('00 00 00 00 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78 79 7a 41 42 43 44 45 46')))).toBe(
      'abcdefghijklmnopqrstuvwxyzABCDEF',
    );
  });

  it('damage is an LzxpressError at the offset of the part at fault, never another exception', () => {
    expect(failure(hex('ff ff'))).toMatchObject({ offset: 0, message: 'flag word cut off after 2 of 4 bytes' });
    expect(failure(hex('ff ff ff 7f 61 07'))).toMatchObject({ offset: 5, message: 'match cut off after 1 of 2 bytes' });
    expect(failure(hex('ff ff ff 7f 61 07 00'))).toMatchObject({ offset: 5, message: 'match length cut off' });
    // A match 2 bytes back after 1 byte of output.
    expect(failure(hex('ff ff ff 7f 61 08 00'))).toMatchObject({ offset: 5, message: 'match reaches 2 bytes back from output byte 1' });
    expect(failure(hex('ff ff ff 7f 61 07 00 0f ff 05 00'))).toMatchObject({ offset: 5, message: 'match length 5 below the 22 its encoding implies' });
    const big = failure(hex('ff ff ff 1f 61 62 63 17 00 0f ff 26 01'), 100);
    expect(big).toMatchObject({ offset: 7, message: 'inflates to more than 100 bytes', overflow: true });
    expect(failure(new Uint8Array([0, 0, 0, 0, 1, 2, 3]), 2)).toMatchObject({ offset: 6, overflow: true });
  });

  it("round trip with the fixtures' greedy encoder, including the spec examples' output", () => {
    expect(lzxpressCompress(new TextEncoder().encode('abc'.repeat(100)))).toEqual(hex('ff ff ff 1f 61 62 63 17 00 0f ff 26 01'));
    expect(lzxpressCompress(new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz'))).toEqual(
      new Uint8Array([0x3f, 0, 0, 0, ...new TextEncoder().encode('abcdefghijklmnopqrstuvwxyz')]),
    );
    const data = new Uint8Array(20000).map((_, i) => (i * 7919) % 251 ^ (i >> 9));
    expect(inflate(lzxpressCompress(data), 20000)).toEqual(data);
  });
});
