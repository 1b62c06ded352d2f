// Deterministic benchmark corpora: mixed tenant traffic in NVGRE, as a provider network carries it.
// 64 VSIDs, 16 hosts, ICMP/TCP/UDP/ARP, frames of 60 to 1500 bytes, one in eight with an outer
// VLAN tag. A pool of frames is built once with the fixture builders, then records cycle through it.
import { createWriteStream, type WriteStream } from 'node:fs';
import { ascii } from '../fixtures/lib/bytes.js';
import { arp, ETHERTYPE_ARP, ethernet, icmpEcho, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, tcp, TCP_ACK, TCP_PSH, udp } from '../fixtures/lib/packets.js';
import { encapsulate, type Host, IpIds, type Tunnel, tenantIp, type Vm } from '../fixtures/lib/hnv.js';

/** mulberry32: a small seeded PRNG, so every run builds the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const VSID_COUNT = 64;
/** The VSID of tenant i: spread over the valid range (RFC 7637: 0x1000 to 0xFFFFFE). */
export const vsidOf = (i: number): number => 0x100000 + i * 0x1f3d;

export const POOL = 4096;

/** The corpus's distinct frames, in the order records cycle through them (bench/etl.ts writes them too). */
export function pool(): Uint8Array[] {
  const rand = prng(7637);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const hosts: Host[] = Array.from({ length: 16 }, (_, i) => ({ ip: `172.16.${i >> 3}.${10 + i}`, mac: `00:15:5d:00:02:${(16 + i).toString(16)}` }));
  const vms: Vm[][] = Array.from({ length: VSID_COUNT }, (_, v) =>
    Array.from({ length: 3 }, (_, k) => ({
      ip: `10.${v}.0.${k + 2}`,
      mac: `00:1d:d8:b7:${v.toString(16).padStart(2, '0')}:${(k + 2).toString(16).padStart(2, '0')}`,
      vsid: vsidOf(v),
      host: pick(hosts),
    })),
  );
  const frames: Uint8Array[] = [];
  for (let i = 0; i < POOL; i++) {
    const t: Tunnel = { outerIds: new IpIds(i & 0xffff), innerIds: new IpIds((i * 7) & 0xffff), vlanId: rand() < 0.125 ? 100 + (i % 8) : undefined };
    const tenant = pick(vms);
    const [a, b] = [tenant[0], tenant[1 + Math.floor(rand() * 2)]];
    const [from, to] = rand() < 0.5 ? [a, b] : [b, a];
    const flow = Math.floor(rand() * 256);
    const r = rand();
    let inner: Uint8Array;
    if (r < 0.4) inner = tenantIp(t, from, to, IPPROTO_TCP, tcp({ src: from.ip, dst: to.ip, sport: 49152 + (i % 1000), dport: 445, seq: i * 1000, ack: i, flags: TCP_ACK, window: 8192 }));
    else if (r < 0.55) inner = tenantIp(t, from, to, IPPROTO_ICMP, icmpEcho({ type: rand() < 0.5 ? 8 : 0, id: 1, seq: i & 0xffff, payload: ascii('abcdefghijklmnopqrstuvwabcdefghi') }));
    else if (r < 0.7) inner = tenantIp(t, from, to, IPPROTO_UDP, udp({ src: from.ip, dst: to.ip, sport: 53000, dport: 53, payload: new Uint8Array(30 + Math.floor(rand() * 70)) }));
    else if (r < 0.95) {
      const size = pick([100, 536, 536, 1400]);
      inner = tenantIp(t, from, to, IPPROTO_TCP, tcp({ src: from.ip, dst: to.ip, sport: 445, dport: 49152 + (i % 1000), seq: i, ack: i * 3, flags: TCP_PSH | TCP_ACK, window: 8192, payload: new Uint8Array(size).fill(0x41) }));
    } else {
      inner = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: from.mac, type: ETHERTYPE_ARP, payload: arp({ op: 1, senderMac: from.mac, senderIp: from.ip, targetMac: '00:00:00:00:00:00', targetIp: to.ip }) });
    }
    frames.push(encapsulate(t, from, to, flow, inner));
  }
  return frames;
}

/** The first record's time (seconds since 1970); records are 100 µs apart. */
export const T0 = Date.UTC(2024, 0, 15, 9, 0, 0) / 1000;

/** Writes a classic pcap of `count` frames (100 µs apart) to `out`, honouring backpressure. */
export async function writeCorpus(out: NodeJS.WritableStream, count: number): Promise<number> {
  const frames = pool();
  const header = new Uint8Array(24);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 262144, true);
  hv.setUint32(20, 1, true);
  let bytes = 0;
  const write = (b: Uint8Array): boolean => {
    bytes += b.length;
    return out.write(b);
  };
  write(header);
  const BATCH = 4096;
  for (let start = 0; start < count; start += BATCH) {
    const parts: Uint8Array[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const f = frames[i % POOL];
      const rec = new Uint8Array(16 + f.length);
      const dv = new DataView(rec.buffer);
      const us = i * 100;
      dv.setUint32(0, T0 + Math.floor(us / 1e6), true);
      dv.setUint32(4, us % 1e6, true);
      dv.setUint32(8, f.length, true);
      dv.setUint32(12, f.length, true);
      rec.set(f, 16);
      parts.push(rec);
    }
    if (!write(Buffer.concat(parts))) await new Promise((resolve) => out.once('drain', resolve));
  }
  return bytes;
}

export async function writeCorpusFile(path: string, count: number): Promise<number> {
  const out: WriteStream = createWriteStream(path);
  const bytes = await writeCorpus(out, count);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return bytes;
}

// `tsx bench/corpus.ts N` writes N frames to stdout (the 10M-frame constant-memory run streams it).
if (process.argv[1]?.endsWith('corpus.ts') && process.argv[2] !== undefined) {
  await writeCorpus(process.stdout, Number(process.argv[2]));
}
