// Shared helpers for the capture-reader tests. Expected values are derived here from the
// libpcap file format (24-byte global header, 16-byte record headers), never from src/.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CaptureError, type CaptureErrorKind } from '../../src/capture/errors.js';
import type { Frame } from '../../src/capture/frame.js';
import type { FrameSink } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = resolve(REPO_ROOT, 'fixtures');
/** Public third-party captures: never copied into the repo. */
export const CAPTURES_DIR = resolve(REPO_ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
export const HAVE_CAPTURES = existsSync(CAPTURES_DIR);
export const NO_CAPTURES_REASON = `public captures folder not found at ${CAPTURES_DIR} (set NVGRE_CAPTURES to run these tests)`;

export const FILE_HEADER = 24;
export const RECORD_HEADER = 16;

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(FIXTURES, name)));
}

/** A frame detached from the parser's reused Frame object and read buffer. */
export type FrameCopy = Frame;

export function copyFrame(f: Frame): FrameCopy {
  // new Uint8Array(view) copies; Buffer#slice (when chunks are Node Buffers) would only re-view.
  return { ...f, data: new Uint8Array(f.data), etw: f.etw && { ...f.etw } };
}

/** Yields `bytes` as chunks whose ends are at the given split points (copies, so no sharing). */
export async function* chunksAt(bytes: Uint8Array, splits: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const s of [...splits, bytes.length]) {
    yield bytes.slice(start, s);
    start = s;
  }
}

/** Yields `bytes` in chunks of `size` bytes (the last may be shorter). */
export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, Math.min(bytes.length, i + size));
}

export interface ReadResult {
  frames: FrameCopy[];
  /** null when reading finished without error. */
  error: unknown;
}

/** Runs readCapture to completion, collecting copied frames and the error (if any). */
export async function collect(input: AsyncIterable<Uint8Array>, sink: Partial<FrameSink> = {}): Promise<ReadResult> {
  const frames: FrameCopy[] = [];
  let error: unknown = null;
  try {
    await readCapture(input, {
      onFrame: (f) => frames.push(copyFrame(f)),
      afterChunk: sink.afterChunk ?? (() => false),
    });
  } catch (e) {
    error = e;
  }
  return { frames, error };
}

export function collectBytes(bytes: Uint8Array, chunkSize = bytes.length || 1): Promise<ReadResult> {
  return collect(chunksOf(bytes, chunkSize));
}

/** Asserts `e` is a CaptureError and returns it typed. */
export function asCaptureError(e: unknown): CaptureError {
  if (!(e instanceof CaptureError)) {
    throw new Error(`expected a CaptureError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return e;
}

/** The offsets must not depend on how the input is cut into chunks. */
export const CHUNKINGS = [0, 1, 3, 7, 100] as const; // 0 = the whole input in one chunk

function label(size: number): string {
  return size === 0 ? 'one chunk' : `${size}-byte chunks`;
}

/** Reading `bytes` under every chunking gives `framesBefore`, then a CaptureError of this kind at this offset. */
export async function expectDamage(
  bytes: Uint8Array,
  kind: CaptureErrorKind,
  offset: number,
  framesBefore: FrameCopy[],
  message?: RegExp,
): Promise<CaptureError> {
  let last: CaptureError | null = null;
  for (const size of CHUNKINGS) {
    const { frames, error } = await collectBytes(bytes, size === 0 ? bytes.length || 1 : size);
    const e = asCaptureError(error);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CaptureError');
    expect({ kind: e.kind, offset: e.offset }, label(size)).toEqual({ kind, offset });
    if (message) expect(e.message, label(size)).toMatch(message);
    expect(frames, `${label(size)}: frames before the damage`).toEqual(framesBefore);
    last = e;
  }
  return last!;
}

// ---- seed-ping: 8 frames of 116 bytes, derived by hand from the fixture description ----

export const SEED_FRAMES = 8;
export const SEED_LEN = 116;
export const SEED_BASE_SEC = 1374220800;
/** 24 + 8 * (16 + 116) */
export const SEED_FILE_SIZE = 1080;

/** Offset of record n (1-based) in a seed-ping file: 24 + (n-1) * (16 + 116). */
export function seedRecordOffset(n: number): number {
  return FILE_HEADER + (n - 1) * (RECORD_HEADER + SEED_LEN);
}

/** Frame 2k+1 at BASE + k s exactly; frame 2k+2 at the same second + 512 µs. */
export function seedTime(n: number): { tsSec: number; tsNsec: number } {
  const k = Math.floor((n - 1) / 2);
  return { tsSec: SEED_BASE_SEC + k, tsNsec: n % 2 === 0 ? 512_000 : 0 };
}

/**
 * The frames a seed-ping file must yield, with the data cut from the file at the offsets the
 * format dictates (the frame bytes are the same in all four variants).
 */
export function expectedSeedFrames(file: Uint8Array, tsDigits: 6 | 9): FrameCopy[] {
  const out: FrameCopy[] = [];
  for (let n = 1; n <= SEED_FRAMES; n++) {
    const at = seedRecordOffset(n);
    out.push({
      number: n,
      data: file.slice(at + RECORD_HEADER, at + RECORD_HEADER + SEED_LEN),
      caplen: SEED_LEN,
      origLen: SEED_LEN,
      ...seedTime(n),
      tsDigits,
      linktype: 1,
      fileOffset: at,
    });
  }
  return out;
}

// ---- a tiny independent pcap writer for synthetic inputs ----

export interface RawRecord {
  sec: number;
  frac: number;
  data: Uint8Array;
  /** Written as incl_len instead of data.length (to forge damaged headers). */
  inclLen?: number;
  origLen?: number;
}

export function pcapHeader(le: boolean, nanos: boolean, linktype = 1): Uint8Array {
  const b = new Uint8Array(FILE_HEADER);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, 262144, le);
  dv.setUint32(20, linktype, le);
  return b;
}

export function recordBytes(r: RawRecord, le: boolean): Uint8Array {
  const b = new Uint8Array(RECORD_HEADER + r.data.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, r.sec, le);
  dv.setUint32(4, r.frac, le);
  dv.setUint32(8, r.inclLen ?? r.data.length, le);
  dv.setUint32(12, r.origLen ?? r.data.length, le);
  b.set(r.data, RECORD_HEADER);
  return b;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Deterministic filler bytes. */
export function pattern(length: number, seed = 1): Uint8Array {
  const b = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
