/** A frame's time as tshark's -t formats write it, in the tree's frame line and the summary line. */
import type { Frame } from '../capture/frame.js';
import { encoded, type TextSink } from './sink.js';
import { FRACTION_UNIT, writeUtcTime } from './text.js';

/** tshark's -t letters; `iso` is ours (UTC ISO 8601, the default). */
export const TIME_FORMATS = ['a', 'ad', 'adoy', 'd', 'dd', 'e', 'r', 'u', 'ud', 'udoy'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number] | 'iso';

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad3 = (n: number): string => String(n).padStart(3, '0');

/** Day of the year, 1-based, of a date read through `utc` or local getters. */
function dayOfYear(d: Date, utc: boolean): number {
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const start = utc ? Date.UTC(year, 0, 1) : new Date(year, 0, 1).getTime();
  const today = utc ? Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) : new Date(year, d.getMonth(), d.getDate()).getTime();
  return Math.round((today - start) / 86400000) + 1;
}

/** `2013-07-19 08:00:00.`, `2013/200 08:00:00.` or `08:00:00.`: the text up to the fraction, for whole second `sec`. */
function secondText(format: TimeFormat, sec: number): string {
  const d = new Date(sec * 1000);
  const utc = format === 'u' || format === 'ud' || format === 'udoy';
  const [y, mo, day, h, mi, s] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const clock = `${pad2(h)}:${pad2(mi)}:${pad2(s)}.`;
  if (format === 'ad' || format === 'ud') return `${y}-${pad2(mo)}-${pad2(day)} ${clock}`;
  if (format === 'adoy' || format === 'udoy') return `${y}/${pad3(dayOfYear(d, utc))} ${clock}`;
  return clock;
}

/**
 * `sec.fraction` with `digits` digits; a negative span (frames out of order) with its minus sign.
 * `sec` and `nsec` are differences, so `nsec` may be negative or past a second: carried in whole
 * seconds (sec * 1e9 would pass 2^53 for an epoch time).
 */
export function writeSpan(out: TextSink, sec: number, nsec: number, digits: number): void {
  sec += Math.floor(nsec / 1e9);
  nsec -= Math.floor(nsec / 1e9) * 1e9;
  if (sec < 0) {
    out.byte(0x2d);
    if (nsec > 0) {
      sec += 1;
      nsec = 1e9 - nsec;
    }
    sec = -sec;
  }
  out.num(sec);
  if (digits === 0) return;
  out.byte(0x2e);
  out.num(Math.floor(nsec / FRACTION_UNIT[digits]), digits);
}

/** The numbers Clock.save() writes. */
export const CLOCK_STATE = 6;

/**
 * The capture clock of one pass: the first frame's time, the previous frame read and the
 * previous frame shown, for the relative and delta formats (and the frame.time_* fields). Times
 * are kept as whole seconds and nanoseconds: no object per frame.
 */
export class Clock {
  private firstSec = Number.NaN;
  private firstNsec = 0;
  private prevSec = 0;
  private prevNsec = 0;
  private curSec = 0;
  private curNsec = 0;
  private shownSec = Number.NaN;
  private shownNsec = 0;
  /** The whole second the cached text is of, and that text as bytes. */
  private cachedSec = Number.NaN;
  private cached = encoded('');

  constructor(readonly format: TimeFormat = 'iso') {}

  /** Every frame read, shown or not, before it is written: the deltas count from it. */
  read(f: Frame): void {
    if (Number.isNaN(this.firstSec)) {
      this.firstSec = this.prevSec = f.tsSec;
      this.firstNsec = this.prevNsec = f.tsNsec;
    } else {
      this.prevSec = this.curSec;
      this.prevNsec = this.curNsec;
    }
    this.curSec = f.tsSec;
    this.curNsec = f.tsNsec;
  }

  /** After a frame was shown: `dd` and frame.time_delta_displayed count from it. */
  shown(f: Frame): void {
    this.shownSec = f.tsSec;
    this.shownNsec = f.tsNsec;
  }

  /**
   * What a frame is written with (the first, previous read and previous shown times), saved by
   * the ordered pass as CLOCK_STATE numbers at `at`, for a worker thread to load and write alike.
   */
  save(into: Float64Array, at: number): void {
    into[at] = this.firstSec;
    into[at + 1] = this.firstNsec;
    into[at + 2] = this.prevSec;
    into[at + 3] = this.prevNsec;
    into[at + 4] = this.shownSec;
    into[at + 5] = this.shownNsec;
  }

  load(from: Float64Array, at: number): void {
    this.firstSec = from[at];
    this.firstNsec = from[at + 1];
    this.prevSec = from[at + 2];
    this.prevNsec = from[at + 3];
    this.shownSec = from[at + 4];
    this.shownNsec = from[at + 5];
  }

  /** Seconds since the first frame (-t r, frame.time_relative). */
  writeRelative(out: TextSink, f: Frame, digits: number): void {
    writeSpan(out, f.tsSec - this.firstSec, f.tsNsec - this.firstNsec, digits);
  }

  /** Seconds since the previous frame read (-t d, frame.time_delta). */
  writeDelta(out: TextSink, f: Frame, digits: number): void {
    writeSpan(out, f.tsSec - this.prevSec, f.tsNsec - this.prevNsec, digits);
  }

  /** Seconds since the previous frame shown (-t dd, frame.time_delta_displayed); 0 for the first shown. */
  writeDeltaShown(out: TextSink, f: Frame, digits: number): void {
    if (Number.isNaN(this.shownSec)) writeSpan(out, 0, 0, digits);
    else writeSpan(out, f.tsSec - this.shownSec, f.tsNsec - this.shownNsec, digits);
  }

  /** The frame's time in this clock's format, with the file's precision as tshark shows it. */
  write(out: TextSink, f: Frame): void {
    const digits = f.tsDigits;
    switch (this.format) {
      case 'iso':
        return writeUtcTime(out, f.tsSec, f.tsNsec, digits);
      case 'r':
        return this.writeRelative(out, f, digits);
      case 'd':
        return this.writeDelta(out, f, digits);
      case 'dd':
        return this.writeDeltaShown(out, f, digits);
      case 'e':
        return writeSpan(out, f.tsSec, f.tsNsec, digits);
    }
    let sec = f.tsSec;
    let nsec = f.tsNsec;
    if (nsec >= 1e9) {
      sec += Math.floor(nsec / 1e9);
      nsec %= 1e9;
    }
    // Frames come in time order: the text up to the fraction changes once a second at most.
    if (sec !== this.cachedSec) {
      this.cached = encoded(secondText(this.format, sec));
      this.cachedSec = sec;
    }
    out.bytes(this.cached);
    out.num(Math.floor(nsec / FRACTION_UNIT[digits]), digits);
  }
}

/** The default clock: UTC ISO 8601, needing no state. */
export const ISO_CLOCK = new Clock();
