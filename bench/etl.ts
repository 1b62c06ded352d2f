// The ETL corpus of `npm run bench` (issue 14): the corpus's frame mix as pktmon logs it, one event
// 160 per frame in 64 KiB buffers with a 10 MHz QPC clock (what pktmon writes), and the same frames
// in a plain pcapng; reading the trace should cost at most 1.3x reading the pcapng. The records
// are built once per distinct frame with the fixture layout code (fixtures/lib/etl.ts), then only
// their time and PktGroupId are patched, so a million frames are written in seconds.
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { etlEventBuffer, etlHeaderBuffer, type EtlOptions, eventRecord, Le, PKTMON } from '../fixtures/lib/etl.js';
import { BIN, type Case } from './cases.js';
import { pool, POOL, T0 } from './corpus.js';

const BUFFER = 64 * 1024;
const ROOM = BUFFER - 0x48;
const START_TS = 1_000_000n;
/** The records are 100 µs apart: 1000 ticks of the 10 MHz clock. */
const TICKS_APART = 1000n;
const COMPONENT = 12;
/** fixtures/etl.ts's GROUP_BASE: pktmon's PktGroupIds look like 2^49 + n. */
const GROUP_BASE = 562_949_953_421_313n;
const OPTIONS: EtlOptions = {
  clock: 1,
  perfFreq: 10_000_000n,
  startTime: (BigInt(T0) + 11_644_473_600n) * 10_000_000n,
  ts0: START_TS,
  pointerSize: 8,
  bufferSize: BUFFER,
  loggerName: 'PktMon',
};
/** In an event record: its TimeStamp, and the user data's PktGroupId after the 0x50-byte header. */
const TS_AT = 0x10;
const GROUP_AT = 0x50;

const pad8 = (n: number): number => (n + 7) & ~7;

/** Event 160 of each distinct frame, seen at the physical NIC, sent, logged whole. */
function templates(): Uint8Array[] {
  return pool().map((f) => {
    const user = new Le().u64(0n).u16(1).u16(1).u16(4).u16(1).u16(COMPONENT).u16(1).u16(0).u32(0).u32(0).u16(f.length).u16(f.length).bytes(f).finish();
    return eventRecord({ provider: PKTMON, id: 160, ts: 0n, user }, 8);
  });
}

/** The component's name (event 20), first, so frames are shown with it. */
const component = (): Uint8Array =>
  eventRecord({ provider: PKTMON, id: 20, ts: START_TS, user: new Le().u16(COMPONENT).u16(1).wstr('Mellanox ConnectX-4 Lx Ethernet Adapter').wstr('host A').finish() }, 8);

async function toFile(path: string, write: (out: (b: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  const stream: WriteStream = createWriteStream(path);
  await write(async (b) => {
    if (!stream.write(b)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  });
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** `count` frames as a pktmon trace. */
export function writeEtlCorpusFile(path: string, count: number): Promise<void> {
  const recs = templates();
  const first = component();
  // Buffers the events fill, counted first: the header says how many the trace has.
  let buffers = 1;
  for (let i = 0, used = pad8(first.length); i < count; i++) {
    const n = pad8(recs[i % POOL].length);
    if (used + n > ROOM) {
      buffers++;
      used = 0;
    }
    used += n;
  }
  return toFile(path, async (out) => {
    await out(etlHeaderBuffer(OPTIONS, buffers + 1));
    const body = new Uint8Array(ROOM);
    const dv = new DataView(body.buffer);
    body.set(first);
    let used = pad8(first.length);
    let index = 1;
    for (let i = 0; i < count; i++) {
      const r = recs[i % POOL];
      if (used + pad8(r.length) > ROOM) {
        await out(etlEventBuffer(OPTIONS, body.subarray(0, used), index++));
        used = 0;
      }
      body.set(r, used);
      body.fill(0, used + r.length, used + pad8(r.length));
      dv.setBigUint64(used + TS_AT, START_TS + BigInt(i) * TICKS_APART, true);
      dv.setBigUint64(used + GROUP_AT, GROUP_BASE + BigInt(i), true);
      used += pad8(r.length);
    }
    await out(etlEventBuffer(OPTIONS, body.subarray(0, used), index));
  });
}

/** The same `count` frames, at the same times, as a plain pcapng (one Ethernet interface, microseconds). */
export function writePcapngCorpusFile(path: string, count: number): Promise<void> {
  const frames = pool();
  return toFile(path, async (out) => {
    const head = new Uint8Array(28 + 20);
    const h = new DataView(head.buffer);
    // Section header: type, length 28, byte-order magic, version 1.0, section length -1, length.
    h.setUint32(0, 0x0a0d0d0a, true);
    h.setUint32(4, 28, true);
    h.setUint32(8, 0x1a2b3c4d, true);
    h.setUint16(12, 1, true);
    h.setBigInt64(16, -1n, true);
    h.setUint32(24, 28, true);
    // Interface description: type 1, length 20, link type 1 (Ethernet), snaplen 0, length.
    h.setUint32(28, 1, true);
    h.setUint32(32, 20, true);
    h.setUint16(36, 1, true);
    h.setUint32(44, 20, true);
    await out(head);
    const BATCH = 4096;
    for (let start = 0; start < count; start += BATCH) {
      const parts: Uint8Array[] = [];
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const f = frames[i % POOL];
        const len = 32 + ((f.length + 3) & ~3);
        const b = new Uint8Array(len);
        const dv = new DataView(b.buffer);
        const us = BigInt(T0) * 1_000_000n + BigInt(i) * 100n;
        [6, len, 0, Number(us >> 32n), Number(us & 0xffffffffn), f.length, f.length].forEach((v, k) => dv.setUint32(4 * k, v, true));
        b.set(f, 28);
        dv.setUint32(len - 4, len, true);
        parts.push(b);
      }
      await out(Buffer.concat(parts));
    }
  });
}

/**
 * The bench's ETL cases for `frames`: its two corpus files (written when missing), and each
 * reading of the trace with the same reading of the pcapng as its peer. They read their own
 * files, not the pcap corpus the other cases are handed, and alternate with those cases.
 */
export async function etlCases(root: string, frames: number): Promise<Case[]> {
  const etl = `bench/corpus/${frames}.etl`;
  const pcapng = `bench/corpus/${frames}.pcapng`;
  if (!existsSync(`${root}${etl}`)) await writeEtlCorpusFile(`${root}${etl}`, frames);
  if (!existsSync(`${root}${pcapng}`)) await writePcapngCorpusFile(`${root}${pcapng}`, frames);
  return [
    ['stats', '--stats'],
    ['summary', '--summary'],
  ].flatMap(([name, flag]) => [
    { name: `etl ${name}`, argv: (): string[] => [BIN, flag, etl] },
    { name: `pcapng ${name}`, peerOf: `etl ${name}`, argv: (): string[] => [BIN, flag, pcapng] },
  ]);
}
