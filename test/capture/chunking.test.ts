import { describe, expect, it } from 'vitest';
import {
  chunksAt,
  chunksOf,
  collect,
  expectedSeedFrames,
  fixture,
  SEED_FILE_SIZE,
  seedRecordOffset,
} from './helpers.js';

const file = fixture('seed-ping.pcap');
const expected = expectedSeedFrames(file, 6);

describe('chunking: seed-ping.pcap', () => {
  it('the whole file in one chunk gives the 8 expected frames', async () => {
    const { frames, error } = await collect(chunksAt(file, []));
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
  });

  it('every chunk size from 1 byte to the whole file gives exactly the same frames', async () => {
    expect(file.length).toBe(SEED_FILE_SIZE);
    const bad: number[] = [];
    for (let size = 1; size <= file.length; size++) {
      const { frames, error } = await collect(chunksOf(file, size));
      expect(error, `chunk size ${size}`).toBeNull();
      try {
        expect(frames).toEqual(expected);
      } catch {
        bad.push(size);
      }
    }
    expect(bad, 'chunk sizes giving different frames').toEqual([]);
  });

  it('every split point into two chunks gives exactly the same frames', async () => {
    const bad: number[] = [];
    for (let split = 0; split <= file.length; split++) {
      const { frames, error } = await collect(chunksAt(file, [split]));
      expect(error, `split at ${split}`).toBeNull();
      try {
        expect(frames).toEqual(expected);
      } catch {
        bad.push(split);
      }
    }
    expect(bad, 'split points giving different frames').toEqual([]);
  });

  it('a record spanning 4 chunks (header split, body split twice) is delivered whole', async () => {
    const r3 = seedRecordOffset(3); // 288
    // Chunk boundaries: inside record 3's header, then twice inside its body.
    const splits = [r3 + 5, r3 + 16 + 30, r3 + 16 + 90];
    const seen: number[] = [];
    const { frames, error } = await collect(
      (async function* () {
        for await (const c of chunksAt(file, splits)) {
          seen.push(c.length);
          yield c;
        }
      })(),
    );
    expect(seen).toEqual([293, 41, 60, 686]);
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
  });

  it('zero-length chunks in the middle of the stream change nothing', async () => {
    const splits = [0, 2, 2, 3, 24, 24, 40, 40, 156, 156, 500];
    const { frames, error } = await collect(chunksAt(file, splits));
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
  });

  it('Node Buffers with a non-zero byteOffset are read correctly', async () => {
    // Chunks that are views into a larger ArrayBuffer, at odd offsets.
    async function* views(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < file.length; i += 100) {
        const piece = file.subarray(i, Math.min(file.length, i + 100));
        const big = Buffer.alloc(piece.length + 13);
        big.set(piece, 3);
        yield big.subarray(3, 3 + piece.length);
      }
    }
    const { frames, error } = await collect(views());
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
  });
});

/**
 * What fileChunks does: every chunk read into one buffer, which the next read overwrites. Stale
 * bytes are poisoned first, so a parser that kept a view instead of a copy would read garbage.
 */
async function* reusedChunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i += size) {
    buf.fill(0xee);
    const n = Math.min(size, bytes.length - i);
    buf.set(bytes.subarray(i, i + n));
    yield buf.subarray(0, n);
  }
}

describe('chunking: one read buffer reused for every chunk', () => {
  it.each(['seed-ping.pcap', 'seed-ping.pcapng', 'seed-ping.pcap.gz', 'seed-ping.pcapng.gz', 'multi-section.pcapng'])(
    '%s: every chunk size gives the frames of the whole file',
    async (name) => {
      const bytes = fixture(name);
      const whole = await collect(chunksAt(bytes, []));
      expect(whole.error).toBeNull();
      expect(whole.frames.length).toBeGreaterThan(0);
      const bad: number[] = [];
      for (let size = 1; size <= bytes.length; size += size < 64 ? 1 : 7) {
        const { frames, error } = await collect(reusedChunksOf(bytes, size));
        if (error !== null || JSON.stringify(frames) !== JSON.stringify(whole.frames)) bad.push(size);
      }
      expect(bad, 'chunk sizes giving different frames').toEqual([]);
    },
  );
});
