// pcapng timestamps: a 64-bit count of units per interface (if_tsresol), plus whole seconds
// (if_tsoffset). Converted exactly to seconds and nanoseconds with 16-bit long division on
// numbers, so the common resolutions allocate nothing per frame; only power-of-two resolutions
// finer than 2^-32 s (never seen in practice) fall back to BigInt. Also the one bound every
// reader holds its frame times to (timeShowable).
import { CaptureError } from './errors.js';

/** How one interface's timestamps become time. */
export interface Clock {
  /** if_tsresol: a unit is 10^-exp s (decimal) or 2^-exp s (binary, the option's high bit). */
  binary: boolean;
  exp: number;
  /** if_tsoffset: seconds added to every timestamp. */
  offsetSec: number;
  /** Fraction digits worth showing: 9 when a unit is finer than a microsecond, else 6. */
  tsDigits: 6 | 9;
}

/** The latest second a JavaScript Date (and so a printed time) can hold, either side of 1970. */
const MAX_TIME_SEC = 8.64e12;

/**
 * Whether a frame time (seconds from 1970) is one the formatters can print: every reader checks
 * the times it computes with this one bound (NaN fails it too), so none reaches them unprintable.
 */
export const timeShowable = (sec: number): boolean => Math.abs(sec) <= MAX_TIME_SEC;

/**
 * The error for a frame whose time fails timeShowable; `what` names the frame, `at` is its offset,
 * `sec` its seconds, exact (a bigint where a double would round them: 2^64 - 1, not 18446744073709552000).
 */
export function badTime(at: number, what: string, sec: number | bigint): CaptureError {
  return new CaptureError('bad_timestamp', at, `${what} has a timestamp of ${sec} s from 1970, outside the years -271821 to 275760 that a clock can show`);
}

/** The whole seconds of a 64-bit timestamp in `c`'s units, exactly, without if_tsoffset: for badTime's message only. */
export function wholeSeconds(c: Clock, hi: number, lo: number): bigint {
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  return c.binary ? ts >> BigInt(c.exp) : ts / 10n ** BigInt(c.exp);
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const TWO32 = 0x1_0000_0000;
/** 10^9 = 5^9 * 2^9: nanoseconds of a binary fraction without a 64-bit product. */
const FIVE9 = 1_953_125;

/** The clock of an interface from its if_tsresol byte (6 when absent) and if_tsoffset seconds. */
export function clockFor(tsresol: number, offsetSec: number): Clock {
  const binary = (tsresol & 0x80) !== 0;
  const exp = tsresol & 0x7f;
  const fine = binary ? exp >= 20 : exp > 6; // 2^-20 s is about 0.95 µs
  return { binary, exp, offsetSec, tsDigits: fine ? 9 : 6 };
}

let qHi = 0;
let qLo = 0;
let rem = 0;

/**
 * (hi * 2^32 + lo) / d, exact for d <= 2^32: quotient in qHi/qLo (32 bits each), remainder in rem.
 * Digit by digit in base 2^16, so no intermediate exceeds 2^48.
 */
function div64(hi: number, lo: number, d: number): void {
  let x = hi >>> 16;
  const q3 = Math.floor(x / d);
  x = (x - q3 * d) * 0x10000 + (hi & 0xffff);
  const q2 = Math.floor(x / d);
  x = (x - q2 * d) * 0x10000 + (lo >>> 16);
  const q1 = Math.floor(x / d);
  x = (x - q1 * d) * 0x10000 + (lo & 0xffff);
  const q0 = Math.floor(x / d);
  rem = x - q0 * d;
  qHi = q3 * 0x10000 + q2;
  qLo = q1 * 0x10000 + q0;
}

/**
 * Sets `out.tsSec`/`out.tsNsec` from a 64-bit timestamp (hi, lo unsigned 32-bit halves) in `c`'s
 * units. Decimal units finer than 1 ns are truncated; binary units are rounded to the nearest ns.
 * tsSec is exact up to 2^53; the caller checks it with timeShowable.
 */
export function setTime(c: Clock, hi: number, lo: number, out: { tsSec: number; tsNsec: number }): void {
  let sec: number;
  let nsec: number;
  if (!c.binary) {
    let n = c.exp;
    while (n > 9) {
      // Finer than nanoseconds: drop digits, at most 9 per step (10^9 < 2^32).
      const k = Math.min(n - 9, 9);
      div64(hi, lo, POW10[k]);
      hi = qHi;
      lo = qLo;
      n -= k;
    }
    div64(hi, lo, POW10[n]);
    sec = qHi * TWO32 + qLo;
    nsec = rem * POW10[9 - n];
  } else if (c.exp <= 32) {
    const unit = 2 ** c.exp;
    const whole = Math.floor(lo / unit);
    sec = hi * 2 ** (32 - c.exp) + whole;
    // frac < 2^32 and 5^9 < 2^21: the product is exact, and dividing by a power of two is too.
    nsec = Math.round(((lo - whole * unit) * FIVE9) / 2 ** (c.exp - 9));
    if (nsec === 1e9) {
      sec++;
      nsec = 0;
    }
  } else {
    const e = BigInt(c.exp);
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    let s = ts >> e;
    let ns = ((ts & ((1n << e) - 1n)) * 1_000_000_000n + (1n << (e - 1n))) >> e;
    if (ns === 1_000_000_000n) {
      s++;
      ns = 0n;
    }
    sec = Number(s);
    nsec = Number(ns);
  }
  out.tsSec = sec + c.offsetSec;
  out.tsNsec = nsec;
}
