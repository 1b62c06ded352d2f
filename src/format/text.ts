/** Number -> text primitives: the only place addresses and times become strings. */
import { encoded, TextSink, textOf } from './sink.js';

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(v: number, width: number): string {
  return `0x${v.toString(16).padStart(width, '0')}`;
}

export function hexUpper(v: number, width: number): string {
  return `0x${v.toString(16).toUpperCase().padStart(width, '0')}`;
}

/** Slots of a remembered cache: a capture's hot addresses and VSIDs number in the hundreds. */
const SLOTS = 4096;
/** The keys of every cache not yet used: NaN equals nothing, so every slot is empty. */
let noKeys: Float64Array | undefined;

/**
 * `make`, remembering its results: addresses and VSIDs recur frame after frame, so each text is
 * made once. A direct-mapped cache, one value per slot: a lookup is an index and a compare (a Map
 * keyed by numbers past 2^30, as IPv4 addresses are, cost 30 ns a lookup in the profile); a value
 * whose slot another has taken is made again, so a scan of a whole range costs what it would
 * without a cache and memory stays bounded.
 */
export function remembered<T = string>(make: (v: number) => T): (v: number) => T {
  // Until its first value, a cache reads the shared empty keys: the 15 caches cost no start-up.
  let keys = (noKeys ??= new Float64Array(SLOTS).fill(Number.NaN));
  let values: T[] = [];
  return (v) => {
    const slot = (v ^ (v >>> 12) ^ (v / 0x1000000)) & (SLOTS - 1);
    if (keys[slot] === v) return values[slot];
    const made = make(v);
    if (keys === noKeys) {
      keys = new Float64Array(SLOTS).fill(Number.NaN);
      values = new Array<T>(SLOTS);
    }
    keys[slot] = v;
    values[slot] = made;
    return made;
  };
}

/** `make`'s texts, remembered as UTF-8 bytes for a sink to copy. */
export const rememberedBytes = (make: (v: number) => string): ((v: number) => Uint8Array) =>
  remembered((v) => Buffer.from(make(v)));

export const ipv4 = remembered((v) => `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`);

export const mac = remembered((v) => {
  const hi = Math.floor(v / 0x100000000);
  const lo = v >>> 0;
  return `${HEX2[hi >>> 8]}:${HEX2[hi & 0xff]}:${HEX2[lo >>> 24]}:${HEX2[(lo >>> 16) & 0xff]}:${HEX2[(lo >>> 8) & 0xff]}:${HEX2[lo & 0xff]}`;
});

export const ipv4Bytes = rememberedBytes(ipv4);
export const macBytes = rememberedBytes(mac);

/** RFC 5952 text: lowercase, the longest run of 2+ zero groups (the first, on a tie) as ::. */
export function ipv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hexOf = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hexOf(groups);
  return `${hexOf(groups.slice(0, bestStart))}::${hexOf(groups.slice(bestStart + bestLen))}`;
}

/** Hex of every byte, `sep` between them (tshark's colon style for `data.data`). */
export function hexBytes(b: Uint8Array, sep = ':'): string {
  const out = new TextSink(b.length * 3);
  out.hexBytes(b, sep === '' ? -1 : sep.charCodeAt(0));
  return out.toString();
}

/**
 * Bytes as text for a quoted preview: printable ASCII as is, \r \n \t, everything else (C0, DEL, C1,
 * non-ASCII) as \xHH, so no byte from a capture can reach the terminal as a control sequence.
 */
export function escapedText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x5c || c === 0x22) s += `\\${String.fromCharCode(c)}`;
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${HEX2[c]}`;
  }
  return s;
}

/**
 * What untrusted text (a capture's comment) must not bring to a terminal raw: the C0, DEL and C1
 * controls (Cc), which a terminal obeys, and every format character (Cf: the bidi overrides and
 * isolates U+202A-202E and U+2066-2069, U+061C, the zero-width U+200B-200F, U+2060, U+FEFF, the
 * soft hyphen U+00AD ...) with the line and paragraph separators U+2028/2029 (Zl, Zp), which
 * reorder, hide or break what is shown: `invoice \u202egpj.exe` reads "invoice exe.jpg".
 */
export const UNSAFE_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** A UTF-16 code unit as \uHHHH, as JSON writes it. */
export const unicodeEscape = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;

/** UNSAFE_TEXT, and the backslash that introduces an escape. */
const ESCAPED = new RegExp(`${UNSAFE_TEXT.source}|\\\\`, 'gu');

/**
 * Untrusted text (a capture's comment) for a terminal: every UNSAFE_TEXT character as an escape,
 * \xHH up to U+00FF, \uHHHH in the BMP, \u{HHHHH} beyond (the Cf tag characters).
 */
export function escapeControls(s: string): string {
  return s.replace(ESCAPED, (ch) => {
    if (ch === '\\') return '\\\\';
    const cp = ch.codePointAt(0) ?? 0;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? unicodeEscape(cp) : `\\u{${cp.toString(16)}}`;
  });
}

let cachedSec = -1;
let cachedPrefix = encoded('');

/** A capture instant ({sec, nsec, digits}, as the analyzers keep it) as UTC text. */
export function instantText(t: { sec: number; nsec: number; digits: number }): string {
  return utcTime(t.sec, t.nsec, t.digits);
}

/** Nanoseconds per unit of the last fraction digit shown: 1000 for 6 digits, 100 for 7 (ETW's 100 ns ticks). */
export const FRACTION_UNIT = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/**
 * UTC ISO 8601 with the file's precision: 2013-07-19T08:00:00.000000Z; a year past 9999 or before
 * 0 in ISO 8601's expanded form, +010000-01-01T00:00:00.000000Z. `sec` must pass the capture
 * readers' timeShowable.
 */
export function writeUtcTime(out: TextSink, sec: number, nsec: number, digits: number): void {
  if (nsec >= 1e9) {
    sec += Math.floor(nsec / 1e9);
    nsec %= 1e9;
  }
  // Frames come in time order: the date and time of day change once a second at most.
  if (sec !== cachedSec) {
    const iso = new Date(sec * 1000).toISOString();
    cachedPrefix = encoded(iso.slice(0, -4)); // up to the seconds' point, whatever the year's width
    cachedSec = sec;
  }
  out.bytes(cachedPrefix);
  out.num(digits === 9 ? nsec : Math.floor(nsec / FRACTION_UNIT[digits]), digits);
  out.byte(0x5a);
}

export const utcTime = (sec: number, nsec: number, digits: number): string =>
  textOf((out) => writeUtcTime(out, sec, nsec, digits));

/** The text of an analyzer's address key (IPv4 number, or "v6:" + 32 hex digits). */
export function addressText(key: number | string): string {
  if (typeof key === 'number') return ipv4(key);
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Number.parseInt(key.slice(3 + 2 * i, 5 + 2 * i), 16);
  return ipv6(b);
}
