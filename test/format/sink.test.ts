import { describe, expect, it } from 'vitest';
import { type TextSink, textOf } from '../../src/format/sink.js';

const written = (write: (s: TextSink) => void): string => textOf(write);

describe('TextSink', () => {
  it('writes integers as decimal text, padded to a width, at every digit count and past 2^31', () => {
    const cases: [number, number, string][] = [
      [0, 1, '0'],
      [7, 1, '7'],
      [10, 1, '10'],
      [999999, 1, '999999'],
      [1000000, 1, '1000000'],
      [999999999, 1, '999999999'],
      [1000000000, 1, '1000000000'],
      [2147483647, 1, '2147483647'],
      [2147483648, 1, '2147483648'],
      [4294967295, 1, '4294967295'],
      [2 ** 53 - 1, 1, '9007199254740991'],
      // A PktGroupId's size, the nine digits below it all zeros, and padded past nine digits.
      [562_949_953_421_313, 1, '562949953421313'],
      [1e15, 1, '1000000000000000'],
      [1_000_000_000_000_007, 1, '1000000000000007'],
      [2 ** 40, 16, '0001099511627776'],
      [2 ** 53, 1, '9007199254740992'],
      [5, 6, '000005'],
      [123456, 9, '000123456'],
      [4294967295, 12, '004294967295'],
    ];
    for (const [v, width, text] of cases) expect(written((s) => s.num(v, width)), `${v} width ${width}`).toBe(text);
  });

  it('writes what is not a safe non-negative integer as JavaScript does', () => {
    expect(written((s) => s.num(-1))).toBe('-1');
    expect(written((s) => s.num(1.5))).toBe('1.5');
    expect(written((s) => s.num(Number.NaN))).toBe('NaN');
  });

  it('writes 0x-prefixed hex, padded, lower or upper case, past 32 bits too', () => {
    expect(written((s) => s.hex(0, 4))).toBe('0x0000');
    expect(written((s) => s.hex(0x800, 4))).toBe('0x0800');
    expect(written((s) => s.hex(0x3d59a4, 6, true))).toBe('0x3D59A4');
    expect(written((s) => s.hex(0xffffffff, 8))).toBe('0xffffffff');
    expect(written((s) => s.hex(0x123456789, 8))).toBe('0x123456789');
  });

  it('writes hex bytes with and without a separator', () => {
    const b = Uint8Array.from([0x00, 0x15, 0x5d, 0xff]);
    expect(written((s) => s.hexBytes(b, 0x3a))).toBe('00:15:5d:ff');
    expect(written((s) => s.hexBytes(b, -1))).toBe('00155dff');
    expect(written((s) => s.hexBytes(new Uint8Array(0), 0x3a))).toBe('');
  });

  it('copies encoded bytes of every length, short (one by one) and long (set()), views at an offset too, past its first buffer', () => {
    const all = Uint8Array.from({ length: 40 }, (_, i) => 0x41 + i);
    for (let n = 0; n <= 40; n++) {
      const view = all.subarray(40 - n);
      expect(written((s) => s.bytes(view)), `${n} bytes`).toBe(Buffer.from(view).toString('latin1'));
    }
    const text = written((s) => {
      for (let i = 0; i < 1000; i++) s.bytes(all.subarray(i % 41));
    });
    let expected = '';
    for (let i = 0; i < 1000; i++) expected += Buffer.from(all.subarray(i % 41)).toString('latin1');
    expect(text).toBe(expected);
  });

  it('encodes text as UTF-8, short and long, and grows past its first buffer', () => {
    expect(written((s) => s.str('ab'))).toBe('ab');
    expect(written((s) => s.str('…'))).toBe('…');
    expect(written((s) => s.str('a longer line with … in it'))).toBe('a longer line with … in it');
    const long = 'x'.repeat(10_000);
    const text = written((s) => {
      s.str(long);
      s.byte(0x0a);
      s.num(42);
    });
    expect(text).toBe(`${long}\n42`);
  });
});
