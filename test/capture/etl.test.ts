// The ETW trace reader: values written by hand from ../shared/etl/NOTES.md, and the fixtures'
// metadata read back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NdisPacketInfo, PktmonPacketInfo } from '../../src/capture/etw-packet.js';
import { openCaptureFile } from '../../src/capture/netmon.js';
import { readCapture } from '../../src/capture/read.js';
import { type EtlEvent, type EtlOptions, etlTrace, Le, NDIS, PKTMON } from '../../fixtures/lib/etl.js';
import { asCaptureError, collectBytes, fixture } from './helpers.js';

/**
 * A trace written byte by byte from the notes' offsets: a 0x48-byte buffer header, the logfile
 * record (a 0x20-byte SYSTEM64 header, hook id 0, TimeStamp 1000) with the fields at their
 * 64-bit offsets, then a PktMon 160 event (a 0x50-byte EVENT_HEADER64) in the same buffer.
 */
function handTrace(eventTs: bigint, perfFreq: bigint, clock = 1): Uint8Array {
  const b = new Uint8Array(1024).fill(0xff);
  const dv = new DataView(b.buffer);
  b.fill(0, 0, 0x48);
  dv.setUint32(0x00, 1024, true); // BufferSize
  // The logfile record at 0x48.
  const lf = 0x48;
  const lfSize = 0x20 + 0x118 + 4; // header, the fixed fields, two empty UTF-16 strings
  b.fill(0, lf, lf + lfSize);
  b.set([2, 0, 2, 0xc0], lf); // version 2, SYSTEM64, trace header flags
  dv.setUint16(lf + 4, lfSize, true);
  dv.setUint16(lf + 6, 0, true); // hook id 0
  dv.setBigInt64(lf + 0x10, 1000n, true); // the clock's reading at the start
  const h = lf + 0x20;
  dv.setUint32(h + 0x2c, 8, true); // PointerSize
  dv.setUint32(h + 0x34, 3000, true); // CpuSpeedInMHz
  dv.setBigUint64(h + 0x100, perfFreq, true);
  // StartTime: 2013-07-19T08:00:00Z = 1374220800 s after 1970, + 11644473600 s from 1601.
  dv.setBigUint64(h + 0x108, (1_374_220_800n + 11_644_473_600n) * 10_000_000n, true);
  dv.setUint32(h + 0x110, clock, true); // ReservedFlags: the clock
  // The event, 8-byte aligned after the logfile record.
  const e = (lf + lfSize + 7) & ~7;
  const payload = [0xde, 0xad, 0xbe, 0xef];
  const user = 34 + payload.length;
  const size = 0x50 + user;
  b.fill(0, e, e + size);
  dv.setUint16(e, size, true);
  b[e + 2] = 0x13; // EVENT_HEADER64
  b[e + 3] = 0xc0;
  dv.setBigInt64(e + 0x10, eventTs, true);
  // {4D4F80D9-C8BD-4D73-BB5B-19C90402C5AC}: Data1, Data2, Data3 little-endian, then 8 bytes as they are.
  b.set([0xd9, 0x80, 0x4f, 0x4d, 0xbd, 0xc8, 0x73, 0x4d, 0xbb, 0x5b, 0x19, 0xc9, 0x04, 0x02, 0xc5, 0xac], e + 0x18);
  dv.setUint16(e + 0x28, 160, true); // Id; Version 0
  const u = e + 0x50;
  dv.setBigUint64(u, 562_949_953_421_313n, true); // PktGroupId
  dv.setUint16(u + 8, 1, true); // PktNumber
  dv.setUint16(u + 10, 2, true); // AppearanceCount
  dv.setUint16(u + 12, 1, true); // DirTag
  dv.setUint16(u + 14, 3, true); // PacketType: IP
  dv.setUint16(u + 16, 31, true); // ComponentId
  dv.setUint16(u + 18, 1, true); // EdgeId
  dv.setUint16(u + 20, 0, true); // FilterId
  dv.setUint32(u + 22, 26, true); // DropReason
  dv.setUint32(u + 26, 0x0c1f, true); // DropLocation
  dv.setUint16(u + 30, 1500, true); // OriginalPayloadSize
  dv.setUint16(u + 32, payload.length, true); // LoggedPayloadSize
  b.set(payload, u + 34);
  dv.setUint32(0x30, e + size, true); // FilledBytes
  return b;
}

describe('an ETW trace written by hand from the layout notes', () => {
  it('QPC at 10 MHz: an event 12345679 ticks after the logfile record is 1.2345679 s after StartTime', async () => {
    const { frames, error } = await collectBytes(handTrace(1000n + 12_345_679n, 10_000_000n));
    expect(error).toBeNull();
    expect(frames).toHaveLength(1);
    const f = frames[0];
    expect({ tsSec: f.tsSec, tsNsec: f.tsNsec, tsDigits: f.tsDigits }).toEqual({ tsSec: 1_374_220_801, tsNsec: 234_567_900, tsDigits: 7 });
    expect({ caplen: f.caplen, origLen: f.origLen, linktype: f.linktype, data: [...f.data] }).toEqual({ caplen: 4, origLen: 1500, linktype: 101, data: [0xde, 0xad, 0xbe, 0xef] });
    expect(f.etw).toEqual({
      provider: 'pktmon',
      pktGroupId: 562_949_953_421_313,
      pktNumber: 1,
      appearance: 2,
      dirTag: 1,
      packetType: 3,
      componentId: 31,
      component: undefined,
      componentDescription: undefined,
      componentAddress: undefined,
      edgeId: 1,
      filterId: 0,
      dropped: false,
      dropReason: 26,
      dropLocation: 0x0c1f,
      originalSize: 1500,
      loggedSize: 4,
    });
  });

  it('QPC at 3579545 Hz: 1 tick is 2 of 100 ns (floor of 2.79), 3579545 ticks exactly 1 s', async () => {
    const one = await collectBytes(handTrace(1001n, 3_579_545n));
    expect([one.frames[0].tsSec, one.frames[0].tsNsec]).toEqual([1_374_220_800, 200]);
    const second = await collectBytes(handTrace(1000n + 3_579_545n, 3_579_545n));
    expect([second.frames[0].tsSec, second.frames[0].tsNsec]).toEqual([1_374_220_801, 0]);
  });

  it('an event before the logfile record: times before StartTime, floored to the tick', async () => {
    const { frames } = await collectBytes(handTrace(999n, 3_579_545n));
    // -1 tick = -2.79 x 100 ns: floor gives -3, so 07:59:59.9999997.
    expect([frames[0].tsSec, frames[0].tsNsec]).toEqual([1_374_220_799, 999_999_700]);
  });

  it('FILETIME clock: the TimeStamp is a FILETIME offset from the record; CPU cycles at 3000 MHz: 300 per tick', async () => {
    const ft = await collectBytes(handTrace(1000n + 5n, 0n, 2));
    expect([ft.frames[0].tsSec, ft.frames[0].tsNsec]).toEqual([1_374_220_800, 500]);
    const cpu = await collectBytes(handTrace(1000n + 3000n * 10n + 299n, 0n, 3));
    expect([cpu.frames[0].tsSec, cpu.frames[0].tsNsec]).toEqual([1_374_220_800, 10_000]);
  });

  it('near and past 2^52 ticks from the logfile record, where number arithmetic gives way to BigInt, times stay exact', async () => {
    // 2^52 - 1, 2^52 + 1 and 2^53 + 1 ticks of a 10 MHz QPC after StartTime (2^52 = 4503599627370496,
    // 2^53 = 9007199254740992): 450359962.7370495 s, 450359962.7370497 s and 900719925.4740993 s.
    const at = async (ticks: bigint): Promise<number[]> => {
      const f = (await collectBytes(handTrace(1000n + ticks, 10_000_000n))).frames[0];
      return [f.tsSec - 1_374_220_800, f.tsNsec];
    };
    expect(await at(2n ** 52n - 1n)).toEqual([450_359_962, 737_049_500]);
    expect(await at(2n ** 52n + 1n)).toEqual([450_359_962, 737_049_700]);
    expect(await at(2n ** 53n + 1n)).toEqual([900_719_925, 474_099_300]);
  });

  it('an unknown clock, or a QPC clock of frequency 0: an error at the logfile record', async () => {
    const e = asCaptureError((await collectBytes(handTrace(1000n, 10_000_000n, 4))).error);
    expect([e.kind, e.offset, e.message]).toEqual(['bad_record', 0x48, 'buffer 1: logfile header: clock type 4 is none of QPC (1), FILETIME (2), CPU cycles (3)']);
    const z = asCaptureError((await collectBytes(handTrace(1000n, 0n, 1))).error);
    expect(z.message).toBe("buffer 1: logfile header: the QPC clock's frequency is 0");
  });

  it('a record marker of no known header type: an error at it, its size unknown', async () => {
    const b = handTrace(1000n, 10_000_000n);
    const at = (0x48 + 0x20 + 0x118 + 4 + 7) & ~7;
    b[at + 2] = 0x0e; // WNODE_HEADER: not laid out in the sources
    const e = asCaptureError((await collectBytes(b)).error);
    expect([e.kind, e.offset, e.message]).toEqual(['bad_record', at, 'buffer 1: record marker 0xc00e0076 is no trace header type this reader knows, so its size is unknown']);
  });
});

const OPTS: EtlOptions = { clock: 2, startTime: 130_186_944_000_000_000n, ts0: 130_186_944_000_000_000n, pointerSize: 8, bufferSize: 4096, loggerName: 't' };
const pktmonUser = (comp: number, payload: Uint8Array): Uint8Array =>
  new Le().u64(7n).u16(1).u16(1).u16(1).u16(1).u16(comp).u16(1).u16(0).u32(0).u32(0).u16(payload.length).u16(payload.length).bytes(payload).finish();
const ETH = new Uint8Array(60).fill(0xaa);

describe('events the reader does not turn into frames', () => {
  it('an unknown event version is skipped, with one note on the next frame naming it; other providers are skipped', async () => {
    const events: EtlEvent[] = [
      { provider: PKTMON, id: 160, version: 1, ts: OPTS.ts0, user: pktmonUser(5, ETH) },
      { provider: PKTMON, id: 160, version: 1, ts: OPTS.ts0, user: pktmonUser(5, ETH) },
      { provider: '0cd1c309-0878-4515-83db-749843b3f5c9', id: 1, ts: OPTS.ts0, user: new Uint8Array(9) },
      { provider: PKTMON, id: 160, ts: OPTS.ts0 + 10n, user: pktmonUser(5, ETH) },
      { provider: PKTMON, id: 160, ts: OPTS.ts0 + 20n, user: pktmonUser(5, ETH) },
    ];
    const { frames, error } = await collectBytes(etlTrace(events, OPTS));
    expect(error).toBeNull();
    expect(frames.map((f) => f.comment)).toEqual([
      'ETW: skipped Microsoft-Windows-PktMon event 160 version 1 (and any more like it): a layout this reader does not know',
      undefined,
    ]);
  });

  it('a trace of only unknown versions is refused, naming them and the providers', async () => {
    const events: EtlEvent[] = [
      { provider: PKTMON, id: 170, version: 2, ts: OPTS.ts0, user: pktmonUser(5, ETH) },
      { provider: NDIS, id: 1001, version: 1, ts: OPTS.ts0, user: new Uint8Array(12) },
    ];
    const e = asCaptureError((await collectBytes(etlTrace(events, OPTS))).error);
    expect([e.kind, e.offset]).toEqual(['no_packets', 0]);
    expect(e.message).toBe(
      'an ETW trace with no packet events (pktmon or NDIS-PacketCapture): logger "t", 2 buffers, 3 events: 1 of Microsoft-Windows-PktMon, 1 of Microsoft-Windows-NDIS-PacketCapture, the logfile header; skipped: Microsoft-Windows-PktMon event 170 version 2, Microsoft-Windows-NDIS-PacketCapture event 1001 version 1',
    );
  });

  it('extended data items before the user data are stepped over by their sizes and linkage', async () => {
    const ext = [
      { type: 12, data: new Uint8Array(13).fill(1) },
      { type: 11, data: new Uint8Array(3).fill(2) },
    ];
    const { frames } = await collectBytes(etlTrace([{ provider: PKTMON, id: 160, ts: OPTS.ts0, user: pktmonUser(5, ETH), ext }], OPTS));
    expect([...frames[0].data]).toEqual([...ETH]);
  });
});

describe('PktMon events read in place', () => {
  const grouped = (group: bigint, comp: number): Uint8Array =>
    new Le().u64(group).u16(1).u16(2).u16(1).u16(1).u16(comp).u16(1).u16(0).u32(26).u32(0x0c1f).u16(ETH.length).u16(ETH.length).bytes(ETH).finish();

  it('a PktGroupId is a number below 2^53 and a bigint from 2^53; each frame has its own metadata', async () => {
    const groups = [2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n, 7n];
    const events: EtlEvent[] = groups.map((g, i) => ({ provider: PKTMON, id: i === 1 ? 170 : 160, ts: OPTS.ts0 + BigInt(i), user: grouped(g, 10 + i) }));
    const { frames, error } = await collectBytes(etlTrace(events, OPTS));
    expect(error).toBeNull();
    const info = frames.map((f) => f.etw as PktmonPacketInfo);
    expect(info.map((i) => [i.pktGroupId, i.componentId, i.dropped])).toEqual([
      [9_007_199_254_740_991, 10, false],
      [9_007_199_254_740_992n, 11, true],
      [18_446_744_073_709_551_615n, 12, false],
      [7, 13, false],
    ]);
  });

  it('the first pass over a file reads it in chunks that cut buffers and events: names learnt at the end still name frame 1', async () => {
    // 4104-byte buffers do not divide the pass's 512 KiB reads; 800 events of ~1.1 KB fill 267 of them, 1.1 MB.
    const big = new Uint8Array(1000).fill(0x55);
    const o = { ...OPTS, bufferSize: 4104 };
    const events: EtlEvent[] = Array.from({ length: 800 }, (_, i) => ({ provider: PKTMON, id: 160, ts: o.ts0 + BigInt(i), user: pktmonUser(5, big) }));
    events.push({ provider: PKTMON, id: 20, ts: o.ts0 + 800n, user: new Le().u16(5).u16(1).wstr('Rundown NIC').wstr('host B').finish() });
    const bytes = etlTrace(events, o);
    expect(bytes.length).toBeGreaterThan(2 * 512 * 1024);
    const dir = mkdtempSync(join(tmpdir(), 'etl-scan-'));
    const path = join(dir, 'rundown.etl');
    writeFileSync(path, bytes);
    const names: (string | undefined)[] = [];
    async function* input(): AsyncGenerator<Uint8Array> {
      yield bytes;
    }
    try {
      await readCapture(input(), { onFrame: (f) => void names.push((f.etw as PktmonPacketInfo).component), afterChunk: () => false }, () => openCaptureFile(path));
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(names).toHaveLength(800);
    expect(new Set(names)).toEqual(new Set(['Rundown NIC']));
  });
});

describe('the scan for component names', () => {
  /** What the frames of `events` (written to a file, read with its path) say of their components. */
  async function fromFile(events: EtlEvent[]): Promise<PktmonPacketInfo[]> {
    const bytes = etlTrace(events, { ...OPTS, bufferSize: 1024 });
    const dir = mkdtempSync(join(tmpdir(), 'etl-scan-'));
    const path = join(dir, 'trace.etl');
    writeFileSync(path, bytes);
    const seen: PktmonPacketInfo[] = [];
    async function* input(): AsyncGenerator<Uint8Array> {
      yield bytes;
    }
    try {
      // The reader reuses one info object: a copy of each.
      await readCapture(input(), { onFrame: (f) => void seen.push({ ...(f.etw as PktmonPacketInfo) }), afterChunk: () => false }, () => openCaptureFile(path));
    } finally {
      rmSync(dir, { recursive: true });
    }
    return seen;
  }
  const named = (comp: number, name: string, ts: bigint): EtlEvent => ({ provider: PKTMON, id: 20, ts, user: new Le().u16(comp).u16(1).wstr(name).wstr('').finish() });
  const packet = (comp: number, ts: bigint): EtlEvent => ({ provider: PKTMON, id: 160, ts, user: pktmonUser(comp, ETH) });

  it('is not made while every packet names a component already named: what is logged of it later is met in its place', async () => {
    // An address (event 70) logged after the packets reaches only the packets after it: the scan
    // that would have found it is made only for a component without a name.
    const address: EtlEvent = { provider: PKTMON, id: 70, ts: OPTS.ts0 + 40n, user: new Le().u16(5).u16(1).u32(6).bytes(Uint8Array.of(0, 0x15, 0x5d, 0, 1, 2)).finish() };
    const events = [named(5, 'At the start', OPTS.ts0), ...Array.from({ length: 30 }, (_, i) => packet(5, OPTS.ts0 + BigInt(i))), address, packet(5, OPTS.ts0 + 41n)];
    const frames = await fromFile(events);
    expect(frames.map((i) => i.component)).toEqual(Array(31).fill('At the start'));
    expect(frames.map((i) => i.componentAddress)).toEqual([...Array(30).fill(undefined), '00:15:5d:00:01:02']);
  });

  it('is made from the buffer of the first packet naming a component not logged yet, to the end', async () => {
    const events = [named(5, 'At the start', OPTS.ts0), packet(5, OPTS.ts0 + 1n), ...Array.from({ length: 30 }, (_, i) => packet(6, OPTS.ts0 + 2n + BigInt(i))), named(6, 'Rundown', OPTS.ts0 + 40n)];
    expect((await fromFile(events)).map((i) => i.component)).toEqual(['At the start', ...Array(30).fill('Rundown')]);
  });
});

describe('the fixtures: metadata on each frame', () => {
  it('pktmon-seed.etl: PktGroupId, appearance and component name of each appearance; the drop', async () => {
    const { frames } = await collectBytes(fixture('pktmon-seed.etl'));
    const info = frames.map((f) => f.etw as PktmonPacketInfo);
    expect(info.slice(0, 3).map((i) => [i.pktGroupId, i.appearance, i.componentId, i.component, i.componentDescription])).toEqual([
      [562_949_953_421_313, 1, 9, 'Microsoft Hyper-V Network Adapter', 'vm1 (blue)'],
      [562_949_953_421_313, 2, 31, 'Virtual Switch Extension', 'HNV-Switch'],
      [562_949_953_421_313, 3, 12, 'Mellanox ConnectX-4 Lx Ethernet Adapter', 'host A'],
    ]);
    expect(info[3].pktGroupId).toBe(562_949_953_421_314);
    expect(info.filter((i) => i.dropped)).toEqual([
      expect.objectContaining({ pktGroupId: 562_949_953_421_321, appearance: 2, componentId: 31, dropReason: 26, dropLocation: 0xe0004a51, originalSize: 74, loggedSize: 74 }),
    ]);
    expect(frames.every((f) => f.etw?.provider === 'pktmon' && f.tsDigits === 7)).toBe(true);
  });

  it('pktmon-rundown.etl: names and hardware addresses logged after the packets, learned by the first pass over a file', async () => {
    const path = new URL('../../fixtures/pktmon-rundown.etl', import.meta.url).pathname;
    const seen: [number, string | undefined, string | undefined][] = [];
    const onFrame = (f: { etw?: unknown }): void => {
      const i = f.etw as PktmonPacketInfo;
      if (seen.length < 3) seen.push([i.componentId, i.component, i.componentAddress]);
    };
    const bytes = fixture('pktmon-rundown.etl');
    async function* input(): AsyncGenerator<Uint8Array> {
      yield bytes;
    }
    await readCapture(input(), { onFrame, afterChunk: () => false }, () => openCaptureFile(path));
    expect(seen).toEqual([
      [9, 'Microsoft Hyper-V Network Adapter', '00:1d:d8:b7:1c:02'],
      [31, 'Virtual Switch Extension', undefined],
      [12, 'Mellanox ConnectX-4 Lx Ethernet Adapter', '00:15:5d:00:01:02'],
    ]);
  });

  it('ndis-seed.etl: directions, the 1003 port, NIC and VLAN from the OOB data, the joined packet', async () => {
    const { frames } = await collectBytes(fixture('ndis-seed.etl'));
    const info = frames.map((f) => f.etw as NdisPacketInfo);
    expect(info.map((i) => i.direction)).toEqual(['send', 'receive', 'send', 'receive', 'send', 'receive', 'send', 'receive']);
    expect(info[1]).toEqual({
      provider: 'ndis',
      eventId: 1003,
      miniportIfIndex: 12,
      lowerIfIndex: 12,
      direction: 'receive',
      truncated: false,
      events: 1,
      vswitch: { portId: 3, portName: '4D2B6E1A-vm1-port', nicName: 'vm1', nicType: 'Synthetic', destinationCount: 1, vlanId: 7, userPriority: 5 },
    });
    expect([info[2].events, frames[2].caplen]).toEqual([2, 116]);
    expect([info[7].truncated, frames[7].caplen, frames[7].origLen]).toEqual([true, 64, 116]);
  });

  it('any chunking gives the same frames, compressed or not', async () => {
    for (const name of ['pktmon-seed.etl', 'pktmon-compressed.etl', 'ndis-seed.etl']) {
      const bytes = fixture(name);
      const whole = await collectBytes(bytes);
      for (const size of [1, 7, 100, 4095]) {
        const cut = await collectBytes(bytes, size);
        expect(cut.error, `${name} in ${size}-byte chunks`).toBeNull();
        expect(cut.frames, `${name} in ${size}-byte chunks`).toEqual(whole.frames);
      }
    }
  });
});

describe('link types and lengths from keywords and packet types', () => {
  const KW_START_END = 0xc0000000n;
  const ndis = (keywords: bigint, fragment: Uint8Array, ts = 0n): EtlEvent => ({
    provider: NDIS,
    id: 1001,
    keywords,
    ts: OPTS.ts0 + ts,
    user: new Le().u32(3).u32(3).u32(fragment.length).bytes(fragment).finish(),
  });
  // A raw IPv4 header saying 1400 bytes in all, cut after 40.
  const rawIp = new Uint8Array(40);
  rawIp.set([0x45, 0, 0x05, 0x78]);

  it('WirelessWAN: raw IP, its original length the IPv4 total length (no Ethernet header added)', async () => {
    const { frames } = await collectBytes(etlTrace([ndis(KW_START_END | 0x200n | 0x2000000n, rawIp)], OPTS));
    expect([frames[0].linktype, frames[0].caplen, frames[0].origLen]).toEqual([101, 40, 1400]);
  });

  it('Native802.11: link type 105, shown as data with a note; no START/END keyword joining lost', async () => {
    const { frames } = await collectBytes(etlTrace([ndis(KW_START_END | 0x10000n, new Uint8Array(30))], OPTS));
    expect([frames[0].linktype, frames[0].comment]).toEqual([105, 'NDIS: a Native 802.11 frame, shown as data']);
  });

  it('a PacketStart while a packet is still open: the open one is dropped with a note', async () => {
    const a = new Uint8Array(20).fill(1);
    const b = new Uint8Array(20).fill(2);
    const c = new Uint8Array(20).fill(3);
    const events = [ndis(0x40000000n, a), ndis(0x40000000n, b, 1n), ndis(0x80000000n, c, 2n)];
    const { frames } = await collectBytes(etlTrace(events, OPTS));
    expect(frames).toHaveLength(1);
    expect([...frames[0].data]).toEqual([...b, ...c]);
    expect(frames[0].comment).toBe("NDIS: an event of a packet that never got its PacketEnd dropped");
    expect((frames[0].etw as NdisPacketInfo).events).toBe(2);
  });

  it('PktMon packet types: 2 Wi-Fi (105, a note), 3 IP (raw), others data with a note naming the type', async () => {
    const typed = (type: number): EtlEvent => ({
      provider: PKTMON,
      id: 160,
      ts: OPTS.ts0,
      user: new Le().u64(1n).u16(1).u16(1).u16(1).u16(type).u16(4).u16(1).u16(0).u32(0).u32(0).u16(40).u16(40).bytes(rawIp).finish(),
    });
    const { frames } = await collectBytes(etlTrace([typed(2), typed(3), typed(7)], OPTS));
    expect(frames.map((f) => [f.linktype, f.comment])).toEqual([
      [105, 'PktMon: a Wi-Fi frame, shown as data'],
      [101, undefined],
      [-2, 'PktMon: packet type 7 is not a link layer, shown as data'],
    ]);
  });
});

describe('what the reader keeps stays bounded', () => {
  it('providers past the 32nd are counted together in the refusal', async () => {
    const events: EtlEvent[] = Array.from({ length: 40 }, (_, i) => ({
      provider: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      id: 1,
      ts: OPTS.ts0,
      user: new Uint8Array(4),
    }));
    const e = asCaptureError((await collectBytes(etlTrace(events, OPTS))).error);
    expect(e.message).toMatch(/: logger "t", 2 buffers, 41 events: 1 of \{00000000-0000-0000-0000-000000000000\}, .*, 1 of \{00000000-0000-0000-0000-000000000031\}, 8 of other providers, the logfile header$/);
  });

  it('buffers flagged as having lost events: noted once, at the first', async () => {
    const big = new Uint8Array(1500).fill(0xaa);
    const events: EtlEvent[] = Array.from({ length: 6 }, (_, i) => ({ provider: PKTMON, id: 160, ts: OPTS.ts0 + BigInt(i), user: pktmonUser(5, big) }));
    const bytes = etlTrace(events, OPTS); // 2 events of ~1.6 KB per 4 KiB buffer: buffers 2, 3, 4
    for (const at of [4096, 8192, 12288]) bytes[at + 0x34] |= 0x02;
    const { frames } = await collectBytes(bytes);
    expect(frames.map((f) => f.comment)).toEqual(['ETW: buffer 2 is the first flagged as having lost events', undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('every record header type is stepped over by its own size field', () => {
  /** A record of `size` bytes: the size at offset 4 (system, compact, perfinfo) or 0 (the rest). */
  function raw(type: number, size: number, sizeAt: 0 | 4, flags = 0xc0): { raw: Uint8Array } {
    const b = new Uint8Array(size).fill(0x5a);
    const dv = new DataView(b.buffer);
    if (sizeAt === 4) {
      dv.setUint16(0, 2, true);
      dv.setUint16(4, size, true);
      dv.setUint16(6, 0x0a01, true); // a hook id
    } else dv.setUint16(0, size, true);
    b[2] = type;
    b[3] = flags;
    return { raw: b };
  }
  const others = [
    raw(0x01, 0x20 + 4, 4), // SYSTEM32
    raw(0x04, 0x18 + 2, 4), // COMPACT64
    raw(0x11, 0x10 + 8, 4), // PERFINFO64
    raw(0x14, 0x30 + 3, 0), // FULL_HEADER64
    raw(0x15, 0x48, 0), // INSTANCE64
    raw(0x00, 8 + 5, 0, 0x90), // a message header (flags 0x90)
  ];

  it('six other header types between packet events: both packets read, whole', async () => {
    const packet = (ts: bigint): EtlEvent => ({ provider: PKTMON, id: 160, ts: OPTS.ts0 + ts, user: pktmonUser(5, ETH) });
    const { frames, error } = await collectBytes(etlTrace([packet(1n), ...others, packet(2n)], OPTS));
    expect(error).toBeNull();
    expect(frames.map((f) => [f.tsNsec, f.caplen, [...f.data].every((b) => b === 0xaa)])).toEqual([
      [100, 60, true],
      [200, 60, true],
    ]);
  });

  it('a record shorter than its header type allows: an error at it', async () => {
    const bytes = etlTrace([raw(0x15, 0x40, 0)], OPTS);
    const e = asCaptureError((await collectBytes(bytes)).error);
    expect([e.kind, e.offset, e.message]).toEqual(['bad_record', 4096 + 0x48, 'buffer 2: INSTANCE64 record of 64 bytes, shorter than its 72-byte header']);
  });

  it('a trace of only such records is refused, counting them', async () => {
    const e = asCaptureError((await collectBytes(etlTrace(others, OPTS))).error);
    expect(e.message).toBe('an ETW trace with no packet events (pktmon or NDIS-PacketCapture): logger "t", 2 buffers, 7 events: 6 kernel or classic records, the logfile header');
  });
});
