// gzip-compressed captures: recognised by their magic, inflated as they stream, errors located in
// the decompressed data.
import { crc32, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import { readCapture } from '../../src/capture/read.js';
import {
  asCaptureError,
  chunksOf,
  collect,
  collectBytes,
  concatBytes,
  copyFrame,
  expectedSeedFrames,
  fixture,
  type FrameCopy,
  pattern,
  pcapHeader,
  recordBytes,
  seedRecordOffset,
} from './helpers.js';

const seed = fixture('seed-ping.pcap');
const expected = expectedSeedFrames(seed, 6);
const gz = (b: Uint8Array): Uint8Array => new Uint8Array(gzipSync(b));

describe('gzip fixtures', () => {
  it('seed-ping.pcap.gz starts with the gzip magic, has mtime 0, and inflates to seed-ping.pcap', async () => {
    const file = fixture('seed-ping.pcap.gz');
    expect(Array.from(file.subarray(0, 10))).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
    // Offsets are those of the decompressed file, so the frames are exactly seed-ping.pcap's.
    for (const size of [file.length, 1, 7, 64]) {
      const { frames, error } = await collectBytes(file, size);
      expect(error, `${size}-byte chunks`).toBeNull();
      expect(frames).toEqual(expected);
    }
  });

  it('seed-ping.pcapng.gz gives the frames of seed-ping.pcapng', async () => {
    const [a, b] = [await collectBytes(fixture('seed-ping.pcapng.gz'), 5), await collectBytes(fixture('seed-ping.pcapng'))];
    expect(a.error).toBeNull();
    expect(a.frames).toHaveLength(8);
    expect(a.frames).toEqual(b.frames);
  });
});

describe('gzip: recognised by content, whatever the input', () => {
  it('several gzip members one after the other (as `cat a.gz b.gz` makes) are one capture', async () => {
    const cut = seedRecordOffset(4) + 50;
    const bytes = concatBytes(gz(seed.subarray(0, cut)), gz(seed.subarray(cut)));
    const { frames, error } = await collectBytes(bytes, 9);
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
  });

  it('a large capture streams through in bounded chunks', async () => {
    const records = seed.subarray(24);
    const big = concatBytes(seed.subarray(0, 24), ...Array.from({ length: 600 }, () => records));
    const { frames, error } = await collectBytes(gz(big), 4096);
    expect(error).toBeNull();
    expect(frames).toHaveLength(4800);
    expect(frames[4799].fileOffset).toBe(24 + 4799 * 132);
  });
});

describe('gzip: damage', () => {
  it('damage inside the capture: its own kind, at its offset in the decompressed data', async () => {
    const cut = seedRecordOffset(4) + 16 + 50;
    for (const size of [1, 13, 1000]) {
      const { frames, error } = await collectBytes(gz(seed.subarray(0, cut)), size);
      const e = asCaptureError(error);
      expect([e.kind, e.offset, e.decompressed]).toEqual(['truncated_record_body', seedRecordOffset(4) + 16, true]);
      expect(e.where).toBe(`at byte ${seedRecordOffset(4) + 16} of the decompressed data`);
      expect(frames).toEqual(expected.slice(0, 3));
    }
  });

  it('an uncompressed capture does not say "decompressed"', async () => {
    const e = asCaptureError((await collectBytes(seed.subarray(0, 30))).error);
    expect([e.decompressed, e.where]).toEqual([false, 'at byte 24']);
  });

  it('gzip data cut off: bad_gzip at the end of what inflated, after every whole frame in it', async () => {
    const whole = gz(seed);
    for (const cut of [20, whole.length >> 1, whole.length - 9, whole.length - 1]) {
      const { frames, error } = await collectBytes(whole.subarray(0, cut), 17);
      const e = asCaptureError(error);
      expect([e.kind, e.decompressed, e.message], `cut at ${cut}`).toEqual(['bad_gzip', true, 'gzip data cut off (unexpected end of file)']);
      // Every frame wholly inside the inflated bytes was delivered, and none beyond.
      expect(e.offset).toBeLessThanOrEqual(seed.length);
      const complete = Math.max(0, Math.floor((e.offset - 24) / 132));
      expect(frames, `cut at ${cut}: inflated ${e.offset}`).toEqual(expected.slice(0, complete));
    }
  });

  it('the fixture broken/truncated.pcap.gz', async () => {
    const { frames, error } = await collectBytes(fixture('broken/truncated.pcap.gz'));
    const e = asCaptureError(error);
    expect(e.kind).toBe('bad_gzip');
    expect(frames).toEqual(expected.slice(0, Math.max(0, Math.floor((e.offset - 24) / 132))));
  });

  it('corrupt deflate data: bad_gzip naming zlib\'s complaint', async () => {
    const e = asCaptureError((await collectBytes(fixture('broken/corrupt.pcap.gz'))).error);
    expect([e.kind, e.offset, e.decompressed, e.message]).toEqual(['bad_gzip', 0, true, 'corrupt gzip data (invalid block type)']);
    // A flipped byte in the CRC-32 trailer: the check fails at the end. zlib drops what it
    // inflated in the call that failed (at most one 16 KiB chunk), so the frames are a prefix.
    const bad = gz(seed);
    bad[bad.length - 6] ^= 0xff;
    const r = await collectBytes(bad);
    expect([asCaptureError(r.error).kind, asCaptureError(r.error).message]).toEqual(['bad_gzip', 'corrupt gzip data (incorrect data check)']);
    expect(r.frames).toEqual(expected.slice(0, r.frames.length));
  });

  it('text after the gzip data: every frame first, then bad_gzip at its byte in the file (not 0)', async () => {
    const member = gz(seed);
    const text = new TextEncoder().encode('hello, this is not gzip\n');
    for (const size of [1, 7, 300, 100000]) {
      const { frames, error } = await collectBytes(concatBytes(member, text), size);
      const e = asCaptureError(error);
      expect([e.kind, e.offset, e.decompressed, e.where], `${size}-byte chunks`).toEqual(['bad_gzip', member.length, false, `at byte ${member.length}`]);
      expect(e.message).toBe('data after the gzip data is not another gzip member: 68 65 6c 6c (looks like text)');
      expect(frames).toEqual(expected);
    }
    // After a second member, and after a member larger than many zlib calls: the same.
    const cut = seedRecordOffset(4) + 50;
    const two = concatBytes(gz(seed.subarray(0, cut)), gz(seed.subarray(cut)));
    const e2 = asCaptureError((await collectBytes(concatBytes(two, Uint8Array.of(0xff, 0)), 5)).error);
    expect([e2.offset, e2.message]).toEqual([two.length, 'data after the gzip data is not another gzip member: ff 00']);
    const records = Array.from({ length: 300 }, (_, i) => recordBytes({ sec: i, frac: 0, data: pattern(1000, i + 1) }, true));
    const big = gz(concatBytes(pcapHeader(true, false), ...records));
    const r = await collectBytes(concatBytes(big, text), 4096);
    expect(r.frames).toHaveLength(300);
    expect(asCaptureError(r.error).offset).toBe(big.length);
  });

  it('zero bytes after the gzip data are padding, as gzip(1) takes them', async () => {
    const { frames, error } = await collectBytes(concatBytes(gz(seed), new Uint8Array(512)), 64);
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
  });

  it('a member\'s header with every optional field (extra, name, comment, header CRC) is read past', async () => {
    const plain = gz(seed);
    const name = new TextEncoder().encode('seed-ping.pcap\0');
    const comment = new TextEncoder().encode('a comment\0');
    const fields = concatBytes(Uint8Array.of(0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3, 3, 0, 0xaa, 0xbb, 0xcc), name, comment);
    const hcrc = crc32(fields) & 0xffff; // RFC 1952: the low 16 bits of the CRC-32 of the header before it
    const header = concatBytes(fields, Uint8Array.of(hcrc & 0xff, hcrc >> 8));
    const { frames, error } = await collectBytes(concatBytes(header, plain.subarray(10)), 3);
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
    header[header.length - 1] ^= 1;
    const e = asCaptureError((await collectBytes(concatBytes(header, plain.subarray(10)), 3)).error);
    expect([e.kind, e.offset, e.message]).toEqual(['bad_gzip', 0, 'corrupt gzip data (header crc mismatch)']);
  });

  it('the gzip magic alone, or a 2-byte file: bad_gzip, not a stack trace', async () => {
    for (const bytes of [Uint8Array.of(0x1f, 0x8b), Uint8Array.of(0x1f, 0x8b, 8)]) {
      const e = asCaptureError((await collectBytes(bytes)).error);
      expect([e.kind, e.offset]).toEqual(['bad_gzip', 0]);
    }
  });

  it('inflates to nothing: empty; to text: bad_magic; to gzip again: unsupported_format', async () => {
    const cases: [Uint8Array, string, RegExp][] = [
      [gz(new Uint8Array(0)), 'empty', /inflates to nothing/],
      [gz(new TextEncoder().encode('hello, world\n')), 'bad_magic', /looks like text/],
      [gz(gz(seed)), 'unsupported_format', /gzip.*inside gzip/],
    ];
    for (const [bytes, kind, message] of cases) {
      const e = asCaptureError((await collectBytes(bytes)).error);
      expect([e.kind, e.offset, e.decompressed]).toEqual([kind, 0, true]);
      expect(e.message).toMatch(message);
    }
  });

  it('errors that are not about the data (a failing read) pass through unchanged', async () => {
    const boom = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    const compressed = gz(seed);
    const { frames, error } = await collect(
      (async function* () {
        yield compressed.subarray(0, 10);
        throw boom;
      })(),
    );
    expect(error).toBe(boom);
    expect(error).not.toBeInstanceOf(CaptureError);
    expect(frames).toEqual([]);
  });
});

describe('gzip: backpressure and stopping', () => {
  // 2000 records of 1000 bytes that do not compress: the compressed file (2 MB) is far larger
  // than every buffer between the source and the parser.
  const big = concatBytes(pcapHeader(true, false), ...Array.from({ length: 2000 }, (_, i) => recordBytes({ sec: i, frac: 0, data: pattern(1000, i + 1) }, true)));
  const compressed = gz(big);
  const FRAMES = 2000;

  /** The compressed bytes in 512-byte chunks, counting pulls and noting when the source is closed. */
  function source() {
    const state = { pulls: 0, closed: false };
    async function* gen(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < compressed.length; i += 512) {
          state.pulls++;
          yield compressed.slice(i, i + 512);
        }
      } finally {
        state.closed = true;
      }
    }
    return { iterable: gen(), state };
  }

  it('while afterChunk holds a chunk back, the compressed input is not read on', async () => {
    const { iterable, state } = source();
    let release!: () => void;
    let calls = 0;
    const frames: FrameCopy[] = [];
    const run = readCapture(iterable, {
      onFrame: (f) => frames.push(copyFrame(f)),
      afterChunk: () => {
        calls++;
        if (calls !== 2) return false;
        return new Promise<boolean>((r) => (release = () => r(false)));
      },
    });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 30));
    };
    while (calls < 2) await new Promise((r) => setImmediate(r));
    await settle();
    // Input is pulled only when the inflater has nothing left to hand out: while the sink holds
    // chunk 2 back, nothing more is read.
    const pulls = state.pulls;
    await settle();
    expect(state.pulls).toBe(pulls);
    expect(pulls).toBeLessThanOrEqual(4);
    expect(compressed.length).toBeGreaterThan(2_000_000);
    release();
    await run;
    expect(frames).toHaveLength(FRAMES);
    expect(state.closed).toBe(true);
  });

  it('afterChunk resolving to true stops reading and closes the source', async () => {
    const { iterable, state } = source();
    const frames: FrameCopy[] = [];
    let calls = 0;
    await readCapture(iterable, { onFrame: (f) => frames.push(copyFrame(f)), afterChunk: () => ++calls === 20 });
    expect(calls).toBe(20);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(FRAMES);
    expect(state.closed).toBe(true);
    expect(state.pulls * 512).toBeLessThan(compressed.length);
  });

  it('chunking of the compressed input does not change the frames', async () => {
    const small = fixture('seed-ping.pcapng.gz');
    const reference = (await collectBytes(small)).frames;
    for (let size = 1; size <= small.length; size += 7) {
      const { frames, error } = await collect(chunksOf(small, size));
      expect(error, `${size}-byte chunks`).toBeNull();
      expect(frames).toEqual(reference);
    }
  });
});
