// Outer IPv4 fragments end to end: a real trace (the Zeek 2015 one, whose HTTP replies are cut
// in two to four pieces) and hostile generated ones (issue 13: pieces without end, duplicates,
// conflicting overlaps), each bounded in time and memory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostA, hostB } from '../../fixtures/lib/hnv.js';
import { ETHERTYPE_IPV4, ethernet, IP_MF, IPPROTO_GRE, ipv4, padEthernet } from '../../fixtures/lib/packets.js';
import { type PcapRecord, writePcap } from '../../fixtures/lib/pcap.js';
import { BIN, ROOT, runCli } from './spawn.js';

const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
const ZEEK = resolve(CAPTURES, 'nvgre-shaped_zeek_erspan-trace_real-2015_teb-key_outer-frags.pcap');
const TENANT = 131072;

interface JsonFrame {
  layers: { proto: string; fields: Record<string, unknown>; learnt_from?: number }[];
  warnings: { code: string; message: string }[];
}

const frameNumbers = (stdout: string): number[] =>
  stdout
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number.parseInt(l, 10));

describe.skipIf(!existsSync(ZEEK))('the Zeek 2015 trace: outer fragments of VSID 131072', () => {
  for (const args of [[], ['--no-reassemble']]) {
    it(`${args.join(' ') || 'by default'}: --vsid and grep -w vsid= find all 162 frames of the tenant, fragments too`, async () => {
      const all = await runCli(['-s', ...args, ZEEK]);
      expect(all.code).toBe(0);
      const lines = all.stdout.trimEnd().split('\n');
      // 123 whole frames and 39 fragments (60a09ed showed the fragments as bare data: 123).
      expect(lines.filter((l) => /(^| )vsid=131072( |$)/.test(l))).toHaveLength(162);
      const selected = await runCli(['-s', ...args, '--vsid', String(TENANT), ZEEK]);
      expect(frameNumbers(selected.stdout)).toHaveLength(162);
      expect(frameNumbers(selected.stdout)).toContain(154);
      // tshark: "Fragmented IP protocol (proto=GRE 47, off=0, ID=e119)"; we decode what the piece holds.
      expect(lines[152]).toMatch(/^153 \S+ 10\.200\.0\.3 -> 10\.200\.0\.224 vsid=131072 \(0x020000\) flow=0 192\.168\.69\.2 -> 192\.168\.69\.10 TCP 80 -> 49162 \[ACK\] .* !ip\.fragment#1 !nvgre\.outer_fragment$/);
      expect(lines[153]).toMatch(/^154 \S+ 10\.200\.0\.3 -> 10\.200\.0\.224 fragment-of=#153 vsid=131072 \(0x020000\) flow=0 data=1480 len=1514 !ip\.fragment !nvgre\.outer_fragment$/);
      expect(lines[154]).toContain(' 10.200.0.3 -> 10.200.0.224 fragments=#153,#154,#155 vsid=131072 (0x020000) flow=0 ');
    });
  }

  it('in JSON: the later piece names its first fragment and carries its NVGRE header; the last has tshark fields', async () => {
    const frames = (await runCli(['--json', ZEEK])).stdout.trimEnd().split('\n').slice(152, 155).map((l) => JSON.parse(l) as JsonFrame);
    const ip = (n: number): Record<string, unknown> => frames[n].layers[1].fields;
    expect(ip(1)['ip.fragment.first_frame']).toBe(153);
    expect(frames[1].layers[2]).toEqual({ proto: 'nvgre', fields: { 'nvgre.vsid': TENANT, 'nvgre.flow_id': 0 }, learnt_from: 153 });
    // tshark -2 -T fields -e ip.fragment -e ip.fragment.count -e ip.reassembled.length: 153,154,155 3 2982.
    expect([ip(2)['ip.fragment'], ip(2)['ip.fragment.count'], ip(2)['ip.reassembled.length']]).toEqual([[153, 154, 155], 3, 2982]);
    expect(ip(0)['ip.fragment']).toBeUndefined();
  });

  it('-Y reads the fragment fields: a list matches when one of its frames does', async () => {
    const inList = await runCli(['-s', '-Y', 'ip.fragment == 154', ZEEK]);
    expect(frameNumbers(inList.stdout)).toEqual([155]);
    const named = await runCli(['-s', '-Y', 'ip.fragment.first_frame == 157', ZEEK]);
    expect(frameNumbers(named.stdout)).toEqual([158, 159]);
  });
});

// Hostile pieces, as issue 13 found them. One datagram's pieces between hostA and hostB, in GRE.
const ID = 0x4242;
const piece = (offset: number, more: boolean, payload: Uint8Array, id = ID): Uint8Array =>
  padEthernet(
    ethernet({
      dst: hostB.mac,
      src: hostA.mac,
      type: ETHERTYPE_IPV4,
      payload: ipv4({ src: hostA.ip, dst: hostB.ip, proto: IPPROTO_GRE, id, flags: more ? IP_MF : 0, fragOffset: offset / 8, payload }),
    }),
  );
const capture = (frames: Uint8Array[]): Uint8Array =>
  writePcap(
    frames.map((data, i): PcapRecord => ({ tsSec: 1_400_000_000, tsFrac: i % 1_000_000, data })),
    { endian: 'le', resolution: 'us' },
  );
const repeated = (n: number, frame: Uint8Array): Uint8Array[] => Array.from({ length: n }, () => frame);

async function summaryOf(frames: Uint8Array[]): Promise<{ lines: string[]; seconds: number }> {
  const started = process.hrtime.bigint();
  const r = await runCli(['-s', '-'], { input: capture(frames) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { lines: r.stdout.trimEnd().split('\n'), seconds };
}

const count = (lines: string[], code: string): number => lines.filter((l) => l.includes(` !${code}`)).length;

describe('reassembly stays linear and bounded whatever the pieces', () => {
  // Generous bounds: 60a09ed sorted every piece on every piece once the end was known (40k: 35 s).
  it('40,000 zero-length pieces behind a known last piece: well under 10 s, dropped at the piece bound with a warning', async () => {
    const { lines, seconds } = await summaryOf([piece(64, false, new Uint8Array(8)), ...repeated(40_000, piece(8, true, new Uint8Array(0)))]);
    expect(lines).toHaveLength(40_001);
    expect(seconds).toBeLessThan(10);
    // 8192 pieces pending at most: the datagram is given up each time it grows past them.
    expect(count(lines, 'ip.reassembly_dropped')).toBe(4);
    expect(lines.find((l) => l.includes('!ip.reassembly_dropped'))).toMatch(/^8193 /);
  }, 60_000);

  it('50,000 copies of one 8-byte piece: well under 10 s, each noted as a repeat of the same bytes', async () => {
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const { lines, seconds } = await summaryOf([piece(64, false, new Uint8Array(8)), ...repeated(50_000, piece(8, true, bytes))]);
    expect(seconds).toBeLessThan(10);
    // The first copy is news; every later one within the same pending datagram repeats it.
    expect(count(lines, 'ip.fragment_overlap')).toBe(50_000 - 1 - 6);
    expect(count(lines, 'ip.reassembly_dropped')).toBe(6);
  }, 60_000);

  it('a piece that changes bytes already received drops the datagram; the same bytes again complete it', async () => {
    const gre = new Uint8Array(32).map((_, i) => i);
    const changed = gre.slice(8, 24);
    changed[0] ^= 0xff;
    const { lines } = await summaryOf([piece(0, true, gre.subarray(0, 16)), piece(8, true, changed), piece(16, false, gre.subarray(16))]);
    expect(lines[1]).toMatch(/ !ip\.fragment !ip\.fragment_overlap_conflict$/);
    // 60a09ed let the later piece win in silence and reassembled on frame 3.
    expect(lines[2]).not.toContain('ip.reassembled');
    const same = await summaryOf([piece(0, true, gre.subarray(0, 16)), piece(8, true, gre.slice(8, 24)), piece(16, false, gre.subarray(16))]);
    expect(same.lines[1]).toMatch(/ !ip\.fragment !ip\.fragment_overlap$/);
    expect(same.lines[2]).toMatch(/ fragments=#1,#2,#3 .*!ip\.reassembled/);
  });

  it('a second last piece with another end drops the datagram', async () => {
    const { lines } = await summaryOf([piece(8, false, new Uint8Array(8)), piece(16, false, new Uint8Array(16))]);
    expect(lines[1]).toMatch(/ !ip\.fragment !ip\.reassembly_dropped$/);
  });
});

/** The CLI reading `frames` from stdin with a heap of `heapMb`: its exit code, stderr and line count. */
async function withHeap(heapMb: number, frames: Uint8Array[]): Promise<{ code: number | null; stderr: string; lines: number }> {
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, '-s', '-'], { cwd: ROOT });
  let lines = 0;
  child.stdout.on('data', (b: Buffer) => {
    for (const byte of b) if (byte === 0x0a) lines++;
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.on('error', () => {}); // a child that died of its heap closes the pipe early
  child.stdin.end(capture(frames));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, stderr, lines };
}

describe('reassembly memory is bounded', () => {
  // 60a09ed kept every piece: 1M zero-length pieces reached 341 MB. 300k pass through a 40 MB heap.
  it('300,000 zero-length pieces of one datagram through a 40 MB heap, every frame printed', async () => {
    const r = await withHeap(40, [piece(64, false, new Uint8Array(8)), ...repeated(300_000, piece(8, true, new Uint8Array(0)))]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines).toBe(300_001);
  }, 60_000);
});

describe('the fragment offset, as tshark shows it', () => {
  it('the tree in bytes as tshark -V (IPv4 `Fragment Offset: 1480`, IPv6 `Offset: 181 (1448 bytes)`); the field in 8-byte units as tshark -T fields (185)', async () => {
    const tree = (await runCli(['-c', '4', 'fixtures/fragments.pcap'])).stdout;
    // tshark -V -r fixtures/fragments.pcap -c 4: frames 2 and 4.
    expect(tree).toContain('\n    Fragment Offset: 1480\n');
    expect(tree).toContain('\n    Fragment: Offset: 181 (1448 bytes)\n');
    expect(tree).not.toContain('x 8 bytes');
    // tshark -T fields -e ip.frag_offset -e ipv6.fraghdr.offset on frames 2 and 4: `185,0` and `0 181`
    // (frames 1 and 3 are first fragments, whose inner headers we decode and tshark not: agreement.test.ts).
    const fields = await runCli(['-c', '4', '-T', 'fields', '-e', 'ip.frag_offset', '-e', 'ipv6.fraghdr.offset', '-E', 'occurrence=a', 'fixtures/fragments.pcap']);
    const rows = fields.stdout.split('\n');
    expect([rows[1], rows[3]]).toEqual(['185,0\t', '0\t181']);
  });
});
