// The pcapng reader. Inputs come from the fixtures' own writer (fixtures/lib/pcapng.ts, written
// from the spec); expected values are derived here from the block layout, never from src/.
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../../src/capture/errors.js';
import { MAX_BLOCK_BYTES, MAX_INTERFACES, PcapngParser } from '../../src/capture/pcapng.js';
import { commentOption, decimalTs, PcapngWriter } from '../../fixtures/lib/pcapng.js';
import {
  asCaptureError,
  chunksAt,
  chunksOf,
  collect,
  collectBytes,
  concatBytes,
  expectDamage,
  fixture,
  type FrameCopy,
  pattern,
  SEED_BASE_SEC,
  SEED_FRAMES,
  SEED_LEN,
  seedTime,
} from './helpers.js';

const ETHERNET = 1;
const USER0 = 147;
/** EPB: type, length, interface, timestamp (2 words), caplen, origLen, data (padded), length. */
const epbSize = (caplen: number): number => 32 + ((caplen + 3) & ~3);

/** The frames of seed-ping.pcap: the same bytes and times every seed pcapng must yield. */
const seedPcap = (await collectBytes(fixture('seed-ping.pcap'))).frames;

function frame(f: Partial<FrameCopy> & Pick<FrameCopy, 'number' | 'data' | 'fileOffset'>): FrameCopy {
  return {
    caplen: f.data.length,
    origLen: f.data.length,
    tsSec: 0,
    tsNsec: 0,
    tsDigits: 6,
    linktype: ETHERNET,
    comment: undefined,
    // The first section's first interface, as tshark's frame.section_number (1-based) and frame.interface_id.
    section: 1,
    interfaceId: 0,
    ...f,
  };
}

async function read(bytes: Uint8Array): Promise<FrameCopy[]> {
  const { frames, error } = await collectBytes(bytes);
  expect(error).toBeNull();
  return frames;
}

describe('pcapng fixtures: the seed exchange', () => {
  // SHB: 12 + 16 fixed + shb_userappl (4 + 24) + opt_endofopt (4) = 60 bytes. IDB: 20 bytes, or
  // 32 with if_tsresol (4 + 4) and opt_endofopt. Each EPB: 32 + 116 = 148 bytes.
  const VARIANTS = [
    { file: 'seed-ping.pcapng', magic: [0x0a, 0x0d, 0x0d, 0x0a, 0x3c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a], first: 80, digits: 6 },
    { file: 'seed-ping-ns.pcapng', magic: [0x0a, 0x0d, 0x0d, 0x0a, 0x3c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a], first: 92, digits: 9 },
    { file: 'seed-ping-be.pcapng', magic: [0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x3c, 0x1a, 0x2b, 0x3c, 0x4d], first: 80, digits: 6 },
  ] as const;

  for (const v of VARIANTS) {
    it(`${v.file}: 8 frames, the bytes and times of seed-ping.pcap, tsDigits ${v.digits}, block offsets`, async () => {
      const file = fixture(v.file);
      expect(Array.from(file.subarray(0, 12)), 'section header: type, length 60, byte-order magic').toEqual(v.magic);
      expect(file.length).toBe(v.first + SEED_FRAMES * epbSize(SEED_LEN));
      const frames = await read(file);
      expect(frames).toEqual(
        seedPcap.map((f) => frame({ ...f, section: 1, interfaceId: 0, tsDigits: v.digits, fileOffset: v.first + (f.number - 1) * epbSize(SEED_LEN) })),
      );
      expect(frames.map((f) => [f.tsSec, f.tsNsec])).toEqual(
        Array.from({ length: SEED_FRAMES }, (_, i) => {
          const t = seedTime(i + 1);
          return [t.tsSec, t.tsNsec];
        }),
      );
      expect(frames[0].tsSec).toBe(SEED_BASE_SEC);
    });
  }
});

describe('pcapng: byte order', () => {
  const build = (endian: 'le' | 'be'): Uint8Array =>
    new PcapngWriter()
      .section(endian)
      .interface({ linktype: ETHERNET, snaplen: 0, tsresol: 9, tsoffset: -7 })
      .interface({ linktype: USER0, snaplen: 100 })
      .enhancedPacket({ iface: 1, ts: 0x1_2345_6789n, data: pattern(5), origLen: 70000, options: [commentOption('one')] })
      .obsoletePacket({ iface: 0, ts: 0x0123_4567_89ab_cdefn, data: pattern(9, 2) })
      .simplePacket(pattern(3, 3))
      .finish();

  it('the same blocks in either byte order give the same frames', async () => {
    const le = build('le');
    const be = build('be');
    expect(le.length).toBe(be.length);
    expect(Buffer.compare(le, be)).not.toBe(0);
    const [a, b] = [await read(le), await read(be)];
    expect(a).toEqual(b);
    // SHB 28, IDB 0 with if_tsresol (8), if_tsoffset (12) and opt_endofopt (4): 44, IDB 1: 20. Packets from 92.
    const epb = 32 + 8 + 8 + 4; // 5 data bytes padded to 8, comment "one" padded to 4 + header, end
    expect(a).toEqual([
      // 0x123456789 µs = 4886718345 µs (interface 1 has the default clock).
      frame({ number: 1, data: pattern(5), origLen: 70000, linktype: USER0, tsSec: 4886, tsNsec: 718_345_000, fileOffset: 92, comment: 'one', interfaceId: 1 }),
      // 0x0123456789abcdef ns = 81985529216486895 ns; minus 7 s of if_tsoffset.
      frame({ number: 2, data: pattern(9, 2), tsSec: 81985529 - 7, tsNsec: 216486895, tsDigits: 9, fileOffset: 92 + epb }),
      frame({ number: 3, data: pattern(3, 3), tsDigits: 9, fileOffset: 92 + epb + 32 + 12 }),
    ]);
  });

  it('a section header with a byte-order magic in neither order is bad_block at its offset', async () => {
    const good = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).enhancedPacket({ iface: 0, ts: 5n, data: pattern(4) });
    const at = good.length;
    const bytes = good.section('le').finish();
    new DataView(bytes.buffer).setUint32(at + 8, 0x1a2b3c4e, true);
    await expectDamage(bytes, 'bad_block', at, [frame({ number: 1, data: pattern(4), tsNsec: 5000, fileOffset: 48 })], /byte-order magic/);
  });

  it('a major version other than 1 is unsupported_format at the section', async () => {
    const bytes = new PcapngWriter().section('be').finish();
    new DataView(bytes.buffer).setUint16(12, 2, false);
    await expectDamage(bytes, 'unsupported_format', 0, [], /version 2\.0/);
  });
});

describe('pcapng: timestamps', () => {
  const T = 1374220800n; // 2013-07-19T08:00:00Z
  const cases: { name: string; tsresol?: number; tsoffset?: number; ts: bigint; sec: number; nsec: number; digits: 6 | 9 }[] = [
    { name: 'default: microseconds', ts: T * 1_000_000n + 512n, sec: 1374220800, nsec: 512_000, digits: 6 },
    { name: 'if_tsresol 6', tsresol: 6, ts: T * 1_000_000n + 999_999n, sec: 1374220800, nsec: 999_999_000, digits: 6 },
    { name: 'if_tsresol 9', tsresol: 9, ts: T * 1_000_000_000n + 123_456_789n, sec: 1374220800, nsec: 123_456_789, digits: 9 },
    { name: 'if_tsresol 0: seconds', tsresol: 0, ts: T, sec: 1374220800, nsec: 0, digits: 6 },
    { name: 'if_tsresol 3: milliseconds', tsresol: 3, ts: T * 1000n + 7n, sec: 1374220800, nsec: 7_000_000, digits: 6 },
    { name: 'if_tsresol 7: 100 ns (finer than µs)', tsresol: 7, ts: T * 10_000_000n + 1n, sec: 1374220800, nsec: 100, digits: 9 },
    // Finer than a nanosecond: the digits below 1 ns are dropped. (64 bits of ps last 213 days.)
    { name: 'if_tsresol 12: picoseconds', tsresol: 12, ts: 1_000_000n * 1_000_000_000_000n + 123_456_789_999n, sec: 1_000_000, nsec: 123_456_789, digits: 9 },
    { name: 'if_tsresol 19', tsresol: 19, ts: 18_446_744_073_709_551_615n, sec: 1, nsec: 844_674_407, digits: 9 },
    // Power of two: rounded to the nearest nanosecond (1/1024 s = 976562.5 ns).
    { name: '2^-10: half a unit rounds up', tsresol: 0x80 | 10, ts: T * 1024n + 1n, sec: 1374220800, nsec: 976_563, digits: 6 },
    { name: '2^-10: 3 units', tsresol: 0x80 | 10, ts: T * 1024n + 3n, sec: 1374220800, nsec: 2_929_688, digits: 6 },
    { name: '2^-10: half a second', tsresol: 0x80 | 10, ts: T * 1024n + 512n, sec: 1374220800, nsec: 500_000_000, digits: 6 },
    { name: '2^-20: finer than µs', tsresol: 0x80 | 20, ts: T * 1_048_576n + 1n, sec: 1374220800, nsec: 954, digits: 9 },
    { name: '2^-30', tsresol: 0x80 | 30, ts: (T << 30n) + (1n << 29n) + 1n, sec: 1374220800, nsec: 500_000_001, digits: 9 },
    { name: '2^-32: all of the low word is fraction', tsresol: 0x80 | 32, ts: (T << 32n) + 0xffff_ffffn, sec: 1374220801, nsec: 0, digits: 9 },
    { name: '2^-40', tsresol: 0x80 | 40, ts: (1000n << 40n) + (1n << 39n), sec: 1000, nsec: 500_000_000, digits: 9 },
    { name: '2^-40: the last unit of a second rounds to the next second', tsresol: 0x80 | 40, ts: (1001n << 40n) - 1n, sec: 1001, nsec: 0, digits: 9 },
    { name: '2^-63', tsresol: 0x80 | 63, ts: 3n << 62n, sec: 1, nsec: 500_000_000, digits: 9 },
    { name: '2^0: seconds', tsresol: 0x80, ts: T, sec: 1374220800, nsec: 0, digits: 6 },
    { name: 'if_tsoffset added', tsresol: 9, tsoffset: 1374220800, ts: 5n, sec: 1374220800, nsec: 5, digits: 9 },
    { name: 'negative if_tsoffset', tsoffset: -3600, ts: T * 1_000_000n, sec: 1374217200, nsec: 0, digits: 6 },
    { name: 'before 1970 after if_tsoffset', tsoffset: -1, ts: 250_000n, sec: -1, nsec: 250_000_000, digits: 6 },
    { name: 'the largest 64-bit count of ns', tsresol: 9, ts: 0xffff_ffff_ffff_ffffn, sec: 18_446_744_073, nsec: 709_551_615, digits: 9 },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.sec} s + ${c.nsec} ns`, async () => {
      const bytes = new PcapngWriter()
        .section('le')
        .interface({ linktype: ETHERNET, snaplen: 0, tsresol: c.tsresol, tsoffset: c.tsoffset })
        .enhancedPacket({ iface: 0, ts: c.ts, data: pattern(4) })
        .finish();
      const [f] = await read(bytes);
      expect([f.tsSec, f.tsNsec, f.tsDigits]).toEqual([c.sec, c.nsec, c.digits]);
      expect(Number.isInteger(f.tsSec) && Number.isInteger(f.tsNsec)).toBe(true);
    });
  }

  it('each interface keeps its own clock', async () => {
    const bytes = new PcapngWriter()
      .section('be')
      .interface({ linktype: ETHERNET, snaplen: 0, tsresol: 9 })
      .interface({ linktype: ETHERNET, snaplen: 0 })
      .interface({ linktype: ETHERNET, snaplen: 0, tsresol: 0x80 | 10, tsoffset: 10 })
      .enhancedPacket({ iface: 0, ts: 1_000_000_001n, data: pattern(4) })
      .enhancedPacket({ iface: 1, ts: 1_000_001n, data: pattern(4) })
      .enhancedPacket({ iface: 2, ts: 1024n + 256n, data: pattern(4) })
      .enhancedPacket({ iface: 0, ts: 2n, data: pattern(4) })
      .finish();
    expect((await read(bytes)).map((f) => [f.tsSec, f.tsNsec, f.tsDigits])).toEqual([
      [1, 1, 9],
      [1, 1000, 6],
      [11, 250_000_000, 6],
      [0, 2, 9],
    ]);
  });

  it('a timestamp no clock can show (past year 275760) is bad_timestamp at its block', async () => {
    const w = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).enhancedPacket({ iface: 0, ts: 1n, data: pattern(4) });
    const at = w.length;
    const bytes = w.enhancedPacket({ iface: 0, ts: 0xffff_ffff_ffff_ffffn, data: pattern(4) }).finish();
    await expectDamage(bytes, 'bad_timestamp', at, [frame({ number: 1, data: pattern(4), tsNsec: 1000, fileOffset: 48 })], /packet 2/);
  });

  it('the message gives the seconds exactly, past 2^53 too (not 18446744073709552000 s)', async () => {
    // Units of whole seconds (if_tsresol 0): 2^64 - 1 s, less 7 s of if_tsoffset.
    const w = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0, tsresol: 0, tsoffset: -7 });
    const at = w.length;
    const bytes = w.enhancedPacket({ iface: 0, ts: 0xffff_ffff_ffff_ffffn, data: pattern(4) }).finish();
    await expectDamage(bytes, 'bad_timestamp', at, [], /has a timestamp of 18446744073709551608 s from 1970, outside/);
    // Microseconds: (2^64 - 1) / 10^6 = 18446744073709 s (below 2^53 already, and still exact).
    const us = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 });
    const at2 = us.length;
    await expectDamage(us.enhancedPacket({ iface: 0, ts: 0xffff_ffff_ffff_ffffn, data: pattern(4) }).finish(), 'bad_timestamp', at2, [], /of 18446744073709 s from/);
  });
});

describe('pcapng: sections, interfaces and packet blocks', () => {
  it('several sections: each resets the interface list, and each has its own link types and snaplens', async () => {
    const w = new PcapngWriter()
      .section('le')
      .interface({ linktype: USER0, snaplen: 16 })
      .interface({ linktype: ETHERNET, snaplen: 0 })
      .enhancedPacket({ iface: 1, ts: 1n, data: pattern(60) })
      .section('be')
      .interface({ linktype: ETHERNET, snaplen: 65535, tsresol: 9 })
      .enhancedPacket({ iface: 0, ts: 2n, data: pattern(61) })
      .simplePacket(pattern(62))
      .section('le')
      .interface({ linktype: 101, snaplen: 8 })
      .simplePacket(pattern(8), 200);
    const frames = await read(w.finish());
    // Section and interface as tshark's frame.section_number and frame.interface_id (a simple packet's is 0).
    expect(frames.map((f) => [f.number, f.linktype, f.caplen, f.origLen, f.tsDigits, f.section, f.interfaceId])).toEqual([
      [1, ETHERNET, 60, 60, 6, 1, 1],
      [2, ETHERNET, 61, 61, 9, 2, 0],
      [3, ETHERNET, 62, 62, 9, 2, 0],
      [4, 101, 8, 200, 6, 3, 0],
    ]);

    // Interface 1 existed in section 1, not in section 2.
    const w2 = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).interface({ linktype: ETHERNET, snaplen: 0 });
    w2.enhancedPacket({ iface: 1, ts: 0n, data: pattern(4) }).section('be').interface({ linktype: ETHERNET, snaplen: 0 });
    const at = w2.length;
    const bytes = w2.enhancedPacket({ iface: 1, ts: 0n, data: pattern(4) }).finish();
    await expectDamage(bytes, 'bad_block', at, [frame({ number: 1, data: pattern(4), fileOffset: 68, interfaceId: 1 })], /names interface 1, but only 1 interface is described/);
  });

  it('simple packet block: captured = min(original length, block body, snaplen of interface 0); time 0', async () => {
    const w = new PcapngWriter()
      .section('le')
      .interface({ linktype: ETHERNET, snaplen: 64, tsresol: 9 })
      .interface({ linktype: USER0, snaplen: 4 })
      .simplePacket(pattern(116), 116) // cut to 64 by the snaplen (a writer would not store the rest)
      .simplePacket(pattern(5), 5) // padded to 8 in the file: the original length says 5
      .simplePacket(pattern(40), 1500); // cut by the writer: the block holds 40
    const frames = await read(w.finish());
    expect(frames.map((f) => [f.caplen, f.origLen, f.data.length, f.linktype, f.tsSec, f.tsNsec, f.tsDigits])).toEqual([
      [64, 116, 64, ETHERNET, 0, 0, 9],
      [5, 5, 5, ETHERNET, 0, 0, 9],
      [40, 1500, 40, ETHERNET, 0, 0, 9],
    ]);
    expect(frames[0].data).toEqual(pattern(116).subarray(0, 64));
  });

  it('obsolete packet block (type 2): 16-bit interface id, drops count, timestamp, comment', async () => {
    const bytes = new PcapngWriter()
      .section('be')
      .interface({ linktype: ETHERNET, snaplen: 0 })
      .interface({ linktype: USER0, snaplen: 0 })
      .obsoletePacket({ iface: 1, drops: 0xffff, ts: 3_000_001n, data: pattern(7), origLen: 9, options: [commentOption('old')] })
      .finish();
    expect(await read(bytes)).toEqual([
      frame({ number: 1, data: pattern(7), origLen: 9, linktype: USER0, tsSec: 3, tsNsec: 1000, fileOffset: 68, comment: 'old', interfaceId: 1 }),
    ]);
  });

  it('custom, unknown, name resolution, statistics and decryption secrets blocks are skipped by their length', async () => {
    const plain = (extra: (w: PcapngWriter) => void): Uint8Array => {
      const w = new PcapngWriter().section('le');
      extra(w);
      w.interface({ linktype: ETHERNET, snaplen: 0 });
      extra(w);
      w.enhancedPacket({ iface: 0, ts: 1n, data: pattern(10) });
      extra(w);
      w.simplePacket(pattern(11));
      extra(w);
      return w.finish();
    };
    const without = await read(plain(() => {}));
    const skip = (w: PcapngWriter): void => {
      w.custom(32473, pattern(13))
        .block(0x40000bad, pattern(4))
        .block(0x00000004, new Uint8Array(4)) // NRB: nrb_record_end
        .block(0x00000005, new Uint8Array(12)) // ISB: interface 0, timestamp
        .block(0x0000000a, pattern(8))
        .block(0x80000001, pattern(3)) // local use
        .block(0x00000fee, new Uint8Array(0));
    };
    const withSkips = await read(plain(skip));
    expect(withSkips.map(({ fileOffset, ...f }) => f)).toEqual(without.map(({ fileOffset, ...f }) => f));
    expect(withSkips).toHaveLength(2);
  });

  it('MAX_RECORD_BYTES of packet data is accepted', async () => {
    const big = pattern(MAX_RECORD_BYTES, 5);
    const frames = await read(new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).enhancedPacket({ iface: 0, ts: 0n, data: big }).finish());
    expect(frames).toHaveLength(1);
    expect(Buffer.compare(frames[0].data, big)).toBe(0);
  });
});

describe('pcapng: comments', () => {
  const HOSTILE = 'x \x1b]0;pwned\x07 \u009b31m \\ é ✓';

  it('opt_comment of an enhanced or obsolete packet block; undefined on the next frame without one', async () => {
    const bytes = new PcapngWriter()
      .section('le')
      .interface({ linktype: ETHERNET, snaplen: 0, options: [commentOption('an interface comment, not a packet one')] })
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [commentOption(HOSTILE)] })
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4) })
      .obsoletePacket({ iface: 0, ts: 0n, data: pattern(4), options: [commentOption('first'), { code: 2, value: pattern(4) }, commentOption('second')] })
      .simplePacket(pattern(4))
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [commentOption('')] })
      .finish();
    const frames = await read(bytes);
    // The text is kept as it is (UTF-8 decoded); escaping is the formatters' job.
    expect(frames.map((f) => f.comment)).toEqual([HOSTILE, undefined, 'first\nsecond', undefined, '']);
  });

  it('past 65536 characters a comment is cut, with a note of its size in the file', async () => {
    const packet = (options: string[]): Uint8Array =>
      new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: options.map(commentOption) }).finish();
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(40_000));
    // 40000 + 1 (the newline joining them) + 25535 characters; the third comment is only counted.
    const note = ' [comment cut to its first 65536 characters: it has 120000 bytes]';
    expect((await read(packet([a, b, c])))[0].comment).toBe(`${a}\n${b.slice(0, 25_535)}${note}`);
    // Not between the halves of a surrogate pair: U+1F600 would be characters 65536 and 65537.
    const x = 'x'.repeat(65_534);
    expect((await read(packet([x, '\u{1f600}'])))[0].comment).toBe(`${x}\n [comment cut to its first 65535 characters: it has 65538 bytes]`);
    expect((await read(packet([x, 'z'])))[0].comment).toBe(`${x}\nz`); // 65536 characters: whole
  });

  it('an option running past the end of its block is bad_block', async () => {
    const w = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 });
    const at = w.length;
    const bytes = w.enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [commentOption('abcd')] }).finish();
    // The comment's length field (after the 4 data bytes) claims 9 bytes: 4 + 12 runs past the end of options.
    new DataView(bytes.buffer).setUint16(at + 32 + 2, 9, true);
    await expectDamage(bytes, 'bad_block', at, [], /option 1 runs past the end/);
  });
});

describe('pcapng: pktmon metadata as etl2pcapng writes it (epb_packetid, epb_verdict, interface options)', () => {
  const u64 = (v: bigint, le = true): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, le);
    return b;
  };
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
  const PACKETID = 5;
  const VERDICT = 7;
  const XDP_DROP = Uint8Array.of(2, 1, 0, 0, 0, 0, 0, 0, 0);

  it('a packet id is the PktGroupId; an XDP_DROP verdict the drop; the interface names the component', async () => {
    const bytes = new PcapngWriter()
      .section('le')
      .interface({ linktype: ETHERNET, snaplen: 65535, options: [{ code: 2, value: utf8('vSwitch') }, { code: 3, value: utf8('HNV-Switch') }] })
      .interface({ linktype: ETHERNET, snaplen: 65535, options: [{ code: 6, value: Uint8Array.of(0, 0x1d, 0xd8, 0xb7, 0x1c, 0x02) }] })
      .enhancedPacket({ iface: 1, ts: 0n, data: pattern(4), options: [{ code: PACKETID, value: u64(18_446_744_073_709_551_615n) }] })
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [{ code: VERDICT, value: XDP_DROP }, { code: PACKETID, value: u64(7n) }, commentOption('kept')] })
      // A verdict other than XDP_DROP (eBPF TC, value 2) is no drop; a verdict alone, no pktmon packet.
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [{ code: PACKETID, value: u64(8n) }, { code: VERDICT, value: Uint8Array.of(1, 2, 0, 0, 0, 0, 0, 0, 0) }] })
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [{ code: VERDICT, value: XDP_DROP }] })
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4) })
      .finish();
    const frames = await read(bytes);
    expect(frames.map((f) => f.etw)).toEqual([
      { provider: 'pktmon-pcapng', pktGroupId: 18_446_744_073_709_551_615n, dropped: false, interfaceId: 1, component: undefined, componentDescription: undefined, componentAddress: '00:1d:d8:b7:1c:02' },
      { provider: 'pktmon-pcapng', pktGroupId: 7, dropped: true, interfaceId: 0, component: 'vSwitch', componentDescription: 'HNV-Switch', componentAddress: undefined },
      { provider: 'pktmon-pcapng', pktGroupId: 8, dropped: false, interfaceId: 0, component: 'vSwitch', componentDescription: 'HNV-Switch', componentAddress: undefined },
      undefined,
      undefined,
    ]);
    expect(frames[1].comment).toBe('kept');
  });

  it('in a big-endian section the id is read in its byte order; an obsolete packet block has no packet id option', async () => {
    const bytes = new PcapngWriter()
      .section('be')
      .interface({ linktype: ETHERNET, snaplen: 0 })
      .enhancedPacket({ iface: 0, ts: 0n, data: pattern(4), options: [{ code: PACKETID, value: u64(562_949_953_421_313n, false) }] })
      .obsoletePacket({ iface: 0, ts: 0n, data: pattern(4), options: [{ code: PACKETID, value: u64(1n, false) }] })
      .finish();
    expect((await read(bytes)).map((f) => (f.etw?.provider === 'pktmon-pcapng' ? f.etw.pktGroupId : undefined))).toEqual([562_949_953_421_313, undefined]);
  });
});

describe('pcapng: damage, at the offset of the block, after the frames before it', () => {
  /** SHB (28) + IDB (20), then three 4-byte EPBs of 36 bytes: packets at 48, 84, 120; the fourth block at 156. */
  const base = (): PcapngWriter => {
    const w = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 });
    for (let i = 0; i < 3; i++) w.enhancedPacket({ iface: 0, ts: BigInt(i), data: pattern(4, i + 1) });
    return w;
  };
  const before = [0, 1, 2].map((i) => frame({ number: i + 1, data: pattern(4, i + 1), tsNsec: i * 1000, fileOffset: 48 + 36 * i }));
  const AT = 156;
  const withFourth = (edit: (dv: DataView) => void, data = pattern(8, 9)): Uint8Array => {
    const bytes = base().enhancedPacket({ iface: 0, ts: 9n, data }).finish();
    edit(new DataView(bytes.buffer, AT));
    return bytes;
  };

  it('the layout the cases below assume', async () => {
    expect(base().length).toBe(AT);
    expect(await read(base().finish())).toEqual(before);
  });

  it('total length not a multiple of 4', async () => {
    await expectDamage(withFourth((dv) => dv.setUint32(4, 42, true)), 'bad_block', AT, before, /total length 42, not a multiple of 4/);
  });

  it('total length below 12, and below the minimum of the block type', async () => {
    await expectDamage(withFourth((dv) => dv.setUint32(4, 8, true)), 'bad_block', AT, before, /below its minimum of 32/);
    const unknown = concatBytes(base().finish(), Uint8Array.of(0xee, 0x0f, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0));
    await expectDamage(unknown, 'bad_block', AT, before, /below its minimum of 12/);
  });

  it('trailing total length different from the leading one', async () => {
    await expectDamage(withFourth((dv) => dv.setUint32(40 - 4, 44, true)), 'bad_block', AT, before, /ends with total length 44, not 40/);
  });

  it('captured length larger than the block', async () => {
    await expectDamage(withFourth((dv) => dv.setUint32(20, 12, true)), 'bad_block', AT, before, /claims 12 captured bytes, more than its block of 40 bytes holds/);
  });

  it('a block running past the end of the input: truncated_record_body; its header cut: truncated_record_header', async () => {
    const whole = withFourth(() => {});
    for (const cut of [8, 20, 39]) {
      await expectDamage(whole.slice(0, AT + cut), 'truncated_record_body', AT, before, new RegExp(`packet 4 \\(enhanced packet block\\) cut off after ${cut} of 40 bytes`));
    }
    for (const cut of [1, 4, 7]) {
      await expectDamage(whole.slice(0, AT + cut), 'truncated_record_header', AT, before, new RegExp(`block header cut off after ${cut} of 8 bytes`));
    }
    // A second section header needs 12 bytes (type, length, byte-order magic) before its length can be read.
    const shb = concatBytes(base().finish(), new PcapngWriter().section('be').finish());
    await expectDamage(shb.slice(0, AT + 10), 'truncated_record_header', AT, before, /of 12 bytes/);
    await expectDamage(shb.slice(0, AT + 20), 'truncated_record_body', AT, before, /section header block cut off after 20 of 28 bytes/);
  });

  it('the first section header cut: truncated_file_header at 0', async () => {
    const bytes = base().finish();
    for (const cut of [4, 11, 12, 27]) await expectDamage(bytes.slice(0, cut), 'truncated_file_header', 0, [], /section header block cut off/);
  });

  it('a packet block before any interface description block, or naming an unknown interface', async () => {
    const noIdb = new PcapngWriter().section('le').enhancedPacket({ iface: 0, ts: 0n, data: pattern(4) }).finish();
    await expectDamage(noIdb, 'bad_block', 28, [], /no interface description block came before it/);
    const spb = new PcapngWriter().section('be').simplePacket(pattern(4)).finish();
    await expectDamage(spb, 'bad_block', 28, [], /simple packet block/);
    await expectDamage(withFourth((dv) => dv.setUint32(8, 1, true)), 'bad_block', AT, before, /packet 4 \(enhanced packet block\) names interface 1/);
    await expectDamage(withFourth((dv) => dv.setUint32(8, 0xffffffff, true)), 'bad_block', AT, before, /names interface 4294967295/);
  });

  it('packet data over MAX_RECORD_BYTES: record_too_long, as soon as the captured length is read', async () => {
    const bytes = withFourth((dv) => {
      dv.setUint32(4, 32 + MAX_RECORD_BYTES + 4, true);
      dv.setUint32(20, MAX_RECORD_BYTES + 1, true);
    });
    // Only the 24 bytes up to the captured length follow: the error must not wait for the rest.
    await expectDamage(bytes.slice(0, AT + 24), 'record_too_long', AT, before, /packet 4 \(enhanced packet block\) claims 262145 captured bytes \(limit 262144\)/);
    const spb = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).simplePacket(pattern(MAX_RECORD_BYTES + 1)).finish();
    await expectDamage(spb, 'record_too_long', 48, [], /holds 262145 captured bytes/);
  });

  it('any block over 16 MiB: record_too_long at once, never buffered', async () => {
    const bytes = concatBytes(base().finish(), Uint8Array.of(0xee, 0x0f, 0, 0, 4, 0, 0, 1)); // 0x01000004
    await expectDamage(bytes, 'record_too_long', AT, before, /claims 16777220 bytes \(limit 16777216\)/);
  });
});

describe('pcapng: bounded memory', () => {
  /** A block of `type` and total length `len` (body zero): built by hand, the writer is slow at 16 MiB. */
  const rawBlock = (type: number, len: number): Uint8Array => {
    const b = new Uint8Array(len);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type, true);
    dv.setUint32(4, len, true);
    dv.setUint32(len - 4, len, true);
    return b;
  };
  const head = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).finish();
  const packet = new PcapngWriter().section('le').enhancedPacket({ iface: 0, ts: 0n, data: pattern(4) }).finish().subarray(28);

  it('a skipped block of 16 MiB streams past: its body is not copied, however it is cut into chunks', () => {
    const block = rawBlock(0x00000fee, MAX_BLOCK_BYTES);
    const parser = new PcapngParser();
    const numbers: number[] = [];
    const onFrame = (f: { number: number }): void => void numbers.push(f.number);
    parser.push(head, onFrame);
    const before = process.memoryUsage().arrayBuffers;
    const CHUNK = 512 * 1024; // the file reader's chunks; each a view, so only the parser allocates
    for (let at = 0; at < block.length - CHUNK; at += CHUNK) parser.push(block.subarray(at, at + CHUNK), onFrame);
    // Before, the parser held a copy of every chunk of the block until it was whole.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
    parser.push(concatBytes(block.subarray(block.length - CHUNK), packet), onFrame);
    parser.end();
    expect(numbers).toEqual([1]);
  });

  it('a skipped block passed over in pieces is still checked: trailing length, and cut off', async () => {
    const block = rawBlock(0x00000fee, 40);
    const bytes = concatBytes(head, block, packet);
    expect((await read(bytes)).map((f) => f.fileOffset)).toEqual([48 + 40]);
    new DataView(bytes.buffer).setUint32(48 + 36, 44, true);
    await expectDamage(bytes, 'bad_block', 48, [], /^block of type 0x00000fee ends with total length 44, not 40 as it starts$/);
    await expectDamage(concatBytes(head, block).subarray(0, 48 + 38), 'truncated_record_body', 48, [], /^block of type 0x00000fee cut off after 38 of 40 bytes$/);
  });

  it(`at most ${MAX_INTERFACES} interfaces a section: the next interface block is bad_block at its offset`, async () => {
    const idb = head.subarray(28);
    const idbs = (n: number): Uint8Array => concatBytes(head.subarray(0, 28), ...Array.from({ length: n }, () => idb));
    // The last interface that may be described is named by a packet; a new section starts afresh.
    const last = concatBytes(idbs(MAX_INTERFACES), packet, idbs(1));
    new DataView(last.buffer).setUint32(28 + 20 * MAX_INTERFACES + 8, MAX_INTERFACES - 1, true);
    expect((await read(last)).map((f) => f.number)).toEqual([1]);
    const at = 28 + 20 * MAX_INTERFACES;
    const { frames, error } = await collectBytes(idbs(MAX_INTERFACES + 1), 512 * 1024);
    const e = asCaptureError(error);
    expect([frames, e.kind, e.offset, e.message]).toEqual([[], 'bad_block', at, 'interface description block 65537 of this section: at most 65536 interfaces per section are read']);
  });
});

describe('pcapng: chunking', () => {
  const file = fixture('multi-section.pcapng');

  it('every split point into two chunks, and every chunk size, gives the frames of the whole file', async () => {
    const whole = await read(file);
    expect(whole).toHaveLength(9);
    const bad: string[] = [];
    for (let split = 0; split <= file.length; split++) {
      const { frames, error } = await collect(chunksAt(file, [split]));
      if (error !== null || JSON.stringify(frames) !== JSON.stringify(whole)) bad.push(`split ${split}`);
    }
    for (let size = 1; size <= file.length; size++) {
      const { frames, error } = await collect(chunksOf(file, size));
      if (error !== null || JSON.stringify(frames) !== JSON.stringify(whole)) bad.push(`size ${size}`);
    }
    expect(bad).toEqual([]);
  });

  it('a block split over many chunks is joined once (linear in its size)', async () => {
    const data = pattern(200_000, 4);
    const bytes = new PcapngWriter().section('le').interface({ linktype: ETHERNET, snaplen: 0 }).enhancedPacket({ iface: 0, ts: 0n, data }).finish();
    const started = performance.now();
    const { frames, error } = await collect(chunksOf(bytes, 16));
    expect(error).toBeNull();
    expect(Buffer.compare(frames[0].data, data)).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('multi-section.pcapng', () => {
  it('9 frames: 2 sections, 3 interfaces, a simple and an obsolete packet block, comments, skipped blocks', async () => {
    const frames = await read(fixture('multi-section.pcapng'));
    const t = (n: number): [number, number] => [seedTime(n).tsSec, seedTime(n).tsNsec];
    expect(frames.map((f) => [f.number, f.linktype, f.caplen, f.tsSec, f.tsNsec, f.tsDigits, f.comment])).toEqual([
      [1, ETHERNET, 116, ...t(1), 6, undefined],
      [2, ETHERNET, 116, ...t(2), 6, undefined],
      [3, ETHERNET, 116, ...t(3), 6, undefined],
      [4, ETHERNET, 116, ...t(4), 6, undefined],
      [5, ETHERNET, 116, ...t(5), 9, 'ping 3 \x1b]0;pwned\x07 from VM 10.1.0.2'],
      // USER0 in 2^-10 s with if_tsoffset 3600: one second after the last ping, half a second in.
      [6, USER0, 22, SEED_BASE_SEC + 4, 500_000_000, 6, undefined],
      [7, ETHERNET, 116, 0, 0, 9, undefined], // simple packet block: no timestamp
      [8, ETHERNET, 116, ...t(7), 9, 'obsolete packet block'],
      [9, ETHERNET, 116, ...t(8), 9, undefined],
    ]);
    const seed = seedPcap.map((f) => f.data);
    expect(frames.filter((f) => f.linktype === ETHERNET).map((f) => f.data)).toEqual(seed);
    expect(new TextDecoder().decode(frames[5].data)).toBe('USER0 link-layer bytes');
  });
});

describe('decimalTs (fixture writer)', () => {
  it('is what the readers above assume', () => {
    expect(decimalTs(1, 2, 6)).toBe(1_000_002n);
    expect(decimalTs(1, 2, 9)).toBe(1_000_002_000n);
  });
});
