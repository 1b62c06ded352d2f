import type { Frame } from '../capture/frame.js';

/** When something was seen, as the capture's clock gives it (formatters turn it into text). */
export interface Instant {
  sec: number;
  nsec: number;
  digits: number;
}

export function instantOf(f: Frame): Instant {
  return { sec: f.tsSec, nsec: f.tsNsec, digits: f.tsDigits };
}

export function later(a: Instant, b: Instant): boolean {
  return a.sec > b.sec || (a.sec === b.sec && a.nsec > b.nsec);
}
