// Shared support for the property tests (issue: "Bad input never crashes and never lies").
// Everything the properties compare against is derived here from the libpcap format and from the
// bytes the generators built, never from src/ (src/ is only the system under test).
import { readdirSync, readFileSync } from 'node:fs';
import { concatBytes as concatAll } from '../capture/helpers.js';
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Frame } from '../../src/capture/frame.js';
import { type Options, run } from '../../src/cli/run.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection, type Packet } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { WARNINGS } from '../../src/decode/warnings.js';
import { jsonFile, writeJson } from '../../src/format/json.js';
import { makePalette } from '../../src/format/palette.js';
import { formatSummary } from '../../src/format/summary.js';
import { formatTree } from '../../src/format/tree.js';
import { textOf } from '../../src/format/sink.js';
import { fieldsOf } from '../fields.js';

// ---------------------------------------------------------------------------------------------
// Cheap assertions: vitest's expect() costs more than a whole dissection, and runs by the ten thousand.

export class PropertyViolation extends Error {
  override name = 'PropertyViolation';
}

export function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new PropertyViolation(what);
}

export function checkEq(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new PropertyViolation(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Budget: `npm test` runs the base numbers; `npm run fuzz` (FUZZ_RUNS=k) multiplies every one.

/** Multiplier for every numRuns: 1 in `npm test`, FUZZ_RUNS in `npm run fuzz`. */
export const FUZZ = Math.max(1, Number(process.env.FUZZ_RUNS ?? '1') || 1);

/** numRuns for a property: the base budget times FUZZ_RUNS. */
export function runs(base: number): number {
  return Math.round(base * FUZZ);
}

/** Per-test timeout that grows with the multiplier (vitest's default of 30 s is for FUZZ = 1). */
export function timeoutFor(baseMs: number): number {
  return Math.round(baseMs * FUZZ + 10_000);
}

/**
 * fast-check parameters for every property. No fixed seed: each run explores new inputs, and a
 * failure prints its `seed` and `path`. To replay one:
 *   FC_SEED=<seed> FC_PATH=<path> npx vitest run test/property -t '<test name>'
 * (the same FUZZ_RUNS too, if it was a `npm run fuzz` failure: the runs are drawn in order).
 */
export function params(numRuns: number): fc.Parameters<unknown> {
  const p: fc.Parameters<unknown> = { numRuns, verbose: 1 };
  if (process.env.FC_SEED !== undefined) p.seed = Number(process.env.FC_SEED);
  if (process.env.FC_PATH !== undefined) p.path = process.env.FC_PATH;
  return p;
}

/**
 * Known bugs (each pinned by a case in regressions.test.ts): the generators steer clear of the
 * inputs that trigger them, so the properties keep guarding everything else instead of failing
 * on the same bug every run. FUZZ_KNOWN_BUGS=1 generates them anyway (to see if a fix holds).
 */
export const AVOID_KNOWN_BUGS = process.env.FUZZ_KNOWN_BUGS !== '1';

/**
 * A link-type header field: Ethernet or any 16-bit type, and (when not avoiding the known
 * bug) FCS/reserved bits in the upper 16 that a reader must ignore.
 */
export const linktypeField: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(1), weight: 8 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(1, 0xffff, 147), fc.integer({ min: 1, max: 0xffff }))
      .map(([lt, upper]) => ((upper << 16) | lt) >>> 0),
    weight: 1,
  },
);

/** Timestamp fractions: in range, and past 10^6 / 10^9 (a whole second or more carries into the seconds). */
export const fracField = (nanos: boolean): fc.Arbitrary<number> => {
  const inRange = fc.integer({ min: 0, max: nanos ? 999_999_999 : 999_999 });
  return fc.oneof({ arbitrary: inRange, weight: 9 }, { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 });
};

// ---------------------------------------------------------------------------------------------
// Bytes

export function hexToBytes(hex: string): Uint8Array {
  const s = hex.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new Error(`bad hex: ${s}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  return concatAll(...parts);
}

const be16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const be32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const put16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
};
const put32 = (b: Uint8Array, o: number, v: number): void => {
  put16(b, o, v >>> 16);
  put16(b, o + 2, v & 0xffff);
};

/** RFC 1071 internet checksum of the concatenated parts. */
export function inetChecksum(...parts: Uint8Array[]): number {
  const d = parts.length === 1 ? parts[0] : concatBytes(parts);
  let sum = 0;
  for (let i = 0; i + 1 < d.length; i += 2) sum += (d[i] << 8) | d[i + 1];
  if (d.length % 2 === 1) sum += d[d.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// ---------------------------------------------------------------------------------------------
// libpcap, written and read here independently of src/capture

export const FILE_HEADER = 24;
export const RECORD_HEADER = 16;
/** The reader's documented cap on one record (src/capture/errors.ts MAX_RECORD_BYTES). */
export const MAX_RECORD = 256 * 1024;

export interface Magic {
  le: boolean;
  nanos: boolean;
}
export const MAGICS: Magic[] = [
  { le: true, nanos: false },
  { le: false, nanos: false },
  { le: true, nanos: true },
  { le: false, nanos: true },
];

export interface Rec {
  sec: number;
  /** Microseconds or nanoseconds per the magic (the raw field). */
  frac: number;
  data: Uint8Array;
  origLen: number;
}

export function pcapHeaderBytes(m: Magic, linktype: number): Uint8Array {
  const b = new Uint8Array(FILE_HEADER);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, m.nanos ? 0xa1b23c4d : 0xa1b2c3d4, m.le);
  dv.setUint16(4, 2, m.le);
  dv.setUint16(6, 4, m.le);
  dv.setUint32(16, 262144, m.le);
  dv.setUint32(20, linktype >>> 0, m.le);
  return b;
}

export function recordBytes(m: Magic, r: Rec, inclLen = r.data.length): Uint8Array {
  const b = new Uint8Array(RECORD_HEADER + r.data.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, r.sec >>> 0, m.le);
  dv.setUint32(4, r.frac >>> 0, m.le);
  dv.setUint32(8, inclLen >>> 0, m.le);
  dv.setUint32(12, r.origLen >>> 0, m.le);
  b.set(r.data, RECORD_HEADER);
  return b;
}

/** The Frame the reader must deliver for record `index` (0-based) starting at `offset`. */
export function frameFor(m: Magic, linktype: number, r: Rec, index: number, offset: number): Frame {
  return {
    number: index + 1,
    data: r.data,
    caplen: r.data.length,
    origLen: r.origLen >>> 0,
    // A fraction of a second or more carries into the seconds (pcap.ts does the same).
    tsSec: (r.sec >>> 0) + Math.floor(((r.frac >>> 0) * (m.nanos ? 1 : 1000)) / 1e9),
    tsNsec: ((r.frac >>> 0) * (m.nanos ? 1 : 1000)) % 1e9,
    tsDigits: m.nanos ? 9 : 6,
    // draft-ietf-opsawg-pcap: the link type is the lower 16 bits; the upper 16 carry FCS
    // information and reserved bits that readers MUST ignore.
    linktype: (linktype >>> 0) & 0xffff,
    fileOffset: offset,
  };
}

export interface Damage {
  offset: number;
}

export interface ModelResult {
  frames: Frame[];
  /** null: the file is whole. */
  damage: Damage | null;
  /** Starts with the magic of a format other than classic pcap (pcapng, gzip): not modelled here. */
  foreign: boolean;
}

/** pcapng's Section Header Block type, and gzip's magic: formats the reader may also take. */
export function foreignMagic(b: Uint8Array): boolean {
  return (b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a) || (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b);
}

/**
 * Reference reading of a classic pcap byte string: every complete record before the first
 * damage, and where that damage starts. Written from the libpcap format, not from src/.
 */
export function modelRead(b: Uint8Array): ModelResult {
  const frames: Frame[] = [];
  if (foreignMagic(b)) return { frames, damage: null, foreign: true };
  const foreign = false;
  if (b.length < 4) return { frames, damage: { offset: 0 }, foreign };
  const be = be32(b, 0);
  const le = ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0;
  let m: Magic;
  if (be === 0xa1b2c3d4 || be === 0xa1b23c4d) m = { le: false, nanos: be === 0xa1b23c4d };
  else if (le === 0xa1b2c3d4 || le === 0xa1b23c4d) m = { le: true, nanos: le === 0xa1b23c4d };
  else return { frames, damage: { offset: 0 }, foreign };
  if (b.length < FILE_HEADER) return { frames, damage: { offset: 0 }, foreign };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const linktype = dv.getUint32(20, m.le);
  let p = FILE_HEADER;
  while (p < b.length) {
    if (b.length - p < RECORD_HEADER) return { frames, damage: { offset: p }, foreign };
    const incl = dv.getUint32(p + 8, m.le);
    if (incl > MAX_RECORD) return { frames, damage: { offset: p + 8 }, foreign };
    if (b.length - p - RECORD_HEADER < incl) return { frames, damage: { offset: p + RECORD_HEADER }, foreign };
    const rec: Rec = {
      sec: dv.getUint32(p, m.le),
      frac: dv.getUint32(p + 4, m.le),
      origLen: dv.getUint32(p + 12, m.le),
      data: b.slice(p + RECORD_HEADER, p + RECORD_HEADER + incl),
    };
    frames.push(frameFor(m, linktype, rec, frames.length, p));
    p += RECORD_HEADER + incl;
  }
  return { frames, damage: null, foreign };
}

// ---------------------------------------------------------------------------------------------
// Fixtures: every fixtures/*.pcap, globbed, so new ones are picked up

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE_DIR = resolve(REPO_ROOT, 'fixtures');

export interface FixtureFrame {
  file: string;
  frame: Frame;
}

export function fixtureFiles(): { name: string; bytes: Uint8Array }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((n) => n.endsWith('.pcap'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(resolve(FIXTURE_DIR, name))) }));
}

const isClassicPcap = (b: Uint8Array): boolean =>
  b.length >= 4 && [be32(b, 0), ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0].some((m) => m === 0xa1b2c3d4 || m === 0xa1b23c4d);

/** The classic-pcap fixtures (a .pcap holding pcapng or gzip data is left to other tests). */
export const FIXTURES = fixtureFiles().filter((f) => isClassicPcap(f.bytes));

/** Every frame of every fixture, read by the reference model (fixtures must be whole files). */
export const FIXTURE_FRAMES: FixtureFrame[] = FIXTURES.flatMap(({ name, bytes }) => {
  const { frames, damage } = modelRead(bytes);
  if (damage !== null) throw new Error(`fixture ${name} is damaged at byte ${damage.offset}`);
  return frames.map((frame) => ({ file: name, frame }));
});

// ---------------------------------------------------------------------------------------------
// Frame-level generators

export interface MutatedFrame {
  how: string;
  frame: Frame;
}

function withData(f: Frame, data: Uint8Array, origLen: number, number: number): Frame {
  return { ...f, data, caplen: data.length, origLen, number };
}

const frameNumber = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 0x7fffffff }));
const fixtureFrame = fc.constantFrom(...FIXTURE_FRAMES);

/** An offset into a frame of `len` bytes, 4 times out of 5 inside the headers (0-80). */
function headerBiasedOffset(len: number): fc.Arbitrary<number> {
  const max = Math.max(0, len - 1);
  return fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: Math.min(80, max) }), weight: 4 },
    { arbitrary: fc.integer({ min: 0, max }), weight: 1 },
  );
}

/** Cut to any length 0..len; the wire length says the same (a frame whose headers lie). */
export const truncatedFrame: fc.Arbitrary<MutatedFrame> = fc
  .tuple(fixtureFrame, frameNumber)
  .chain(([fx, num]) =>
    fc.integer({ min: 0, max: fx.frame.data.length }).map((n) => ({
      how: `truncate ${fx.file}#${fx.frame.number} to ${n}`,
      frame: withData(fx.frame, fx.frame.data.slice(0, n), n, num),
    })),
  );

/** 1..8 random bit flips. */
export const bitFlippedFrame: fc.Arbitrary<MutatedFrame> = fc
  .tuple(fixtureFrame, frameNumber)
  .chain(([fx, num]) => {
    const len = fx.frame.data.length;
    return fc
      .array(fc.tuple(headerBiasedOffset(len), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 })
      .map((flips) => {
        const d = fx.frame.data.slice();
        for (const [o, bit] of flips) if (o < d.length) d[o] ^= 1 << bit;
        return { how: `flip ${fx.file}#${fx.frame.number} ${JSON.stringify(flips)}`, frame: withData(fx.frame, d, d.length, num) };
      });
  });

/** Random bytes written at random offsets, mostly inside the headers. */
export const overwrittenFrame: fc.Arbitrary<MutatedFrame> = fc
  .tuple(fixtureFrame, frameNumber)
  .chain(([fx, num]) => {
    const len = fx.frame.data.length;
    const write = fc.tuple(headerBiasedOffset(len), fc.uint8Array({ minLength: 1, maxLength: 4 }));
    return fc.array(write, { minLength: 1, maxLength: 6 }).map((writes) => {
      const d = fx.frame.data.slice();
      for (const [o, bytes] of writes) for (let i = 0; i < bytes.length && o + i < d.length; i++) d[o + i] = bytes[i];
      return {
        how: `overwrite ${fx.file}#${fx.frame.number} ${JSON.stringify(writes.map(([o, b]) => [o, bytesToHex(b)]))}`,
        frame: withData(fx.frame, d, d.length, num),
      };
    });
  });

/** A snaplen cut: caplen < origLen, sometimes on top of a header overwrite. */
export const snaplenFrame: fc.Arbitrary<MutatedFrame> = fc
  .tuple(fc.oneof(fixtureFrame.map((fx) => ({ how: `${fx.file}#${fx.frame.number}`, frame: fx.frame })), overwrittenFrame), frameNumber)
  .chain(([base, num]) => {
    const len = base.frame.data.length;
    return fc
      .tuple(
        fc.integer({ min: 0, max: Math.max(0, len - 1) }),
        fc.oneof(fc.constant(len), fc.integer({ min: len, max: 0xffffffff })),
      )
      .map(([cap, orig]) => ({
        how: `snaplen ${base.how} caplen ${cap} origLen ${Math.max(orig, cap + 1)}`,
        frame: withData(base.frame, base.frame.data.slice(0, cap), Math.max(orig, cap + 1) >>> 0, num),
      }));
  });

// ---- Ethernet frames from scratch: a random stack of headers, lengths/checksums mostly right ----

type Kind = 'eth' | 'vlan' | 'qinq' | 'ip' | 'gre' | 'nvgre' | 'arp' | 'icmp' | 'tcp' | 'udp' | 'raw';
const WRAPPERS: Kind[] = ['vlan', 'qinq', 'ip', 'gre', 'nvgre', 'eth'];
const LEAVES: Kind[] = ['arp', 'icmp', 'tcp', 'udp', 'raw'];

interface LayerSpec {
  kind: Kind;
  /** Random material each builder draws its fields from. */
  r: [number, number, number, number];
  /** Write the lengths and checksums a sender would; false leaves the random ones. */
  honest: boolean;
  /** Pick the type/protocol field that names the next layer (else a random one). */
  link: boolean;
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const layerSpec = (kinds: Kind[]): fc.Arbitrary<LayerSpec> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    r: fc.tuple(u32, u32, u32, u32),
    honest: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    link: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
  });

const ETHERTYPE_OF: Partial<Record<Kind, number>> = { ip: 0x0800, arp: 0x0806, vlan: 0x8100, qinq: 0x88a8 };
const IPPROTO_OF: Partial<Record<Kind, number>> = { icmp: 1, ip: 4, tcp: 6, udp: 17, gre: 47, nvgre: 47 };
const GREPROTO_OF: Partial<Record<Kind, number>> = { ip: 0x0800, arp: 0x0806, eth: 0x6558 };

/** Builds one layer around `inner` (the bytes of the layers inside it). */
function buildLayer(s: LayerSpec, innerKind: Kind | null, inner: Uint8Array, pseudo: { src: number; dst: number } | null): Uint8Array {
  const [a, b, c, d] = s.r;
  const pick = (table: Partial<Record<Kind, number>>, fallback: number): number =>
    s.link && innerKind !== null && table[innerKind] !== undefined ? table[innerKind]! : fallback;
  switch (s.kind) {
    case 'eth': {
      const h = new Uint8Array(14);
      put32(h, 0, a);
      put16(h, 4, b);
      put32(h, 6, c);
      put16(h, 10, d);
      put16(h, 12, pick(ETHERTYPE_OF, b >>> 16));
      return concatBytes([h, inner]);
    }
    case 'vlan':
    case 'qinq': {
      const h = new Uint8Array(4);
      put16(h, 0, a);
      put16(h, 2, pick(ETHERTYPE_OF, b & 0xffff));
      return concatBytes([h, inner]);
    }
    case 'ip': {
      const optWords = s.honest ? a % 3 : (a >>> 4) & 0xf;
      const ihl = s.honest ? 5 + optWords : (a >>> 8) & 0xf;
      const hlen = Math.max(20, ihl * 4);
      const h = new Uint8Array(hlen);
      for (let i = 20; i < hlen; i++) h[i] = (b >>> (i % 24)) & 0xff;
      h[0] = ((s.honest ? 4 : (a >>> 12) & 0xf) << 4) | ihl;
      h[1] = a >>> 24;
      put16(h, 2, s.honest ? Math.min(0xffff, hlen + inner.length) : b & 0xffff);
      put16(h, 4, c & 0xffff);
      // Mostly unfragmented; sometimes DF, MF or an offset.
      const frag = c >>> 16;
      put16(h, 6, s.honest ? frag & 0x4000 : frag);
      h[8] = d & 0xff;
      h[9] = pick(IPPROTO_OF, (d >>> 8) & 0xff);
      put32(h, 12, b); // the addresses the transport layer below sums into its pseudo-header
      put32(h, 16, c);
      if (s.honest) put16(h, 10, inetChecksum(h));
      else put16(h, 10, d >>> 16);
      return concatBytes([h, inner]);
    }
    case 'gre':
    case 'nvgre': {
      // nvgre: the RFC 7637 profile (K set, 0x6558); gre: any flags, version 0 or 1.
      let fv = s.kind === 'nvgre' && s.honest ? 0x2000 : a & 0xffff;
      if (s.kind === 'gre' && s.honest) fv &= 0xb087; // C, K, S, A and the version bits; no R, no recursion
      const version = fv & 7;
      const parts: number[] = [];
      if (fv & 0xc000) parts.push(0); // checksum + offset, filled below
      if (fv & 0x2000) parts.push(b);
      if (fv & 0x1000) parts.push(c);
      if (version === 1 && fv & 0x80) parts.push(d);
      const h = new Uint8Array(4 + 4 * parts.length);
      put16(h, 0, fv);
      put16(h, 2, s.kind === 'nvgre' ? (s.link ? 0x6558 : d >>> 16) : pick(GREPROTO_OF, d >>> 16));
      parts.forEach((v, i) => put32(h, 4 + 4 * i, v));
      const out = concatBytes([h, inner]);
      if (fv & 0x8000 && s.honest) put16(out, 4, inetChecksum(out));
      return out;
    }
    case 'arp': {
      const hl = s.honest ? 6 : a & 0xff;
      const pl = s.honest ? 4 : (a >>> 8) & 0xff;
      const h = new Uint8Array(8 + 2 * (hl + pl));
      put16(h, 0, s.honest ? 1 : b & 0xffff);
      put16(h, 2, s.honest ? 0x0800 : b >>> 16);
      h[4] = hl;
      h[5] = pl;
      put16(h, 6, (c % 5) as number);
      for (let i = 8; i < h.length; i++) h[i] = (d >>> (i % 24)) & 0xff;
      return concatBytes([h, inner]);
    }
    case 'icmp': {
      const h = new Uint8Array(8);
      // Honest: echo and timestamp messages (an error message quotes an IPv4 header this builder
      // does not write, so errors 3/11 come only with random fields).
      h[0] = s.honest ? [0, 8, 13, 14][a % 4] : a & 0xff;
      h[1] = (a >>> 8) & 0xff;
      put32(h, 4, b);
      const out = concatBytes([h, inner]);
      put16(out, 2, s.honest ? inetChecksum(out) : c & 0xffff);
      return out;
    }
    case 'tcp': {
      const optLen = s.honest ? 4 * (a % 4) : 0;
      const h = new Uint8Array(20 + optLen);
      put16(h, 0, b >>> 16);
      put16(h, 2, b & 0xffff);
      put32(h, 4, c);
      put32(h, 8, d);
      const doff = s.honest ? (20 + optLen) / 4 : (a >>> 4) & 0xf;
      put16(h, 12, (doff << 12) | ((a >>> 8) & 0x1ff));
      put16(h, 14, a >>> 16);
      // Options: MSS, window scale, SACK permitted, timestamps, NOP/EOL, or junk.
      const opts = [2, 4, (a >>> 3) & 0xffff, 0, 3, 3, 7, 1, 4, 2, 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0];
      for (let i = 0; i < optLen; i++) h[20 + i] = (a & 64) !== 0 ? opts[i] & 0xff : (c >>> (i % 24)) & 0xff;
      const out = concatBytes([h, inner]);
      if (s.honest && pseudo !== null) put16(out, 16, transportSum(pseudo, 6, out));
      else put16(out, 16, d >>> 16);
      return out;
    }
    case 'udp': {
      const h = new Uint8Array(8);
      put16(h, 0, b >>> 16);
      put16(h, 2, b & 0xffff);
      put16(h, 4, s.honest ? Math.min(0xffff, 8 + inner.length) : c & 0xffff);
      const out = concatBytes([h, inner]);
      if (s.honest && pseudo !== null && (a & 3) !== 0) put16(out, 6, transportSum(pseudo, 17, out) || 0xffff);
      else put16(out, 6, (a & 3) === 0 ? 0 : d >>> 16);
      return out;
    }
    case 'raw':
      return inner;
  }
}

function transportSum(p: { src: number; dst: number }, proto: number, seg: Uint8Array): number {
  const ph = new Uint8Array(12);
  put32(ph, 0, p.src);
  put32(ph, 4, p.dst);
  ph[9] = proto;
  put16(ph, 10, seg.length);
  return inetChecksum(ph, seg);
}

/** Builds the stack inside out; IP layers hand their addresses to the transport checksum below them. */
function buildStack(stack: LayerSpec[], payload: Uint8Array): Uint8Array {
  // Addresses of the IP header directly outside each layer, for pseudo-headers.
  const pseudoFor: ({ src: number; dst: number } | null)[] = stack.map(() => null);
  for (let i = 1; i < stack.length; i++) {
    const outer = stack[i - 1];
    if (outer.kind === 'ip') pseudoFor[i] = { src: outer.r[1], dst: outer.r[2] };
  }
  let bytes = payload;
  for (let i = stack.length - 1; i >= 0; i--) {
    const innerKind = i + 1 < stack.length ? stack[i + 1].kind : null;
    bytes = buildLayer(stack[i], innerKind, bytes, pseudoFor[i]);
  }
  return bytes;
}

/** The stacks real HNV traffic has (PA Ethernet [VLAN] IPv4 NVGRE, then the tenant's frame), with random fields. */
const PLAUSIBLE: Kind[][] = [
  ['ip', 'nvgre', 'eth', 'ip'],
  ['vlan', 'ip', 'nvgre', 'eth', 'ip'],
  ['ip', 'nvgre', 'eth'],
  ['ip', 'nvgre', 'eth', 'vlan', 'ip'],
  ['ip', 'gre', 'ip'],
  ['ip', 'ip', 'nvgre', 'eth', 'ip'],
  ['ip', 'nvgre', 'eth', 'ip', 'nvgre', 'eth', 'ip'],
  ['ip'],
  ['vlan', 'ip'],
];
const plausibleMiddle: fc.Arbitrary<LayerSpec[]> = fc
  .constantFrom(...PLAUSIBLE)
  .chain((kinds) => fc.tuple(...kinds.map((k) => layerSpec([k]))));

export const scratchFrame: fc.Arbitrary<MutatedFrame> = fc
  .record({
    outer: layerSpec(['eth']),
    middle: fc.oneof(fc.array(layerSpec(WRAPPERS), { maxLength: 12 }), plausibleMiddle),
    leaf: layerSpec(LEAVES),
    payload: fc.uint8Array({ maxLength: 64 }),
    pad: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 24 }), weight: 1 }),
    number: frameNumber,
    sec: u32,
    frac: fc.integer({ min: 0, max: 999_999 }),
    origExtra: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 2000 }), weight: 1 }),
    linktype: fc.oneof({ arbitrary: fc.constant(1), weight: 19 }, { arbitrary: u32.map((v) => v & 0x0fffffff), weight: 1 }),
  })
  .map((g) => {
    const stack = [g.outer, ...g.middle, g.leaf];
    const body = buildStack(stack, g.payload);
    const data = concatBytes([body, new Uint8Array(g.pad)]); // Ethernet padding after the IP datagram
    return {
      how: `scratch ${stack.map((s) => `${s.kind}${s.honest ? '' : '?'}${s.link ? '' : '~'}`).join('/')}`,
      frame: {
        number: g.number,
        data,
        caplen: data.length,
        origLen: data.length + g.origExtra,
        tsSec: g.sec,
        tsNsec: g.frac * 1000,
        tsDigits: 6,
        linktype: g.linktype,
        fileOffset: 24,
      },
    };
  });

// ---- Honest frames: well-typed stacks with every length and checksum a sender would write ----

/**
 * A well-typed stack from a list of choices: each header's type field names the header that
 * follows (Ethernet/VLAN -> IPv4/ARP/VLAN, IPv4 -> ICMP/TCP/UDP/IPv4/GRE/NVGRE, GRE -> IPv4/ARP/
 * Ethernet, NVGRE -> Ethernet). At most `max` headers: past that a leaf closes the stack.
 */
export function wellTypedKinds(choices: number[], max = 14, start: 'eth' | 'ip' = 'eth'): Kind[] {
  const kinds: Kind[] = start === 'eth' ? ['eth'] : ['eth', 'ip'];
  let i = 0;
  const next = (n: number): number => (choices[i++] ?? 0) % n;
  let state: 'eth' | 'ip' | 'gre' = start;
  for (;;) {
    const closing = kinds.length >= max - 1 || i >= choices.length;
    if (state === 'eth') {
      const k = closing ? 3 : next(6);
      if (k <= 1) kinds.push(k === 0 ? 'vlan' : 'qinq');
      else if (k <= 4 || closing) {
        if (closing) {
          kinds.push('arp');
          return kinds;
        }
        kinds.push('ip');
        state = 'ip';
      } else {
        kinds.push('arp');
        return kinds;
      }
    } else if (state === 'ip') {
      const k = closing ? next(3) : next(8);
      if (k < 3) {
        kinds.push((['icmp', 'tcp', 'udp'] as const)[k]);
        return kinds;
      }
      if (k === 3) kinds.push('ip');
      else if (k === 4) {
        kinds.push('gre');
        state = 'gre';
      } else {
        kinds.push('nvgre', 'eth');
        state = 'eth';
      }
    } else {
      const k = closing ? 1 : next(3);
      if (k === 0) {
        kinds.push('ip');
        state = 'ip';
      } else if (k === 1) {
        kinds.push('arp');
        return kinds;
      } else {
        kinds.push('eth');
        state = 'eth';
      }
    }
  }
}

const PROTO_OF: Record<Kind, string> = {
  eth: 'eth',
  vlan: 'vlan',
  qinq: 'ieee8021ad',
  ip: 'ip',
  gre: 'gre',
  nvgre: 'gre',
  arp: 'arp',
  icmp: 'icmp',
  tcp: 'tcp',
  udp: 'udp',
  raw: 'data',
};

export interface HonestFrame extends MutatedFrame {
  /** The layers the dissector must find, outermost first; null when the frame was cut short. */
  protos: string[] | null;
}

type HonestCut = { kind: 'none' } | { kind: 'snaplen' | 'fragment'; at: number };
const honestCut: fc.Arbitrary<HonestCut> = fc.oneof(
  { arbitrary: fc.constant<HonestCut>({ kind: 'none' }), weight: 3 },
  { arbitrary: fc.nat().map<HonestCut>((at) => ({ kind: 'snaplen', at })), weight: 1 },
  { arbitrary: fc.nat().map<HonestCut>((at) => ({ kind: 'fragment', at })), weight: 1 },
);

/**
 * Cuts an honest frame the way the world does, still honestly: a snaplen cut (caplen < origLen),
 * or the outermost IPv4 datagram made a first fragment (MF set, a multiple of 8 payload bytes
 * kept, total length and header checksum rewritten). Returns null when there is nothing to cut.
 */
function cutHonestly(f: Frame, stack: LayerSpec[], cut: HonestCut): { frame: Frame; how: string } | null {
  if (cut.kind === 'none') return null;
  const d = f.data;
  if (cut.kind === 'snaplen') {
    const caplen = cut.at % d.length;
    return { frame: { ...f, data: d.slice(0, caplen), caplen, origLen: d.length }, how: `snaplen ${caplen} of ${d.length}` };
  }
  const ipAt = stack.findIndex((s) => s.kind === 'ip');
  if (ipAt < 0 || stack.slice(1, ipAt).some((s) => s.kind !== 'vlan' && s.kind !== 'qinq')) return null;
  const off = 14 + 4 * (ipAt - 1);
  const hlen = (d[off] & 0xf) * 4;
  const payload = be16(d, off + 2) - hlen;
  if (payload <= 8) return null;
  const keep = 8 * (1 + (cut.at % Math.floor((payload - 1) / 8)));
  const out = d.slice(0, off + hlen + keep);
  put16(out, off + 2, hlen + keep);
  put16(out, off + 6, 0x2000); // MF, offset 0
  put16(out, off + 10, 0);
  put16(out, off + 10, inetChecksum(out.subarray(off, off + hlen)));
  const data = out.length < 60 ? concatBytes([out, new Uint8Array(60 - out.length)]) : out;
  return { frame: { ...f, data, caplen: data.length, origLen: data.length }, how: `first fragment, ${keep} of ${payload} payload bytes` };
}

export const honestFrame: fc.Arbitrary<HonestFrame> = fc
  .tuple(fc.array(fc.nat(), { maxLength: 24 }), fc.uint8Array({ maxLength: 64 }), frameNumber, fc.integer({ min: 0, max: 3 }), honestCut)
  .chain(([choices, payload, number, padChoice, cut]) => {
    const kinds = wellTypedKinds(choices);
    return fc.tuple(...kinds.map((k) => layerSpec([k]))).map((specs) => {
      const stack = specs.map((s) => ({ ...s, honest: true, link: true }));
      const body = buildStack(stack, payload);
      // Ethernet pads short frames to 60 bytes; any other trailer only where a length bounds it.
      const data = padChoice === 0 && body.length < 60 ? concatBytes([body, new Uint8Array(60 - body.length)]) : body;
      const protos: string[] = [];
      stack.forEach((s, i) => {
        protos.push(PROTO_OF[s.kind]);
        // GRE carrying Ethernet (0x6558) with the K bit is NVGRE: the key is its own layer.
        const inner = stack[i + 1]?.kind;
        if (s.kind === 'nvgre' || (s.kind === 'gre' && inner === 'eth' && (s.r[0] & 0x2000) !== 0)) protos.push('nvgre');
      });
      const leaf = stack[stack.length - 1].kind;
      if ((leaf === 'tcp' || leaf === 'udp') && payload.length > 0) protos.push('data');
      const frame: Frame = { number, data, caplen: data.length, origLen: data.length, tsSec: 0, tsNsec: 0, tsDigits: 6, linktype: 1, fileOffset: 24 };
      const cutOne = cutHonestly(frame, stack, cut);
      if (cutOne !== null) return { how: `honest ${kinds.join('/')}, ${cutOne.how}`, protos: null, frame: cutOne.frame };
      return { how: `honest ${kinds.join('/')}`, protos, frame };
    });
  });

/** Completely random bytes as an Ethernet frame. */
export const randomBytesFrame: fc.Arbitrary<MutatedFrame> = fc
  .tuple(fc.uint8Array({ maxLength: 200 }), frameNumber)
  .map(([data, number]) => ({
    how: 'random bytes',
    frame: { number, data, caplen: data.length, origLen: data.length, tsSec: 0, tsNsec: 0, tsDigits: 6, linktype: 1, fileOffset: 24 },
  }));

// ---------------------------------------------------------------------------------------------
// Checks on one dissected frame and its four renderings

export const WARNING_CODES = new Set(Object.keys(WARNINGS));

/** C0 except '\n', DEL, C1. */
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f\u0080-\u009f]/;
/** SGR colour sequences, the only escape sequences the colour tree may contain. */
const SGR = /\u001b\[[0-9;]*m/g;

export function forbiddenChar(s: string): string | null {
  const m = FORBIDDEN.exec(s);
  if (m === null) return null;
  return `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index} in ${JSON.stringify(s.slice(Math.max(0, m.index - 40), m.index + 40))}`;
}

/** Structural checks of a Packet against the frame it came from. */
export function checkPacket(frame: Frame, pkt: Packet): void {
  checkEq(pkt.frame.number, frame.number, 'packet frame number');
  const caplen = frame.caplen;
  for (const w of pkt.frameWarnings ?? []) checkWarning(w);
  for (const layer of pkt.layers) {
    const where = `${layer.proto}@${layer.offset}+${layer.length}`;
    check(Number.isInteger(layer.offset) && layer.offset >= 0, `${where}: offset is not a non-negative integer`);
    check(Number.isInteger(layer.length) && layer.length >= 0, `${where}: length is not a non-negative integer`);
    if (layer.reassembled) {
      // Offsets of layers decoded from a reassembled datagram count in that datagram.
      check(pkt.reassembled !== null, `${where}: marked reassembled, but the packet has no reassembled bytes`);
      check(layer.offset + layer.length <= pkt.reassembled.length, `${where}: ends beyond the reassembled ${pkt.reassembled.length} bytes`);
    } else check(layer.offset + layer.length <= caplen, `${where}: ends beyond caplen ${caplen}`);
    const fields = fieldsOf(layer);
    for (const key in fields) {
      const v = fields[key];
      check(FIELD_DEFS.has(key), `${where}: field ${key} has no definition`);
      if (typeof v === 'number') check(Number.isFinite(v), `${where}: ${key} = ${v}`);
      else if (Array.isArray(v)) check(v.length > 0 && v.every((x) => Number.isInteger(x) && x > 0), `${where}: ${key} = [${v.join(',')}]`);
      else check(v instanceof Uint8Array, `${where}: ${key} is neither a number, a list of numbers nor bytes`);
    }
    for (const w of layer.warnings ?? []) checkWarning(w);
  }
  checkFieldsAgreeWithBytes(frame, pkt);
}

function checkWarning(w: { code: string; severity: string; message: string }): void {
  check(WARNING_CODES.has(w.code), `unknown warning code ${w.code}`);
  checkEq(w.severity, WARNINGS[w.code as keyof typeof WARNINGS][0], `severity of ${w.code}`);
  check(typeof w.message === 'string', `message of ${w.code} is not a string`);
}

/** Where each checked field sits relative to its layer's offset, how wide it is and how it reads. */
type Reader = (d: Uint8Array, o: number) => number;
const FIELD_BYTES: Record<string, [number, number, Reader]> = {
  'eth.dst': [0, 6, (d, o) => be16(d, o) * 0x100000000 + be32(d, o + 2)],
  'eth.src': [6, 6, (d, o) => be16(d, o) * 0x100000000 + be32(d, o + 2)],
  'eth.type': [12, 2, be16],
  'eth.len': [12, 2, be16],
  'vlan.id': [0, 2, (d, o) => be16(d, o) & 0xfff],
  'vlan.etype': [2, 2, be16],
  'vlan.len': [2, 2, be16],
  'ieee8021ad.id': [0, 2, (d, o) => be16(d, o) & 0xfff],
  'ieee8021ad.etype': [2, 2, be16],
  'ip.version': [0, 1, (d, o) => d[o] >>> 4],
  'ip.hdr_len': [0, 1, (d, o) => (d[o] & 0xf) * 4],
  'ip.len': [2, 2, be16],
  'ip.ttl': [8, 1, (d, o) => d[o]],
  'ip.proto': [9, 1, (d, o) => d[o]],
  'ip.checksum': [10, 2, be16],
  'ip.src': [12, 4, be32],
  'ip.dst': [16, 4, be32],
  'gre.flags_and_version': [0, 2, be16],
  'gre.proto': [2, 2, be16],
  // The NVGRE layer covers the 4 key bytes: the VSID is their first 24 bits, the FlowID the last 8.
  'nvgre.vsid': [0, 4, (d, o) => be32(d, o) >>> 8],
  'nvgre.flow_id': [3, 1, (d, o) => d[o]],
  'arp.opcode': [6, 2, be16],
  'icmp.type': [0, 1, (d, o) => d[o]],
  'icmp.code': [1, 1, (d, o) => d[o]],
  'tcp.srcport': [0, 2, be16],
  'tcp.dstport': [2, 2, be16],
  'tcp.seq_raw': [4, 4, be32],
  'tcp.ack_raw': [8, 4, be32],
  'udp.srcport': [0, 2, be16],
  'udp.dstport': [2, 2, be16],
  'udp.length': [4, 2, be16],
  'udp.checksum': [6, 2, be16],
};

/**
 * "Never lies": the fields a reader relies on most are exactly the bytes at their place in the
 * layer, and those bytes were captured. (Only fields whose place follows from the layer's own
 * offset, so no decoding is re-done here.)
 */
function checkFieldsAgreeWithBytes(frame: Frame, pkt: Packet): void {
  for (const l of pkt.layers) {
    if (l.learntFrom !== 0) {
      // Lent by the datagram's first fragment, an earlier frame: nothing of it is in these bytes.
      check(l.learntFrom > 0 && l.offset === 0 && l.length === 0, `${l.proto} lent by frame ${l.learntFrom} at ${l.offset}+${l.length}`);
      continue;
    }
    const d = l.reassembled && pkt.reassembled !== null ? pkt.reassembled : frame.data;
    const f = fieldsOf(l);
    for (const key in f) {
      const spec = FIELD_BYTES[key];
      if (spec === undefined) continue;
      const [at, width, readField] = spec;
      const o = l.offset + at;
      const where = `${l.proto}@${l.offset}: ${key}`;
      check(o + width <= d.length, `${where} shown, but its bytes ${o}..${o + width} were not captured (${d.length} bytes)`);
      checkEq(f[key], readField(d, o), `${where} vs the bytes ${bytesToHex(d.subarray(o, o + width))}`);
    }
    if (l.proto === 'nvgre') checkEq(l.length, 4, `nvgre@${l.offset}: length`);
    if (l.proto === 'data') {
      checkEq(f['data.len'], l.length, `data@${l.offset}: data.len`);
      checkEq(bytesToHex(f['data.data'] as Uint8Array), bytesToHex(d.subarray(l.offset, l.offset + l.length)), `data@${l.offset}: data.data`);
    }
  }
}

export function checkSummary(frame: Frame, s: string): void {
  check(s.endsWith('\n'), `summary does not end with a newline: ${JSON.stringify(s)}`);
  check(s.indexOf('\n') === s.length - 1, `summary is more than one line: ${JSON.stringify(s)}`);
  check(s.startsWith(`${frame.number} `), `summary does not start with the frame number ${frame.number}: ${JSON.stringify(s)}`);
  checkEq(forbiddenChar(s), null, 'control character in the summary');
}

export interface JsonFrame {
  frame: { number: number; time: string; len: number; caplen: number; linktype: number };
  layers: { proto: string; fields: Record<string, unknown> }[];
  warnings: { proto: string; code: string; severity: string; message: string }[];
}

export function checkJson(frame: Frame, s: string): JsonFrame {
  check(s.endsWith('\n'), `JSON does not end with a newline: ${JSON.stringify(s)}`);
  check(s.indexOf('\n') === s.length - 1, `JSON is more than one line: ${JSON.stringify(s)}`);
  checkEq(forbiddenChar(s), null, 'control character in the JSON');
  let j: JsonFrame;
  try {
    j = JSON.parse(s) as JsonFrame;
  } catch (e) {
    throw new PropertyViolation(`JSON.parse rejects the line (${String(e)}): ${s}`);
  }
  checkEq(j.frame.number, frame.number, 'JSON frame.number');
  checkEq(j.frame.caplen, frame.caplen, 'JSON frame.caplen');
  checkEq(j.frame.len, frame.origLen, 'JSON frame.len');
  checkEq(j.frame.linktype, frame.linktype, 'JSON frame.linktype');
  check(Array.isArray(j.layers), 'JSON layers is not an array');
  for (const l of j.layers) {
    check(typeof l.proto === 'string', 'JSON layer without a proto string');
    check(typeof l.fields === 'object' && l.fields !== null && !Array.isArray(l.fields), `JSON fields of ${l.proto} is not an object`);
  }
  check(Array.isArray(j.warnings), 'JSON warnings is not an array');
  for (const w of j.warnings) checkWarning(w);
  return j;
}

export function checkTree(frame: Frame, s: string, colour: boolean): void {
  const text = colour ? s.replace(SGR, '') : s;
  checkEq(forbiddenChar(text), null, `control character in the ${colour ? 'colour' : 'plain'} tree`);
  check(s.endsWith('\n'), 'the tree does not end with a newline');
  check(text.startsWith(`Frame ${frame.number}: `), `the tree does not start with "Frame ${frame.number}: "`);
}

// ---------------------------------------------------------------------------------------------
// Driving run() in-process

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Collector extends Writable {
  text = '';
  constructor() {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    cb();
  }
}

/** Splits `bytes` into chunks whose sizes cycle through `sizes` (0 gives an empty chunk). */
export function splitBySizes(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (sizes.length === 0 || sizes.every((s) => s === 0)) return [bytes];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

export const chunkSizes: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 5000 }), weight: 3 },
    { arbitrary: fc.constant(0), weight: 1 },
  ),
  { minLength: 1, maxLength: 8 },
);

export type Mode = Options['mode'];

/**
 * Runs the CLI on `bytes` given as stdin in `chunks`; rejects if it takes longer than `limitMs`.
 * `reassemble` false (--no-reassemble) decodes each frame from its own bytes, so each can be checked
 * on its own (fragments only name earlier pieces, as expectedStdout follows them);
 * `extra` sets further options (e.g. { hex: true }).
 */
export async function runOn(
  chunks: Uint8Array[],
  mode: Mode,
  color: 0 | 1,
  limitMs = 5000,
  reassemble = false,
  extra: Partial<Options> = {},
): Promise<RunResult> {
  const stdin = Readable.from(chunks.map((c) => Buffer.from(c)));
  const stdout = new Collector();
  const stderr = new Collector();
  // Only the options this harness drives; any other (boolean) option is left unset, i.e. off.
  const given: Partial<Options> = {
    captures: ['-'],
    color,
    mode,
    stats: false,
    quiet: false,
    strict: false,
    reassemble,
    selection: { vsids: [] },
    ...extra,
  };
  const opts = given as Options;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run() did not finish within ${limitMs} ms`)), limitMs);
  });
  try {
    const code = await Promise.race([run(opts, { stdin, stdout, stderr }), timeout]);
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    clearTimeout(timer);
  }
}

/** Frame numbers in the CLI output, in order, per mode. */
export function printedNumbers(mode: Mode, stdout: string): number[] {
  const lines = stdout.split('\n');
  if (lines.pop() !== '') throw new Error('output does not end with a newline');
  if (mode === 'json') return lines.map((l) => (JSON.parse(l) as JsonFrame).frame.number);
  if (mode === 'summary') return lines.map((l) => Number(/^(\d+) /.exec(l)?.[1] ?? NaN));
  return lines.flatMap((l) => {
    const m = /^(?:\u001b\[[0-9;]*m)*Frame (\d+): /.exec(l);
    return m === null ? [] : [Number(m[1])];
  });
}

// ---------------------------------------------------------------------------------------------
// Whole-file generators. Each knows, from how it was built, what a reader must make of it.

export interface BuiltFile {
  how: string;
  bytes: Uint8Array;
  magic: Magic;
  linktype: number;
  /** The frames the reader must deliver (complete records before the first damage), in order. */
  frames: Frame[];
  /** Where the damage starts, or null for a whole file. */
  damage: Damage | null;
}


const recordData: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 2000, size: 'max' }), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 2000 }), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(...FIXTURE_FRAMES).map((fx) => fx.frame.data), weight: 3 },
  { arbitrary: fc.oneof(truncatedFrame, bitFlippedFrame, overwrittenFrame, scratchFrame).map((m) => m.frame.data), weight: 3 },
);

const recordFor = (m: Magic): fc.Arbitrary<Rec> =>
  fc.record({
    sec: u32,
    frac: fracField(m.nanos),
    data: recordData,
    origDelta: fc.oneof(
      { arbitrary: fc.constant(0), weight: 6 },
      { arbitrary: fc.integer({ min: 1, max: 5000 }), weight: 2 },
      { arbitrary: u32, weight: 1 },
    ),
  }).map(({ sec, frac, data, origDelta }) => ({ sec, frac, data, origLen: origDelta === 0 ? data.length : (data.length + origDelta) >>> 0 }));

type DamagePlan =
  | { kind: 'none' }
  | { kind: 'cut'; at: number }
  | { kind: 'too-long'; rec: number; incl: number }
  | { kind: 'over-claim'; rec: number; extra: number };

const damagePlan: fc.Arbitrary<DamagePlan> = fc.oneof(
  { arbitrary: fc.constant<DamagePlan>({ kind: 'none' }), weight: 4 },
  { arbitrary: fc.nat().map<DamagePlan>((at) => ({ kind: 'cut', at })), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.nat(), fc.oneof(fc.constant(MAX_RECORD + 1), fc.integer({ min: MAX_RECORD + 1, max: 0xffffffff })))
      .map<DamagePlan>(([rec, incl]) => ({ kind: 'too-long', rec, incl })),
    weight: 1,
  },
  { arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3000 })).map<DamagePlan>(([rec, extra]) => ({ kind: 'over-claim', rec, extra })), weight: 1 },
);

/** A pcap file of any magic and link type with random records, whole or damaged in a known way. */
export const builtFile: fc.Arbitrary<BuiltFile> = fc
  .tuple(
    fc.constantFrom(...MAGICS),
    linktypeField,
    damagePlan,
  )
  .chain(([magic, linktype, plan]) =>
    fc.array(recordFor(magic), { maxLength: 8 }).map((recs) => assemble(magic, linktype, recs, plan)),
  );

function assemble(magic: Magic, linktype: number, recs: Rec[], plan: DamagePlan): BuiltFile {
  const parts = [pcapHeaderBytes(magic, linktype)];
  const offsets: number[] = [];
  let at = FILE_HEADER;
  // A plan naming a record picks one that exists (none: the plan becomes a cut after the header).
  const target = plan.kind === 'too-long' || plan.kind === 'over-claim' ? (recs.length === 0 ? -1 : plan.rec % recs.length) : -1;
  for (let i = 0; i < recs.length; i++) {
    offsets.push(at);
    let incl = recs[i].data.length;
    if (i === target && plan.kind === 'too-long') incl = plan.incl;
    const b = recordBytes(magic, recs[i], incl);
    parts.push(b);
    at += b.length;
  }
  let bytes = concatBytes(parts);
  const total = bytes.length;
  const all = recs.map((r, i) => frameFor(magic, linktype, r, i, offsets[i]));
  const how = `${magic.le ? 'le' : 'be'}/${magic.nanos ? 'ns' : 'us'} linktype ${linktype} ${recs.length} records (${recs.map((r) => r.data.length).join(',')}) ${JSON.stringify(plan)}`;
  if (target >= 0 && plan.kind === 'too-long') {
    return { how, bytes, magic, linktype, frames: all.slice(0, target), damage: { offset: offsets[target] + 8 } };
  }
  if (target >= 0 && plan.kind === 'over-claim') {
    // Record `target` claims more bytes than the rest of the file holds: its body is cut off.
    const incl = total - offsets[target] - RECORD_HEADER + plan.extra;
    new DataView(bytes.buffer).setUint32(offsets[target] + 8, incl, magic.le);
    return { how, bytes, magic, linktype, frames: all.slice(0, target), damage: { offset: offsets[target] + RECORD_HEADER } };
  }
  if (plan.kind === 'cut') {
    const cut = plan.at % (total + 1);
    bytes = bytes.slice(0, cut);
    if (cut < FILE_HEADER) return { how, bytes, magic, linktype, frames: [], damage: { offset: 0 } };
    const ends = offsets.map((o, i) => o + RECORD_HEADER + recs[i].data.length);
    const whole = ends.filter((e) => e <= cut).length;
    if (cut === FILE_HEADER || ends.includes(cut)) return { how, bytes, magic, linktype, frames: all.slice(0, whole), damage: null };
    const start = offsets[whole];
    return {
      how,
      bytes,
      magic,
      linktype,
      frames: all.slice(0, whole),
      damage: { offset: cut - start < RECORD_HEADER ? start : start + RECORD_HEADER },
    };
  }
  return { how, bytes, magic, linktype, frames: all, damage: null };
}

/** Byte strings with no promise at all: random, or a valid magic (and sometimes header) then garbage. */
export const randomFile: fc.Arbitrary<{ how: string; bytes: Uint8Array }> = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((bytes) => ({ how: 'random bytes', bytes })),
  fc.uint8Array({ maxLength: 3000, size: 'max' }).map((bytes) => ({ how: 'random bytes', bytes })),
  fc
    .tuple(fc.constantFrom(...MAGICS), fc.uint8Array({ maxLength: 3000 }))
    .map(([m, rest]) => ({ how: 'magic + garbage', bytes: concatBytes([pcapHeaderBytes(m, 1).subarray(0, 4), rest]) })),
  fc
    .tuple(
      fc.constantFrom(...MAGICS),
      linktypeField,
      fc.array(
        fc.tuple(u32, u32, fc.oneof(fc.integer({ min: 0, max: 300 }), u32), u32, fc.uint8Array({ maxLength: 300 })),
        { maxLength: 8 },
      ),
    )
    .map(([m, linktype, recs]) => ({
      how: 'header + records with random header fields',
      bytes: concatBytes([
        pcapHeaderBytes(m, linktype),
        ...recs.map(([sec, frac, incl, orig, data]) => recordBytes(m, { sec, frac, data, origLen: orig }, incl)),
      ]),
    })),
  fc
    .tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.uint8Array({ maxLength: 64 }))
    .map(([fx, cut, tail]) => ({
      how: `${fx.name} cut then garbage`,
      bytes: concatBytes([fx.bytes.subarray(0, cut % (fx.bytes.length + 1)), tail]),
    })),
  // Other formats' magics (pcapng, gzip) then garbage, and gzip-compressed pcaps cut anywhere.
  fc.uint8Array({ maxLength: 600 }).map((rest) => ({ how: 'pcapng magic + garbage', bytes: concatBytes([Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a), rest]) })),
  fc
    .tuple(
      fc.constant(null).chain(() => pcapngFileArb()),
      fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 4 }),
    )
    .map(([f, writes]) => {
      const b = f.bytes.slice();
      // Mostly into the first 120 bytes: SHB, IDB and the first block headers.
      for (const [at, bytes] of writes) {
        const o = at % 3 === 0 ? at % b.length : (at >>> 2) % Math.min(120, b.length);
        for (let i = 0; i < bytes.length && o + i < b.length; i++) b[o + i] = bytes[i];
      }
      return { how: `${f.how} overwritten ${JSON.stringify(writes.map(([o, x]) => [o, bytesToHex(x)]))}`, bytes: b };
    }),
  fc.uint8Array({ maxLength: 600 }).map((rest) => {
    // Known bug (regressions.test.ts): inflated bytes are lost when zlib then fails; with a method
    // byte other than 8 (deflate) the header is refused before anything is inflated.
    const b = concatBytes([Uint8Array.of(0x1f, 0x8b), rest]);
    if (AVOID_KNOWN_BUGS && b.length > 2 && b[2] === 8) b[2] = 9;
    return { how: 'gzip magic + garbage', bytes: b };
  }),
  fc.tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.uint8Array({ maxLength: 16 })).map(([fx, cut, tail]) => {
    const gz = gzipSync(fx.bytes);
    const cutGz = gz.subarray(0, cut % (gz.length + 1));
    // Garbage after whole gzip data is found at its byte whatever the chunking (regressions.test.ts).
    // Still a known limitation: inside deflate data (a member cut short, or another member begun),
    // zlib drops what it inflated in the call that fails, so the frames shown depend on the chunks.
    const inDeflate = cutGz.length < gz.length || tail[0] === 0x1f;
    if (AVOID_KNOWN_BUGS && inDeflate) return { how: `gzip of ${fx.name}, cut`, bytes: cutGz };
    return { how: `gzip of ${fx.name}, cut, garbage`, bytes: concatBytes([cutGz, tail]) };
  }),
);

/**
 * The instant a record's timestamp names, as ISO 8601 UTC with the file's precision (6 or 9
 * digits), computed without src/. A fraction field of a second or more (out of range, but the
 * field can hold it) carries into the seconds: printing it as more digits would misstate the time.
 */
export function isoTime(sec: number, nsec: number, digits: number): string {
  const unit = digits === 9 ? 1 : 1000;
  const perSec = digits === 9 ? 1_000_000_000 : 1_000_000;
  const frac = Math.floor(nsec / unit);
  const whole = new Date((sec + Math.floor(frac / perSec)) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(frac % perSec).padStart(digits, '0')}Z`;
}

// ---------------------------------------------------------------------------------------------
// What a run() must have done with a file

export const STDERR_LINE = /^nvgre-dissect: \(stdin\): at byte (\d+): [^\n]*\n$/;
/** A CLI run may take this long per case before the case counts as hanging. */
export const CASE_LIMIT_MS = 5000;

/**
 * What the CLI must print for these frames with --no-reassemble: each one decoded from its own
 * bytes, in order, fragments followed without their payload (a later piece names its first).
 */
export function expectedStdout(frames: Frame[], mode: Mode, color: 0 | 1): string {
  const palette = makePalette(color);
  const p = new Dissection(new Reassembler(false));
  // run() reads standard input here: its JSON lines name it "-".
  const stdin = jsonFile('-');
  return frames
    .map((f) => {
      const pkt = dissect(f, p);
      return mode === 'json' ? textOf((out) => writeJson(pkt, out, stdin)) : mode === 'summary' ? formatSummary(pkt, palette) : formatTree(pkt, palette);
    })
    .join('');
}

export interface RunExpectation {
  /** The complete records before the first damage. */
  frames: Frame[];
  damage: Damage | null;
  /** Not classic pcap (pcapng, gzip magic): only what holds for any input is checked. */
  foreign?: boolean;
}

export interface RunCheck {
  color: 0 | 1;
  /** Compare each frame's printed time with the record's timestamp. */
  times: boolean;
  /**
   * stdout must be each frame decoded from its own bytes: true with --no-reassemble (with
   * reassembly, a frame completing a datagram shows earlier frames' bytes).
   */
  exact: boolean;
}

export function checkRun(r: RunResult, mode: Mode, want: RunExpectation, how: RunCheck): void {
  const numbers = printedNumbers(mode, r.stdout);
  check(r.stderr === '' || !/\n\s+at /.test(r.stderr), `stack trace on stderr: ${r.stderr}`);
  if (want.foreign === true) {
    // Another format's reader: any exit 0/2, frames numbered 1..n, one stderr line when broken.
    check(r.code === 0 || r.code === 2, `exit code ${r.code}`);
    checkEq(numbers.join(','), numbers.map((_, i) => i + 1).join(','), 'frame numbers printed');
    if (r.code === 2) check(/^nvgre-dissect: \(stdin\): at byte \d+[^\n]*\n$/.test(r.stderr), `stderr: ${JSON.stringify(r.stderr)}`);
    return;
  }
  const { frames, damage } = want;
  checkEq(r.code, damage === null ? 0 : 2, `exit code (stderr: ${JSON.stringify(r.stderr)})`);
  // Frames printed: exactly the complete records before the damage, numbered 1..n in order.
  checkEq(numbers.join(','), frames.map((_, i) => i + 1).join(','), 'frame numbers printed');
  if (mode === 'json') {
    const lines = r.stdout.split('\n').slice(0, -1);
    lines.forEach((line, i) => {
      const j: JsonFrame = checkJson(frames[i], `${line}\n`);
      if (how.times) checkEq(j.frame.time, isoTime(frames[i].tsSec, frames[i].tsNsec, frames[i].tsDigits), `time of frame ${i + 1}`);
    });
  }
  // And each exactly as that record's bytes format alone: chunking and buffer reuse change nothing.
  if (how.exact) checkEq(r.stdout, expectedStdout(frames, mode, how.color), 'stdout vs each record formatted alone');
  if (damage === null) {
    checkEq(r.stderr, '', 'stderr of a whole file');
  } else {
    const m = STDERR_LINE.exec(r.stderr);
    check(m !== null, `stderr is not one "nvgre-dissect: (stdin): at byte N: ..." line: ${JSON.stringify(r.stderr)}`);
    checkEq(Number(m[1]), damage.offset, `byte offset named on stderr (${r.stderr.trim()})`);
  }
}

// ---------------------------------------------------------------------------------------------
// IPv4 fragments of an honest datagram

export interface FragmentedDatagram {
  how: string;
  /** The datagram unfragmented, as one frame. */
  whole: Frame;
  /** Its fragments as frames, in arrival order (numbered 1..n). */
  fragments: Frame[];
}

/**
 * An honest Ethernet/IPv4 frame whose payload (a well-typed stack) is split at random multiples
 * of 8 bytes into 2..6 fragments, each with the header copied, MF and offset set, total length
 * and checksum rewritten, padded to 60 bytes; delivered in a random order.
 */
export const fragmentedDatagram: fc.Arbitrary<FragmentedDatagram> = fc
  .tuple(fc.array(fc.nat(), { maxLength: 16 }), fc.uint8Array({ minLength: 8, maxLength: 400 }))
  .chain(([choices, payload]) => {
    const kinds = wellTypedKinds(choices, 10, 'ip');
    return fc
      .tuple(
        fc.tuple(...kinds.map((k) => layerSpec([k]))),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.nat(),
      )
      .map(([specs, cutChoices, orderSeed]) => {
        const stack = specs.map((sp) => ({ ...sp, honest: true, link: true }));
        const body = buildStack(stack, payload);
        const hlen = (body[14] & 0xf) * 4;
        const total = be16(body, 16);
        const P = total - hlen;
        const units = Math.floor((P - 1) / 8); // cuts at 8, 16, ... strictly inside the payload
        const cuts = [...new Set(cutChoices.map((c) => 8 * (1 + (c % Math.max(1, units)))))].filter((c) => c < P).sort((a, b) => a - b);
        const bounds = [0, ...cuts, P];
        const pieces: Uint8Array[] = [];
        for (let k = 0; k + 1 < bounds.length; k++) {
          const from = bounds[k];
          const to = bounds[k + 1];
          const ip = body.slice(14, 14 + hlen);
          put16(ip, 2, hlen + (to - from));
          put16(ip, 6, (to < P ? 0x2000 : 0) | (from / 8));
          put16(ip, 10, 0);
          put16(ip, 10, inetChecksum(ip));
          const frame = concatBytes([body.subarray(0, 14), ip, body.subarray(14 + hlen + from, 14 + hlen + to)]);
          pieces.push(frame.length < 60 ? concatBytes([frame, new Uint8Array(60 - frame.length)]) : frame);
        }
        // A deterministic shuffle from one seed, so shrinking keeps the order.
        const order = pieces.map((_, k) => k);
        let x = orderSeed >>> 0 || 1;
        for (let k = order.length - 1; k > 0; k--) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          const j = x % (k + 1);
          [order[k], order[j]] = [order[j], order[k]];
        }
        const frameOf = (data: Uint8Array, number: number): Frame => ({
          number,
          data,
          caplen: data.length,
          origLen: data.length,
          tsSec: 0,
          tsNsec: 0,
          tsDigits: 6,
          linktype: 1,
          fileOffset: 24,
        });
        return {
          how: `${kinds.join('/')} in ${pieces.length} fragments (bounds ${bounds.join(',')}) arriving ${order.join(',')}`,
          whole: frameOf(body, 1),
          fragments: order.map((k, n) => frameOf(pieces[k], n + 1)),
        };
      });
  });

// ---------------------------------------------------------------------------------------------
// pcapng (draft-ietf-opsawg-pcapng), written here: SHB, one IDB, EPBs; either byte order

export interface BuiltPcapng {
  how: string;
  bytes: Uint8Array;
  /** The frames a reader must deliver (fileOffset is the reader's business, not compared). */
  frames: Frame[];
  /** Where each block ends, for cuts: a cut exactly there leaves a whole (shorter) file. */
  blockEnds: number[];
  /** Offset of the first EPB: a cut before it also cuts the SHB or IDB. */
  firstPacket: number;
}

function pcapngBlock(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, le);
  dv.setUint32(4, len, le);
  b.set(body, 8);
  dv.setUint32(len - 4, len, le);
  return b;
}

export const pcapngFile: fc.Arbitrary<BuiltPcapng> = pcapngFileArb();

/** (A function, so randomFile above can use it before this point of the module runs.) */
function pcapngFileArb(): fc.Arbitrary<BuiltPcapng> {
  return fc
  .record({
    le: fc.boolean(),
    nanos: fc.boolean(),
    linktype: fc.oneof({ arbitrary: fc.constant(1), weight: 5 }, { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 1 }),
    recs: fc.array(
      fc.record({
        sec: u32,
        frac: fc.integer({ min: 0, max: 999_999_999 }),
        data: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...FIXTURE_FRAMES).map((fx) => fx.frame.data)),
        extra: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 3000 }), weight: 1 }),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ le, nanos, linktype, recs }) => {
    const shb = new Uint8Array(16);
    const sdv = new DataView(shb.buffer);
    sdv.setUint32(0, 0x1a2b3c4d, le);
    sdv.setUint16(4, 1, le);
    sdv.setUint16(6, 0, le);
    sdv.setInt32(8, -1, le);
    sdv.setInt32(12, -1, le); // section length unknown
    // IDB: link type, reserved, snaplen, then if_tsresol = 9 for nanoseconds (6, the default, otherwise).
    const idb = new Uint8Array(nanos ? 8 + 12 : 8);
    const idv = new DataView(idb.buffer);
    idv.setUint16(0, linktype, le);
    idv.setUint32(4, 262144, le);
    if (nanos) {
      idv.setUint16(8, 9, le); // if_tsresol
      idv.setUint16(10, 1, le);
      idb[12] = 9;
      // opt_endofopt: 4 zero bytes at 16
    }
    const blocks = [pcapngBlock(le, 0x0a0d0d0a, shb), pcapngBlock(le, 1, idb)];
    const frames: Frame[] = [];
    recs.forEach((r, i) => {
      const units = nanos ? 1_000_000_000n : 1_000_000n;
      const frac = nanos ? r.frac : Math.floor(r.frac / 1000);
      const ts = BigInt(r.sec) * units + BigInt(frac);
      const body = new Uint8Array(20 + r.data.length);
      const dv = new DataView(body.buffer);
      dv.setUint32(0, 0, le); // interface 0
      dv.setUint32(4, Number(ts >> 32n), le);
      dv.setUint32(8, Number(ts & 0xffffffffn), le);
      dv.setUint32(12, r.data.length, le);
      dv.setUint32(16, r.data.length + r.extra, le);
      body.set(r.data, 20);
      blocks.push(pcapngBlock(le, 6, body));
      frames.push({
        number: i + 1,
        data: r.data,
        caplen: r.data.length,
        origLen: r.data.length + r.extra,
        tsSec: r.sec,
        tsNsec: nanos ? r.frac : frac * 1000,
        tsDigits: nanos ? 9 : 6,
        linktype,
        fileOffset: -1,
      });
    });
    const blockEnds: number[] = [];
    let at = 0;
    for (const b of blocks) blockEnds.push((at += b.length));
    return {
      how: `pcapng ${le ? 'le' : 'be'} ${nanos ? 'ns' : 'us'} linktype ${linktype} ${recs.length} packets (${recs.map((r) => r.data.length).join(',')})`,
      bytes: concatBytes(blocks),
      frames,
      blockEnds,
      firstPacket: blockEnds[1],
    };
  });
}
