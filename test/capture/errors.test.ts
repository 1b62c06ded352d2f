import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../../src/capture/errors.js';
import {
  asCaptureError,
  collect,
  collectBytes,
  concatBytes,
  expectDamage,
  expectedSeedFrames,
  fixture,
  pattern,
  pcapHeader,
  recordBytes,
  seedRecordOffset,
} from './helpers.js';

const seed = fixture('seed-ping.pcap');
const seedBe = fixture('seed-ping-be.pcap');
const expected = expectedSeedFrames(seed, 6);
const expectedBe = expectedSeedFrames(seedBe, 6);

describe('typed capture errors: not a pcap', () => {
  it("empty input (no chunks at all): 'empty' at offset 0", async () => {
    const { frames, error } = await collect((async function* (): AsyncGenerator<Uint8Array> {})());
    const e = asCaptureError(error);
    expect({ kind: e.kind, offset: e.offset }).toEqual({ kind: 'empty', offset: 0 });
    expect(frames).toEqual([]);
  });

  it("empty input delivered as zero-length chunks: still 'empty' at offset 0", async () => {
    // An empty file is empty however the source chunks it (e.g. a decompressor or a web
    // stream may yield zero-length chunks).
    for (const n of [1, 3]) {
      const { frames, error } = await collect(
        (async function* () {
          for (let i = 0; i < n; i++) yield new Uint8Array(0);
        })(),
      );
      const e = asCaptureError(error);
      expect({ kind: e.kind, offset: e.offset }, `${n} zero-length chunk(s)`).toEqual({ kind: 'empty', offset: 0 });
      expect(frames).toEqual([]);
    }
  });

  it("text input: 'bad_magic' at 0, and the message says it looks like text", async () => {
    await expectDamage(new TextEncoder().encode('hello world\n'), 'bad_magic', 0, [], /looks like text/);
    await expectDamage(new TextEncoder().encode('# nvgre capture notes\n'.repeat(4)), 'bad_magic', 0, [], /looks like text/);
  });

  it("random bad magic: 'bad_magic' at 0, naming the bytes, not calling it text", async () => {
    const bytes = concatBytes(new Uint8Array([0xde, 0xad, 0xbe, 0xef]), pattern(60));
    await expectDamage(bytes, 'bad_magic', 0, [], /de ?ad ?be ?ef/i);
    const { error } = await collectBytes(bytes);
    expect(asCaptureError(error).message).not.toMatch(/text/);
  });

  it("a magic one bit away from pcap (d4 c3 b2 a0) is 'bad_magic'", async () => {
    const bytes = seed.slice();
    bytes[3] = 0xa0;
    await expectDamage(bytes, 'bad_magic', 0, []);
  });

  it("Network Monitor magics as a stream: 'unsupported_format' at 0, asking for the file", async () => {
    // A .cap is read by position (netmon.test.ts); a stream without its file, as stdin is, cannot be.
    const asks = /Network Monitor capture .* standard input: give the \.cap file's path/;
    await expectDamage(concatBytes(new Uint8Array([0x47, 0x4d, 0x42, 0x55]), pattern(60)), 'unsupported_format', 0, [], asks);
    await expectDamage(concatBytes(new Uint8Array([0x52, 0x54, 0x53, 0x53]), pattern(60)), 'unsupported_format', 0, [], asks);
  });
});

describe('typed capture errors: damaged pcap', () => {
  it("file header cut at 10 bytes: 'truncated_file_header', no frames", async () => {
    for (const cut of [4, 10, 23]) {
      const { frames, error } = await collectBytes(seed.slice(0, cut));
      expect(asCaptureError(error).kind, `cut at ${cut}`).toBe('truncated_file_header');
      expect(frames).toEqual([]);
    }
  });

  it('file header cut at 10 bytes: the offset is 0, where the cut header starts', async () => {
    // Same convention as a cut record header, whose offset is where that record starts.
    await expectDamage(seed.slice(0, 10), 'truncated_file_header', 0, []);
  });

  it("record 3's header cut 8 bytes in: 2 frames, then 'truncated_record_header' at record 3 (288)", async () => {
    const r3 = seedRecordOffset(3);
    expect(r3).toBe(24 + 2 * (16 + 116));
    await expectDamage(seed.slice(0, r3 + 8), 'truncated_record_header', 288, expected.slice(0, 2));
    // 1 and 15 bytes in: the same.
    await expectDamage(seed.slice(0, r3 + 1), 'truncated_record_header', 288, expected.slice(0, 2));
    await expectDamage(seed.slice(0, r3 + 15), 'truncated_record_header', 288, expected.slice(0, 2));
  });

  it('the same cut in the big-endian file gives the same error', async () => {
    await expectDamage(seedBe.slice(0, 296), 'truncated_record_header', 288, expectedBe.slice(0, 2));
  });

  it("frame 5's bytes cut in the middle: 4 frames, then 'truncated_record_body' at frame 5's data (568)", async () => {
    const data5 = seedRecordOffset(5) + 16;
    expect(data5).toBe(24 + 4 * 132 + 16);
    await expectDamage(seed.slice(0, data5 + 58), 'truncated_record_body', 568, expected.slice(0, 4));
    // Header complete but no data byte, and all but the last data byte.
    await expectDamage(seed.slice(0, data5), 'truncated_record_body', 568, expected.slice(0, 4));
    await expectDamage(seed.slice(0, data5 + 115), 'truncated_record_body', 568, expected.slice(0, 4));
  });

  it('a file cut exactly at a record boundary is not damaged', async () => {
    for (const n of [0, 3, 8]) {
      const bytes = seed.slice(0, 24 + n * 132);
      for (const size of [1, 13, bytes.length]) {
        const { frames, error } = await collectBytes(bytes, size);
        expect(error, `${n} records, ${size}-byte chunks`).toBeNull();
        expect(frames).toEqual(expected.slice(0, n));
      }
    }
  });
});

describe('record length limit', () => {
  it('MAX_RECORD_BYTES is 256 KiB', () => {
    expect(MAX_RECORD_BYTES).toBe(262144);
  });

  const sleep = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));

  for (const [name, file, le, before] of [
    ['little-endian', seed, true, expected],
    ['big-endian', seedBe, false, expectedBe],
  ] as const) {
    it(`${name}: incl_len 262145 is 'record_too_long' at that length field, at once`, async () => {
      const r3 = seedRecordOffset(3);
      const bad = recordBytes({ sec: 1374220802, frac: 0, data: pattern(20), inclLen: 262145, origLen: 262145 }, le);
      const bytes = concatBytes(file.slice(0, r3), bad);
      expect(bytes.length).toBe(288 + 36);
      // Damage must be reported as soon as the header is seen: the source never ends after it,
      // so waiting for the body (or for end of input) would hang.
      let pulls = 0;
      const result = await Promise.race([
        collect(
          (async function* () {
            pulls++;
            yield bytes;
            pulls++;
            await new Promise(() => {});
          })(),
        ),
        sleep(2000),
      ]);
      expect(result).not.toBe('timeout');
      if (result === 'timeout') return;
      const e = asCaptureError(result.error);
      expect({ kind: e.kind, offset: e.offset }).toEqual({ kind: 'record_too_long', offset: 288 + 8 });
      expect(result.frames).toEqual(before.slice(0, 2));
      expect(pulls).toBe(1);
      // And the same under every chunking.
      await expectDamage(bytes, 'record_too_long', 296, before.slice(0, 2));
    });
  }

  it("incl_len 0xffffffff in record 1 is 'record_too_long' at 24 + 8", async () => {
    const bytes = concatBytes(pcapHeader(true, false), recordBytes({ sec: 0, frac: 0, data: new Uint8Array(4), inclLen: 0xffffffff }, true));
    await expectDamage(bytes, 'record_too_long', 32, []);
  });

  it('incl_len exactly 262144 followed by its bytes is accepted', async () => {
    const big = pattern(262144, 7);
    const small = pattern(60, 9);
    for (const [le, nanos] of [
      [true, false],
      [false, true],
    ] as const) {
      const bytes = concatBytes(
        pcapHeader(le, nanos),
        recordBytes({ sec: 1000, frac: 999, data: big, origLen: 300000 }, le),
        recordBytes({ sec: 1001, frac: 1, data: small }, le),
      );
      expect(bytes.length).toBe(24 + 16 + 262144 + 16 + 60);
      for (const size of [bytes.length, 65536, 4099]) {
        const { frames, error } = await collectBytes(bytes, size);
        expect(error, `${size}-byte chunks`).toBeNull();
        // Compare the 256 KiB payload in one go (an element-wise deep equal is slow).
        expect(frames).toHaveLength(2);
        expect(Buffer.compare(frames[0].data, big), 'frame 1 bytes').toBe(0);
        expect(Buffer.compare(frames[1].data, small), 'frame 2 bytes').toBe(0);
        expect(frames.map(({ data, ...rest }) => ({ ...rest, length: data.length }))).toEqual([
          {
            number: 1,
            length: 262144,
            caplen: 262144,
            origLen: 300000,
            tsSec: 1000,
            tsNsec: nanos ? 999 : 999000,
            tsDigits: nanos ? 9 : 6,
            linktype: 1,
            fileOffset: 24,
          },
          {
            number: 2,
            length: 60,
            caplen: 60,
            origLen: 60,
            tsSec: 1001,
            tsNsec: nanos ? 1 : 1000,
            tsDigits: nanos ? 9 : 6,
            linktype: 1,
            fileOffset: 24 + 16 + 262144,
          },
        ]);
      }
    }
  });
});
