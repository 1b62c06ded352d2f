import { describe, expect, it } from 'vitest';
import { pcapMagic } from '../../src/capture/pcap.js';
import {
  collectBytes,
  expectedSeedFrames,
  FILE_HEADER,
  fixture,
  RECORD_HEADER,
  SEED_FILE_SIZE,
  SEED_FRAMES,
  SEED_LEN,
} from './helpers.js';

const VARIANTS = [
  { file: 'seed-ping.pcap', magic: [0xd4, 0xc3, 0xb2, 0xa1], le: true, nanos: false, tsDigits: 6 },
  { file: 'seed-ping-be.pcap', magic: [0xa1, 0xb2, 0xc3, 0xd4], le: false, nanos: false, tsDigits: 6 },
  { file: 'seed-ping-ns.pcap', magic: [0x4d, 0x3c, 0xb2, 0xa1], le: true, nanos: true, tsDigits: 9 },
  { file: 'seed-ping-ns-be.pcap', magic: [0xa1, 0xb2, 0x3c, 0x4d], le: false, nanos: true, tsDigits: 9 },
] as const;

describe('pcapMagic', () => {
  for (const v of VARIANTS) {
    it(`recognises ${v.magic.map((b) => b.toString(16).padStart(2, '0')).join('')} as ${v.le ? 'LE' : 'BE'} ${v.nanos ? 'ns' : 'µs'}`, () => {
      expect(pcapMagic(new Uint8Array(v.magic))).toEqual({ littleEndian: v.le, nanos: v.nanos });
    });
  }

  it('rejects other magics and inputs shorter than 4 bytes', () => {
    expect(pcapMagic(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a]))).toBeNull();
    expect(pcapMagic(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa2]))).toBeNull();
    expect(pcapMagic(new Uint8Array([0xd4, 0xc3, 0xb2]))).toBeNull();
  });
});

describe('the four classic pcap magics: seed-ping variants', () => {
  const reference = fixture('seed-ping.pcap');

  for (const v of VARIANTS) {
    describe(v.file, () => {
      const file = fixture(v.file);

      it('is the variant it claims to be (fixture sanity)', () => {
        expect(file.length).toBe(SEED_FILE_SIZE);
        expect(Array.from(file.subarray(0, 4))).toEqual(v.magic);
      });

      it(`yields 8 frames of 116 bytes, linktype 1, exact times, tsDigits ${v.tsDigits}, numbers 1..8`, async () => {
        const { frames, error } = await collectBytes(file);
        expect(error).toBeNull();
        expect(frames).toHaveLength(SEED_FRAMES);
        expect(frames).toEqual(expectedSeedFrames(file, v.tsDigits));
        expect(frames.map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        for (const f of frames) {
          expect(f.caplen).toBe(SEED_LEN);
          expect(f.origLen).toBe(SEED_LEN);
          expect(f.data.length).toBe(SEED_LEN);
          expect(f.linktype).toBe(1);
          expect(f.tsDigits).toBe(v.tsDigits);
        }
        // Written out: frame 2k+1 at 1374220800 + k s, frame 2k+2 at + 512 µs.
        expect(frames.map((f) => [f.tsSec, f.tsNsec])).toEqual([
          [1374220800, 0],
          [1374220800, 512000],
          [1374220801, 0],
          [1374220801, 512000],
          [1374220802, 0],
          [1374220802, 512000],
          [1374220803, 0],
          [1374220803, 512000],
        ]);
        expect(frames[0].fileOffset).toBe(24);
        expect(frames[1].fileOffset).toBe(24 + 16 + 116);
        expect(frames[7].fileOffset).toBe(24 + 7 * (16 + 116));
      });

      it('carries the same frame bytes as seed-ping.pcap', async () => {
        const [a, b] = await Promise.all([collectBytes(file), collectBytes(reference)]);
        expect(a.frames.map((f) => f.data)).toEqual(b.frames.map((f) => f.data));
        // The first frame starts with the outer Ethernet destination 00:15:5d:00:01:03.
        expect(Array.from(a.frames[0].data.subarray(0, 6))).toEqual([0x00, 0x15, 0x5d, 0x00, 0x01, 0x03]);
      });
    });
  }
});

describe('other committed fixtures', () => {
  it('seed-ping-vlan.pcap: 8 frames of 120 bytes at 24 + (n-1) * 136', async () => {
    const file = fixture('seed-ping-vlan.pcap');
    expect(file.length).toBe(FILE_HEADER + 8 * (RECORD_HEADER + 120));
    const { frames, error } = await collectBytes(file);
    expect(error).toBeNull();
    expect(frames.map((f) => [f.number, f.caplen, f.origLen, f.fileOffset, f.linktype])).toEqual(
      Array.from({ length: 8 }, (_, i) => [i + 1, 120, 120, 24 + i * 136, 1]),
    );
  });

  it('tenant-mix.pcap: 9 frames whose records tile the file exactly', async () => {
    const file = fixture('tenant-mix.pcap');
    const { frames, error } = await collectBytes(file);
    expect(error).toBeNull();
    expect(frames).toHaveLength(9);
    let at = FILE_HEADER;
    for (const [i, f] of frames.entries()) {
      expect(f.number).toBe(i + 1);
      expect(f.fileOffset).toBe(at);
      const dv = new DataView(file.buffer, file.byteOffset + at);
      expect(f.caplen).toBe(dv.getUint32(8, true));
      expect(f.data).toEqual(file.slice(at + RECORD_HEADER, at + RECORD_HEADER + f.caplen));
      at += RECORD_HEADER + f.caplen;
    }
    expect(at).toBe(file.length);
  });
});
