import { LINKTYPE_NOT_A_PACKET } from '../../src/capture/frame.js';
// The Network Monitor reader (.cap): each version's record layout, the frame table's order, the
// trailer's fields, the two time sources, special network types, comments, every damage with its
// offset and the frames before it, backpressure in constant memory, and how readCapture routes a
// .cap (read by position), an .etl (a hint) and a .cap on stdin (refused). Offsets are worked out
// here from the format: a 128-byte header; 2.x records of 16 header bytes + data + a 0/2/6/15-byte
// trailer (2.0/2.1/2.2/2.3), 1.x records of 8 + data.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { filetime, type NetmonFile, type NetmonRecord, netmonBytes } from '../../fixtures/lib/netmon.js';
import type { CaptureErrorKind } from '../../src/capture/errors.js';
import { type CaptureFile, openCaptureFile, readNetmon, rtfText } from '../../src/capture/netmon.js';
import type { FrameSink } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';
import { asCaptureError, chunksOf, collectBytes, copyFrame, expectedSeedFrames, FIXTURES, fixture, type FrameCopy, pattern } from './helpers.js';

const T0 = 1374220800; // 2013-07-19T08:00:00Z, the seed's first ping
const HEADER = 128;
const SEED_RECORD = 16 + 116 + 15;
/** seed-ping.cap: records from byte 128, table (8 entries) after them. */
const seedRecord = (n: number, first = HEADER): number => first + (n - 1) * SEED_RECORD;
const seedCap = fixture('seed-ping.cap');
const pcapFrames = expectedSeedFrames(fixture('seed-ping.pcap'), 6);
/** The seed frames as read from a .cap whose records start at `first`. */
const seedFrames = (first = HEADER): FrameCopy[] => pcapFrames.map((f) => ({ ...f, fileOffset: seedRecord(f.number, first), comment: undefined }));

/** An in-memory CaptureFile that logs its reads. */
function memoryFile(bytes: Uint8Array): { file: CaptureFile; reads: number[]; closed: () => boolean } {
  const reads: number[] = [];
  let closed = false;
  const file: CaptureFile = {
    size: bytes.length,
    read: async (position, length) => {
      reads.push(length);
      return bytes.slice(position, position + length);
    },
    close: async () => {
      closed = true;
    },
  };
  return { file, reads, closed: () => closed };
}

async function read(bytes: Uint8Array, afterChunk: FrameSink['afterChunk'] = () => false): Promise<{ frames: FrameCopy[]; error: unknown }> {
  const frames: FrameCopy[] = [];
  let error: unknown = null;
  try {
    await readNetmon(memoryFile(bytes).file, { onFrame: (f) => frames.push(copyFrame(f)), afterChunk });
  } catch (e) {
    error = e;
  }
  return { frames, error };
}

async function expectNetmonDamage(bytes: Uint8Array, kind: CaptureErrorKind, offset: number, before: FrameCopy[], message?: RegExp): Promise<void> {
  const { frames, error } = await read(bytes);
  const e = asCaptureError(error);
  expect({ kind: e.kind, offset: e.offset }).toEqual({ kind, offset });
  if (message) expect(e.message).toMatch(message);
  expect(frames).toEqual(before);
}

const patch32 = (bytes: Uint8Array, at: number, v: number): Uint8Array => {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(at, v, true);
  return out;
};

/** Capture start 2013-07-19 08:00:00.250 on the capturing machine's clock. */
const START = { year: 2013, month: 7, day: 19, hour: 8, minute: 0, second: 0, ms: 250 };
const A = pattern(60, 1);
const B = pattern(70, 2);

describe('seed-ping.cap (Network Monitor 2.3)', () => {
  it('is a 2.3 file: magic GMBU, minor 3, major 2, the frame table last', () => {
    const dv = new DataView(seedCap.buffer, seedCap.byteOffset);
    expect(String.fromCharCode(...seedCap.subarray(0, 4))).toBe('GMBU');
    expect([seedCap[4], seedCap[5]]).toEqual([3, 2]);
    expect([dv.getUint32(24, true), dv.getUint32(28, true)]).toEqual([seedRecord(9), 32]);
    expect(seedCap.length).toBe(seedRecord(9) + 32);
  });

  it("yields seed-ping.pcap's frames: bytes, lengths, link type 1, UTC times from the FILETIMEs", async () => {
    const { frames, error } = await read(seedCap);
    expect(error).toBeNull();
    expect(frames).toEqual(seedFrames());
  });
});

describe('each version', () => {
  /** Two records: 1 ms / 1 000 µs after the start, and 2.5 s after it with a snaplen cut. */
  const file = (major: 1 | 2, minor: number, network = 1): NetmonFile => ({
    major,
    minor,
    network,
    start: START,
    records: [
      { delta: major === 1 ? 1 : 1_000, data: A, network: 9, filetime: filetime(T0 + 5, 7) + 3n }, // + 300 ns
      { delta: major === 1 ? 2_500 : 2_500_000, data: B, origLen: 1500, network: 1, filetime: filetime(T0 + 6, 999_999) },
    ],
  });
  const VERSIONS: [1 | 2, number, number, number][] = [
    // major, minor, record header, trailer
    [1, 1, 8, 0],
    [2, 0, 16, 0],
    [2, 1, 16, 2],
    [2, 2, 16, 6],
    [2, 3, 16, 15],
  ];

  for (const [major, minor, header, trailer] of VERSIONS) {
    it(`${major}.${minor}: ${header}-byte record header, ${trailer}-byte trailer`, async () => {
      const { frames, error } = await read(netmonBytes(file(major, minor)));
      expect(error).toBeNull();
      const second = HEADER + header + A.length + trailer;
      expect(frames.map((f) => [f.number, f.fileOffset, f.caplen, f.origLen])).toEqual([
        [1, HEADER, 60, 60],
        [2, second, 70, 1500],
      ]);
      expect(frames[0].data).toEqual(A);
      expect(frames[1].data).toEqual(B);
      // The per-frame network type is in the trailer from 2.1: frame 1 is raw IP (9) there.
      expect(frames.map((f) => f.linktype)).toEqual(trailer >= 2 ? [101, 1] : [1, 1]);
      if (trailer === 15) {
        // 2.3: the UTC FILETIME, whatever the start and delta say.
        expect(frames.map((f) => [f.tsSec, f.tsNsec, f.comment])).toEqual([
          [T0 + 5, 7_300, undefined],
          [T0 + 6, 999_999_000, undefined],
        ]);
      } else {
        // The start (08:00:00.250, read as UTC) plus the delta, and a note that it is local time.
        expect(frames.map((f) => [f.tsSec, f.tsNsec])).toEqual([
          [T0, 251_000_000],
          [T0 + 2, 750_000_000],
        ]);
        expect(frames[0].comment).toBe(`time: local time of the capturing machine (Network Monitor ${major}.${minor} records no time zone)`);
      }
      expect(frames.every((f) => f.tsDigits === 6)).toBe(true);
    });
  }

  it("before 2.1, every frame has the header's network type", async () => {
    const { frames } = await read(netmonBytes(file(2, 0, 9)));
    expect(frames.map((f) => f.linktype)).toEqual([101, 101]);
  });

  it('a 2.x delta is signed: a frame may come before the capture start', async () => {
    const bytes = netmonBytes({ ...file(2, 0), records: [{ delta: -251_500, data: A }] });
    const { frames } = await read(bytes);
    expect([frames[0].tsSec, frames[0].tsNsec]).toEqual([T0 - 1, 998_500_000]);
  });

  /** A 2.0 file of A and B whose second record's delta is `delta` µs. */
  const withDelta = (delta: bigint): Uint8Array => {
    const bytes = netmonBytes(file(2, 0));
    new DataView(bytes.buffer).setBigInt64(HEADER + 16 + A.length, delta, true);
    return bytes;
  };

  it('a 2.x delta of any size is exact: the start (08:00:00.250) plus 2^62 + 123 µs', async () => {
    const us = 250_000n + (1n << 62n) + 123n;
    const { frames, error } = await read(withDelta((1n << 62n) + 123n));
    expect(error).toBeNull();
    expect([frames[1].tsSec, frames[1].tsNsec]).toEqual([T0 + Number(us / 1_000_000n), Number(us % 1_000_000n) * 1000]);
  });

  it('1.x: the largest delta (2^32 - 1 ms) is exact', async () => {
    const bytes = netmonBytes(file(1, 1));
    new DataView(bytes.buffer).setUint32(HEADER + 8 + A.length, 0xffff_ffff, true);
    const { frames } = await read(bytes);
    expect([frames[1].tsSec, frames[1].tsNsec]).toEqual([T0 + 4_294_967, 545_000_000]); // 0.250 s + 4294967.295 s
  });

  for (const [delta, sec] of [
    [(1n << 63n) - 1n, 9_224_746_257_655], // T0 + floor((250 000 + delta) / 10^6)
    [-(1n << 63n), -9_221_997_816_055],
  ] as const) {
    it(`a delta of ${delta} µs, beyond any date a clock shows, is bad_timestamp at its record, after the frames before it`, async () => {
      const at = HEADER + 16 + A.length;
      const { frames, error } = await read(withDelta(delta));
      const e = asCaptureError(error);
      expect([e.kind, e.offset, e.message]).toEqual([
        'bad_timestamp',
        at,
        `record 2 has a timestamp of ${sec} s from 1970, outside the years -271821 to 275760 that a clock can show`,
      ]);
      expect(frames.map((f) => f.number)).toEqual([1]);
    });
  }

  it('a major version other than 1 and 2 is refused at byte 5', async () => {
    const bytes = netmonBytes(file(2, 3));
    bytes[5] = 3;
    await expectNetmonDamage(bytes, 'unsupported_format', 5, [], /version 3\.3 is not supported/);
  });
});

describe('the frame table', () => {
  it('sets the order: netmon-special.cap has frame 5 first in the file and a hole before frame 7', async () => {
    const { frames, error } = await read(fixture('netmon-special.cap'));
    expect(error).toBeNull();
    // Records in file order: frame 5, 1, 2, 3, 4, 6, then 37 filler bytes, 7 to 11.
    const sizes = [52, 66, 116, 102, 102, 116, 24, 58, 4, 72, 16].map((n) => 16 + n + 15);
    const offsets: number[] = [];
    let p = HEADER;
    for (const n of [5, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]) {
      if (n === 7) p += 37;
      offsets[n - 1] = p;
      p += sizes[n - 1];
    }
    expect(frames.map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(frames.map((f) => f.fileOffset)).toEqual(offsets);
    // The seed's first four frames, the replies and request 2 without their 14-byte Ethernet header.
    expect(frames[2].data).toEqual(pcapFrames[0].data);
    expect(frames[3].data).toEqual(pcapFrames[1].data.subarray(14));
    expect(frames[4].data).toEqual(pcapFrames[2].data.subarray(14));
    expect(frames[5].data).toEqual(pcapFrames[3].data);
    expect(frames.slice(2, 6).map((f) => [f.tsSec, f.tsNsec])).toEqual(pcapFrames.slice(0, 4).map((f) => [f.tsSec, f.tsNsec]));
  });

  it('an empty table is a capture with no frames', async () => {
    const { frames, error } = await read(netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: [] }));
    expect([frames, error]).toEqual([[], null]);
  });
});

describe('network types', () => {
  const NETWORKS: [number, number, RegExp | undefined][] = [
    [0, 1, undefined], // Ethernet, as Network Monitor 3.4 writes it for VPN adapters
    [1, 1, undefined],
    [2, -1, /^Network Monitor network type 2 \(0x0002\) is not decoded/], // Token Ring
    [6, -1, /network type 6 \(0x0006\)/], // 802.11 with Network Monitor's own metadata
    [7, 101, undefined], // tunnel interfaces
    [8, 101, undefined], // wireless WAN
    [9, 101, undefined], // raw IP frames
    [0xe001, 1, undefined], // converted pcaps keep their link type
    [0xe000 | 228, 228, undefined],
    [0xe000 | 229, 229, undefined],
    [0xe080, -1, /0xE080/], // Message Analyzer's own media types
    [0xe08a, -1, /0xE08A/],
    [0xffe0, LINKTYPE_NOT_A_PACKET, /^Network Monitor NetEvent .*network type 0xFFE0: not a packet/],
    [0xfffb, LINKTYPE_NOT_A_PACKET, /^Network Monitor extended network info .*0xFFFB/],
    [0xfffc, LINKTYPE_NOT_A_PACKET, /^Network Monitor payload header .*0xFFFC/],
    [0xfffd, LINKTYPE_NOT_A_PACKET, /^Network Monitor network info .*0xFFFD/],
    [0xfffe, LINKTYPE_NOT_A_PACKET, /^Network Monitor DNS cache .*0xFFFE/],
    [0xffff, LINKTYPE_NOT_A_PACKET, /^Network Monitor filter .*0xFFFF/],
  ];

  it('map to the link types the decoder knows; the others are data with a comment naming them', async () => {
    const records = NETWORKS.map(([network]): NetmonRecord => ({ delta: 0, data: A, network, filetime: filetime(T0, 0) }));
    const { frames, error } = await read(netmonBytes({ major: 2, minor: 3, network: 1, start: START, records }));
    expect(error).toBeNull();
    frames.forEach((f, i) => {
      const [network, linktype, comment] = NETWORKS[i];
      expect(f.linktype, `network type 0x${network.toString(16)}`).toBe(linktype);
      if (comment === undefined) expect(f.comment).toBeUndefined();
      else expect(f.comment).toMatch(comment);
    });
  });
});

describe('comments', () => {
  const RTF = "{\\rtf1\\ansi{\\fonttbl{\\f0 Segoe UI;}}\\f0 the request\\'92s key\\par}";
  const records = (): NetmonRecord[] => [
    { delta: 0, data: A, filetime: filetime(T0, 0), comment: { title: 'VM α → β', description: RTF } },
    { delta: 0, data: B, filetime: filetime(T0, 0), comment: { title: 'no description', description: '' } },
    { delta: 0, data: A, filetime: filetime(T0, 0) },
  ];

  it('2.3: title (UTF-16) and the text of the description (RTF), by the frame they belong to', async () => {
    const { frames, error } = await read(netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: records(), fileOrder: [2, 1, 0] }));
    expect(error).toBeNull();
    expect(frames.map((f) => f.comment)).toEqual(['VM α → β: the request’s key', 'no description', undefined]);
  });

  it('2.2: joined with the local-time note; a special frame: with what it is', async () => {
    const rs = records().map((r, i) => ({ ...r, network: i === 1 ? 0xfffe : 1 }));
    const { frames } = await read(netmonBytes({ major: 2, minor: 2, network: 1, start: START, records: rs }));
    expect(frames[0].comment).toBe('VM α → β: the request’s key; time: local time of the capturing machine (Network Monitor 2.2 records no time zone)');
    expect(frames[1].comment).toMatch(/^no description; Network Monitor DNS cache .*; time: local time/);
  });

  it('before 2.2 the comment fields are not read (Network Monitor leaves garbage there)', async () => {
    const bytes = patch32(patch32(netmonBytes({ major: 2, minor: 1, network: 1, start: START, records: [{ delta: 0, data: A }] }), 40, 0xdeadbeef), 44, 0xfffffff0);
    const { frames, error } = await read(bytes);
    expect(error).toBeNull();
    expect(frames[0].comment).toMatch(/^time: /);
  });

  it('fewer than 17 bytes after the last comment are slack, not damage', async () => {
    const bytes = netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: records() });
    const dv = new DataView(bytes.buffer);
    const { frames, error } = await read(patch32(bytes, 44, dv.getUint32(44, true) + 12)); // 12 bytes of the table follow
    expect(error).toBeNull();
    expect(frames[0].comment).toBe('VM α → β: the request’s key');
  });

  it('past 65536 characters a comment is cut, with a note of its bytes; raw bytes 0x80-0x9f are code page 1252', async () => {
    const description = `\x92${'d'.repeat(70_000)}`;
    const bytes = netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: [{ ...records()[0], comment: { title: 'T', description } }] });
    const { frames } = await read(bytes);
    // 'T: ’' and 65532 d; the title is 4 bytes (UTF-16 with its NUL), the description 70001.
    expect(frames[0].comment).toBe(`T: ’${'d'.repeat(65_532)} [comment cut to its first 65536 characters: it has 70005 bytes]`);
  });

  it('at most 65536 comments: the next is bad_table at its offset', async () => {
    const bytes = netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: [{ delta: 0, data: A, filetime: filetime(T0, 0) }] });
    // Comment data after the file: entries of 18 bytes (1 frame, an offset, no title, a 2-byte description).
    const n = 65_537;
    const withComments = new Uint8Array(bytes.length + 18 * n);
    withComments.set(bytes);
    const dv = new DataView(withComments.buffer);
    for (let i = 0, at = bytes.length; i < n; i++, at += 18) {
      dv.setUint32(at, 1, true);
      dv.setUint32(at + 4, 1000 + i, true);
      dv.setUint32(at + 12, 2, true);
    }
    dv.setUint32(40, bytes.length, true);
    dv.setUint32(44, 18 * n, true);
    await expectNetmonDamage(withComments, 'bad_table', bytes.length + 18 * 65_536, [], /^comment 65537: more than 65536 comments \(limit\)$/);
  });

  it('rtfText keeps the text: no font or colour tables, no \\* destinations; escapes, code page 1252 and \\u decoded', () => {
    const rtf =
      "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fnil Arial;}}{\\colortbl ;\\red255\\green0\\blue0;}{\\*\\generator Riched20 10.0;}" +
      "\\viewkind4\\uc1\\pard\\f0\\fs20 VSID \\{0x3D59A4\\}\\par\r\na\\\\b \\u8594? c\\'92s\\tab\\'e9t\\'e9\\line end\\par\n}";
    expect(rtfText(rtf)).toBe('VSID {0x3D59A4} a\\b → c’s été end');
    expect(rtfText('plain {text}')).toBe('plain {text}');
  });
});

describe('damage: one error with its offset, after the frames before it', () => {
  const TABLE = seedRecord(9);

  it('file header cut short: truncated_file_header at 0', async () => {
    await expectNetmonDamage(seedCap.slice(0, 100), 'truncated_file_header', 0, [], /after 100 of 128 bytes/);
  });

  it('frame table length not a multiple of 4: bad_table at 28', async () => {
    await expectNetmonDamage(patch32(seedCap, 28, 30), 'bad_table', 28, [], /frame table length 30 is not a multiple of 4/);
  });

  it('frame table past the end (fixtures/broken/netmon-table-past-end.cap): bad_table at 24', async () => {
    const bytes = fixture('broken/netmon-table-past-end.cap');
    await expectNetmonDamage(bytes, 'bad_table', 24, [], /^frame table \(8 entries at byte 1320\) runs past the end of the file \(1336 bytes\)$/);
    await expectNetmonDamage(patch32(seedCap, 28, 36), 'bad_table', 24, []); // or too long
  });

  it('a table entry past the end: bad_table at the entry, frames 1-3 first', async () => {
    await expectNetmonDamage(patch32(seedCap, TABLE + 12, 5000), 'bad_table', TABLE + 12, seedFrames().slice(0, 3), /entry 4 points at byte 5000, past the end/);
  });

  it('a record header cut by the end of the file: truncated_record_header at the record', async () => {
    const at = seedCap.length - 10;
    await expectNetmonDamage(patch32(seedCap, TABLE + 12, at), 'truncated_record_header', at, seedFrames().slice(0, 3), /record 4 header cut off after 10 of 16 bytes/);
  });

  it('a captured length over 256 KiB (fixtures/broken/netmon-record-too-long.cap): record_too_long at the length field', async () => {
    const bytes = fixture('broken/netmon-record-too-long.cap');
    await expectNetmonDamage(bytes, 'record_too_long', seedRecord(3) + 12, seedFrames().slice(0, 2), /^record 3 claims 300000 captured bytes \(limit 262144\)$/);
  });

  it('a record body past the end (fixtures/broken/netmon-record-past-end.cap): truncated_record_body at the data', async () => {
    // The table first (32 bytes), so records start at 160; the file ends 50 bytes into record 4's data.
    const bytes = fixture('broken/netmon-record-past-end.cap');
    expect(bytes.length).toBe(seedRecord(4, 160) + 16 + 50);
    await expectNetmonDamage(bytes, 'truncated_record_body', seedRecord(4, 160) + 16, seedFrames(160).slice(0, 3), /^record 4 body cut off after 50 of 116 bytes$/);
  });

  it('a trailer past the end: truncated_record_body at the trailer', async () => {
    const ping = seedFrames().map((f): NetmonRecord => ({ delta: 0, data: f.data, network: 1, filetime: filetime(f.tsSec, f.tsNsec / 1000) }));
    const full = netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: ping, tableFirst: true });
    const trailerAt = seedRecord(4, 160) + 16 + 116;
    await expectNetmonDamage(full.subarray(0, trailerAt + 5), 'truncated_record_body', trailerAt, seedFrames(160).slice(0, 3), /record 4 trailer cut off after 5 of 15 bytes/);
  });

  describe('the comment data', () => {
    const bytes = netmonBytes({
      major: 2,
      minor: 3,
      network: 1,
      start: START,
      records: [{ delta: 0, data: A, filetime: filetime(T0, 0), comment: { title: 'x', description: 'y' } }],
    });
    const commentAt = HEADER + 16 + 60 + 15;

    it('past the end of the file: bad_table at 40', async () => {
      await expectNetmonDamage(patch32(bytes, 44, 1000), 'bad_table', 40, [], /comment data \(1000 bytes at byte 219\) runs past the end/);
    });

    it('over 16 MiB: bad_table at 44, nothing read', async () => {
      await expectNetmonDamage(patch32(bytes, 44, 2 ** 31), 'bad_table', 44, [], /limit 16777216/);
    });

    it('a comment running past the comment data: bad_table at the comment', async () => {
      await expectNetmonDamage(patch32(bytes, commentAt + 8, 4000), 'bad_table', commentAt, [], /comment 1 runs past the end of the comment data/);
    });
  });
});

describe('backpressure and memory', () => {
  // 400 records of 1400 bytes, 1431 bytes each: 572 528 bytes, more than one 512 KiB window.
  const big = netmonBytes({
    major: 2,
    minor: 3,
    network: 1,
    start: START,
    records: Array.from({ length: 400 }, (_, i) => ({ delta: 0, data: pattern(1400, i + 1), filetime: filetime(T0 + i, 0) })),
  });
  const inFirstWindow = Math.floor((512 * 1024) / 1431); // records wholly inside the window read at byte 128

  it('reads the records through a window of 512 KiB, never the whole file; afterChunk once per window', async () => {
    const m = memoryFile(big);
    const log: string[] = [];
    await readNetmon(m.file, { onFrame: (f) => log.push(`f${f.number}`), afterChunk: () => (log.push('after'), false) });
    expect(log.filter((s) => s === 'after')).toHaveLength(2);
    expect(log.indexOf('after')).toBe(inFirstWindow); // after the frames of the first window
    expect(log.at(-1)).toBe('after');
    expect(Math.max(...m.reads)).toBe(512 * 1024);
  });

  describe('a frame table out of file order costs about what one in order does', () => {
    // 20000 records of 100 bytes (131 with header and trailer, 2.62 MB), written in three orders.
    const N = 20_000;
    const rs = Array.from({ length: N }, (_, i): NetmonRecord => ({ delta: 0, data: pattern(100, i), filetime: filetime(T0 + i, 0) }));
    let x = 7;
    const shuffled = rs.map((_, i) => i);
    for (let i = N - 1; i > 0; i--) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = x % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    /** Reads the file with fileOrder, counting reads and bytes (views: a copy per read would dominate). */
    async function readOrdered(fileOrder: number[]): Promise<{ reads: number; bytes: number; size: number; offsets: number[] }> {
      const b = netmonBytes({ major: 2, minor: 3, network: 1, start: START, records: rs, fileOrder });
      const counted = { reads: 0, bytes: 0, size: b.length, offsets: [] as number[] };
      const file: CaptureFile = {
        size: b.length,
        read: async (position, length) => {
          const out = b.subarray(position, position + length);
          counted.reads++;
          counted.bytes += out.length;
          return out;
        },
        close: async () => {},
      };
      await readNetmon(file, { onFrame: (f) => void (f.number === counted.offsets.length + 1 && counted.offsets.push(f.fileOffset)), afterChunk: () => false });
      return counted;
    }
    const RECORD = 16 + 100 + 15;
    const table = HEADER + N * RECORD;

    it('in order: one read per 512 KiB window (the reference)', async () => {
      const r = await readOrdered(rs.map((_, i) => i));
      expect(r.offsets).toEqual(rs.map((_, i) => HEADER + i * RECORD));
      expect(r.reads).toBeLessThanOrEqual(Math.ceil(r.size / (512 * 1024)) + 2); // + the table's reads
    });

    it('reversed: the window steps backward, one read per window too (before: 20000 reads of 512 KiB)', async () => {
      const r = await readOrdered(rs.map((_, i) => N - 1 - i));
      expect(r.offsets).toEqual(rs.map((_, i) => table - (i + 1) * RECORD));
      // + the header's, the table's (two), the first record's and the first step back's.
      expect(r.reads).toBeLessThanOrEqual(Math.ceil(r.size / (512 * 1024 - 16 * 1024)) + 5);
      expect(r.bytes).toBeLessThan(2 * r.size);
    });

    it('in no order: a read per record, of 32 KiB mostly, not 512 KiB', async () => {
      const r = await readOrdered(shuffled);
      expect(new Set(r.offsets).size).toBe(N);
      expect(r.reads).toBeLessThanOrEqual(N + 4);
      // A window that happens to serve two records is followed by a full one: 38 KiB a read on average here.
      expect(r.bytes).toBeLessThanOrEqual(N * 64 * 1024);
    });
  });

  it('waits for afterChunk before the next batch, and stops when it resolves to true', async () => {
    let frames = 0;
    let release!: (stop: boolean) => void;
    const m = memoryFile(big);
    const done = readNetmon(m.file, { onFrame: () => frames++, afterChunk: () => new Promise<boolean>((r) => (release = r)) });
    await new Promise((r) => setTimeout(r, 20));
    expect(frames).toBe(inFirstWindow);
    const readsBefore = m.reads.length;
    release(true);
    await done;
    expect(frames).toBe(inFirstWindow);
    expect(m.reads.length).toBe(readsBefore);
  });
});

describe('readCapture: .cap by position, .etl with a hint, a .cap stream refused', () => {
  it('reads a .cap through the opened file, closes it, and closes the stream', async () => {
    const m = memoryFile(seedCap);
    let streamClosed = false;
    const stream = (async function* () {
      try {
        yield* chunksOf(seedCap, 100);
      } finally {
        streamClosed = true;
      }
    })();
    const frames: FrameCopy[] = [];
    await readCapture(stream, { onFrame: (f) => frames.push(copyFrame(f)), afterChunk: () => false }, async () => m.file);
    expect(frames).toEqual(seedFrames());
    expect([m.closed(), streamClosed]).toEqual([true, true]);
  });

  it('the file is closed after damage too', async () => {
    const m = memoryFile(fixture('broken/netmon-record-too-long.cap'));
    await expect(readCapture(chunksOf(seedCap, 1000), { onFrame: () => {}, afterChunk: () => false }, async () => m.file)).rejects.toThrow(/claims 300000/);
    expect(m.closed()).toBe(true);
  });

  it('without the file (stdin): one line asking for the path', async () => {
    const e = asCaptureError((await collectBytes(seedCap, 7)).error);
    expect([e.kind, e.offset]).toEqual(['unsupported_format', 0]);
    expect(e.message).toBe(
      "a Network Monitor capture keeps its frame table at the end of the file, so it cannot be read from standard input: give the .cap file's path",
    );
  });

  it('gzip-compressed: refused, asking to gunzip it first', async () => {
    const gz = new Uint8Array(gzipSync(seedCap));
    let error: unknown = null;
    await readCapture(chunksOf(gz, 50), { onFrame: () => {}, afterChunk: () => false }, async () => memoryFile(gz).file).catch((e: unknown) => (error = e));
    const e = asCaptureError(error);
    expect([e.kind, e.offset, e.decompressed]).toEqual(['unsupported_format', 0, true]);
    expect(e.message).toMatch(/cannot be read from gzip data: gunzip it to a file first$/);
  });

  it('the first 128 bytes of an .etl: read as an ETW trace, however the bytes come', async () => {
    const etl = fixture('pktmon-stub.etl');
    for (const size of [1, 7, etl.length]) {
      const e = asCaptureError((await collectBytes(etl, size)).error);
      expect([e.kind, e.offset, e.message]).toEqual(['truncated_record_body', 0, 'buffer 1 cut off after 128 of its 65536 bytes']);
    }
  });

  it('the ETL check needs the whole trace-header marker at byte 72', async () => {
    const etl = fixture('pktmon-stub.etl');
    const bad = (e: unknown): string => asCaptureError(e).kind;
    for (const [at, value] of [[72, 3], [74, 3], [75, 0x80], [78, 1]]) {
      const bytes = etl.slice();
      bytes[at] = value;
      expect(bad((await collectBytes(bytes)).error), `byte ${at} = ${value}`).toBe('bad_magic');
    }
    expect(bad((await collectBytes(etl.slice(0, 79))).error)).toBe('bad_magic');
    const other = etl.slice();
    other[74] = 1; // a 32-bit system trace header
    expect(bad((await collectBytes(other)).error)).toBe('truncated_record_body');
  });
});

describe('openCaptureFile', () => {
  it('reads by position; fewer bytes only at the end', async () => {
    const file = await openCaptureFile(`${FIXTURES}/seed-ping.cap`);
    try {
      expect(file.size).toBe(seedCap.length);
      expect(new Uint8Array(await file.read(HEADER, 16))).toEqual(seedCap.subarray(HEADER, HEADER + 16));
      expect(new Uint8Array(await file.read(seedCap.length - 4, 100))).toEqual(seedCap.subarray(seedCap.length - 4));
      expect((await file.read(seedCap.length + 10, 100)).length).toBe(0);
    } finally {
      await file.close();
    }
  });
});
