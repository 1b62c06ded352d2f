// pcapng clocks against a BigInt reference: every resolution, 64-bit counts at the edges and at
// random, and the exactness the frame promises (integer seconds and nanoseconds).
import { describe, expect, it } from 'vitest';
import { clockFor, setTime } from '../../src/capture/timestamp.js';

const NS = 1_000_000_000n;

/** Seconds and nanoseconds of `ts` units of 10^-exp s (truncated) or 2^-exp s (rounded half up). */
function reference(binary: boolean, exp: number, ts: bigint): [bigint, bigint] {
  const units = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  let sec = ts / units;
  const frac = ts % units;
  let ns = binary ? (frac * NS * 2n + units) / (2n * units) : (frac * NS) / units;
  if (ns === NS) {
    sec++;
    ns = 0n;
  }
  return [sec, ns];
}

function* counts(): Generator<bigint> {
  const edges = [0n, 1n, 0xffff_ffffn, 0x1_0000_0000n, (1n << 53n) - 1n, 1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n];
  yield* edges;
  let x = 0x9e37_79b9_7f4a_7c15n;
  for (let i = 0; i < 300; i++) {
    // xorshift64*: deterministic, and every bit pattern width is likely.
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffff_ffff_ffff_ffffn;
    x ^= x >> 27n;
    const v = (x * 0x2545_f491_4f6c_dd1dn) & 0xffff_ffff_ffff_ffffn;
    yield v >> BigInt(i % 64);
  }
}

describe('setTime: exact against BigInt for every resolution', () => {
  const resolutions: [boolean, number][] = [
    ...Array.from({ length: 21 }, (_, e): [boolean, number] => [false, e]),
    [false, 30],
    [false, 127],
    ...Array.from({ length: 65 }, (_, e): [boolean, number] => [true, e]),
    [true, 100],
    [true, 127],
  ];

  for (const [binary, exp] of resolutions) {
    it(`${binary ? '2' : '10'}^-${exp} s`, () => {
      const clock = clockFor((binary ? 0x80 : 0) | exp, 0);
      const out = { tsSec: -1, tsNsec: -1 };
      const bad: string[] = [];
      for (const ts of counts()) {
        const [sec, ns] = reference(binary, exp, ts);
        if (sec > 1n << 53n) continue; // beyond any date: the reader refuses those (bad_timestamp)
        setTime(clock, Number(ts >> 32n), Number(ts & 0xffff_ffffn), out);
        if (out.tsSec !== Number(sec) || out.tsNsec !== Number(ns)) bad.push(`${ts}: got ${out.tsSec}.${out.tsNsec}, want ${sec}.${ns}`);
      }
      expect(bad).toEqual([]);
    });
  }

  it('if_tsoffset is added to the seconds', () => {
    const out = { tsSec: 0, tsNsec: 0 };
    setTime(clockFor(9, -86400), 0, 1_500_000_000, out);
    expect(out).toEqual({ tsSec: -86399, tsNsec: 500_000_000 });
  });

  it('tsDigits: 9 when a unit is finer than a microsecond', () => {
    expect([0, 6, 7, 9, 12].map((e) => clockFor(e, 0).tsDigits)).toEqual([6, 6, 9, 9, 9]);
    expect([0, 10, 19, 20, 64].map((e) => clockFor(0x80 | e, 0).tsDigits)).toEqual([6, 6, 6, 9, 9]);
  });
});
