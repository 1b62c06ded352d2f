import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './spawn.js';

// The capture kinds of fixtures/kinds.ts, end to end through the CLI.

async function lines(args: string[]): Promise<string[]> {
  const r = await runCli(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trimEnd().split('\n');
}

interface JsonFrame {
  frame: { number: number; linktype: number };
  layers: { proto: string; fields: Record<string, string | number> }[];
  warnings: { proto: string; code: string; message: string }[];
}

async function json(args: string[]): Promise<JsonFrame[]> {
  return (await lines(['--json', ...args])).map((l) => JSON.parse(l) as JsonFrame);
}

/** The frame numbers of summary lines that show a VSID. */
const withVsid = (summary: string[]): number[] => summary.filter((l) => l.includes(' vsid=')).map((l) => Number.parseInt(l, 10));

const REQUEST = 'vsid=4020644 (0x3D59A4)';
const REPLY = 'vsid=8793502 (0x862D9E)';

describe('the seed exchange under other link types', () => {
  // Outer Ethernet (14 bytes) replaced by each link type's header: the lengths on the wire follow.
  const VARIANTS: [string, number, number][] = [
    ['seed-ping-sll', 113, 16],
    ['seed-ping-sll2', 276, 20],
    ['seed-ping-raw', 101, 0],
    ['seed-ping-raw4', 228, 0],
    ['seed-ping-null', 0, 4],
  ];
  /** The part of a summary line from the VSID on, without the length. */
  const fromVsid = (line: string): string => line.slice(line.indexOf(' vsid=')).replace(/ len=\d+$/, '');
  /** Frame number, time and outer addresses: what comes before the VSID. */
  const beforeVsid = (line: string): string => line.slice(0, line.indexOf(' vsid='));

  for (const [name, linktype, header] of VARIANTS) {
    it(`${name}.pcap (link type ${linktype}) gives the seed's summary: same VSIDs, inner addresses and ICMP facts`, async () => {
      const seed = await lines(['-s', 'fixtures/seed-ping.pcap']);
      const got = await lines(['-s', `fixtures/${name}.pcap`]);
      expect(got).toHaveLength(8);
      expect(got.map(fromVsid)).toEqual(seed.map(fromVsid));
      expect(got.map(beforeVsid)).toEqual(seed.map(beforeVsid));
      for (const line of got) expect(line).toMatch(new RegExp(` len=${116 - 14 + header}$`));
      expect(got.filter((l) => l.includes(REQUEST))).toHaveLength(4);
      expect(got.filter((l) => l.includes(REPLY))).toHaveLength(4);
      const frames = await json([`fixtures/${name}.pcap`]);
      expect(frames.map((f) => f.frame.linktype)).toEqual(Array(8).fill(linktype));
    });
  }

  it('the cooked header says host A sent the requests (packet type 4) and received the replies (0)', async () => {
    for (const name of ['seed-ping-sll', 'seed-ping-sll2']) {
      const frames = await json([`fixtures/${name}.pcap`]);
      const sll = frames.map((f) => f.layers[0]);
      expect(sll.map((l) => l.proto)).toEqual(Array(8).fill('sll'));
      expect(sll.map((l) => l.fields['sll.pkttype'])).toEqual([4, 0, 4, 0, 4, 0, 4, 0]);
      expect(sll.map((l) => l.fields['sll.src.eth'])).toEqual(Array(4).fill(['00:15:5d:00:01:02', '00:15:5d:00:01:03']).flat());
    }
  });

  it('the loopback header reads family 2 (IPv4) from its little-endian bytes', async () => {
    const frames = await json(['fixtures/seed-ping-null.pcap']);
    expect(frames.map((f) => f.layers[0].fields['null.family'])).toEqual(Array(8).fill(2));
  });
});

describe('fragments.pcap: reassembled by default, pieces with --no-reassemble', () => {
  it('decodes a first piece as far as it goes, and each datagram on the frame that completes it', async () => {
    const summary = await lines(['-s', 'fixtures/fragments.pcap']);
    // Every piece whose first fragment was seen names the tenant: not the reply's last piece (frame
    // 5, before its first), not the one 31 s late (8), not the one past 65535 bytes (9), not the conflict (13).
    expect(withVsid(summary)).toEqual([1, 2, 3, 4, 6, 7, 10, 11, 12]);
    expect(summary[0]).toContain(`172.16.0.2 -> 172.16.0.3 ${REQUEST} flow=0 10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=1514 !ip.fragment#1`);
    expect(summary[1]).toContain(`172.16.0.2 -> 172.16.0.3 fragments=#1,#2 ${REQUEST} flow=0 10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=76 !ip.fragment#1 !ip.reassembled#1 !nvgre.outer_fragment`);
    expect(summary[3]).toContain(`fd00:16::2 -> fd00:16::3 fragments=#3,#4 ${REQUEST}`);
    expect(summary[4]).toMatch(/ 172\.16\.0\.3 -> 172\.16\.0\.2 data=42 len=76 !ip\.fragment$/);
    // The reply's first piece came last and completed it: pieces listed in offset order, as tshark does.
    expect(summary[5]).toContain(`fragments=#6,#5 ${REPLY} flow=0 10.2.0.2 -> 10.1.0.2 ICMP Echo (ping) reply id=1 seq=1`);
    const frames = await json(['fixtures/fragments.pcap']);
    const icmpData = frames[1].layers.find((l) => l.proto === 'icmp')?.fields['data.len'];
    expect(icmpData).toBe(1472); // the whole 1500-byte tenant packet
    // tshark's fields on the completing frame (tshark -T fields -e ip.fragment -e ip.fragment.count -e ip.reassembled.length).
    const ip = frames[1].layers[1].fields;
    expect([ip['ip.fragment'], ip['ip.fragment.count'], ip['ip.reassembled.length']]).toEqual([[1, 2], 2, 1522]);
    const ip6 = frames[3].layers[1].fields;
    expect([ip6['ipv6.fragment'], ip6['ipv6.fragment.count'], ip6['ipv6.reassembled.length']]).toEqual([[3, 4], 2, 1522]);
    // The first piece's ICMP checksum covers bytes that are not there: not verified, not bad.
    expect(frames[0].layers.find((l) => l.proto === 'icmp')?.fields['icmp.checksum.status']).toBe(2);
  });

  it('gives up on pieces 31 s apart and on a piece past byte 65535', async () => {
    const summary = await lines(['-s', 'fixtures/fragments.pcap']);
    expect(summary[7]).toMatch(/ data=42 len=76 !ip\.reassembly_dropped !ip\.fragment$/);
    expect(summary[8]).toMatch(/ data=24 len=58 !ip\.fragment !ip\.reassembly_dropped$/);
  });

  it('notes a piece repeating bytes it agrees with, drops a datagram whose pieces disagree (no silent later-wins)', async () => {
    const summary = await lines(['-s', 'fixtures/fragments.pcap']);
    expect(summary[10]).toMatch(/ fragments=#10,#11 .* ICMP Echo \(ping\) request id=1 seq=4 len=76 !ip\.fragment#1 !ip\.fragment_overlap#1 !ip\.reassembled#1 !nvgre\.outer_fragment$/);
    expect(summary[12]).toMatch(/ 172\.16\.0\.2 -> 172\.16\.0\.3 data=42 len=76 !ip\.fragment !ip\.fragment_overlap_conflict$/);
    const frames = await json(['fixtures/fragments.pcap']);
    const messages = frames[12].warnings.map((w) => `${w.code}: ${w.message}`);
    expect(messages).toContain('ip.fragment_overlap_conflict: IPv4 datagram id 0x0104 (pieces in frames #12): byte 40 differs from the one an earlier piece gave: dropped');
  });

  it('with --no-reassemble decodes no datagram, but still follows the pieces: the first decoded as far as it goes, the others name it and its VSID', async () => {
    const summary = await lines(['-s', '--no-reassemble', 'fixtures/fragments.pcap']);
    expect(withVsid(summary)).toEqual([1, 2, 3, 4, 6, 7, 10, 11, 12, 13]);
    expect(summary[0]).toContain(`${REQUEST} flow=0 10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=1514 !ip.fragment#1`);
    expect(summary[1]).toMatch(/ 172\.16\.0\.3 fragments=#1,#2 vsid=4020644 \(0x3D59A4\) flow=0 data=42 len=76 !ip\.fragment !nvgre\.outer_fragment$/);
    expect(summary[3]).toMatch(/ fragments=#3,#4 vsid=4020644 \(0x3D59A4\) flow=0 data=74 len=136 !ipv6\.fragment !nvgre\.outer_fragment$/);
    const frames = await json(['--no-reassemble', 'fixtures/fragments.pcap']);
    const codes = frames.flatMap((f) => f.warnings.map((w) => w.code));
    expect(codes).not.toContain('ip.reassembled');
    // Bytes are not kept, so they cannot be compared: an overlap is noted, never a conflict.
    expect(codes).not.toContain('ip.fragment_overlap_conflict');
    expect(frames[1].layers.find((l) => l.proto === 'nvgre')).toEqual({ proto: 'nvgre', fields: { 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 }, learnt_from: 1 });
    expect(frames[0].layers.find((l) => l.proto === 'icmp')?.fields['icmp.checksum.status']).toBe(2);
  });
});

describe('NVGRE over an IPv6 provider network (nvgre-ipv6.pcap)', () => {
  it('shows the VSID of every frame with IPv6 outer addresses, tenant IPv4 and IPv6 alike', async () => {
    const summary = await lines(['-s', 'fixtures/nvgre-ipv6.pcap']);
    expect(summary).toHaveLength(21);
    expect(withVsid(summary)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1)); // frame 21 is the router's ICMPv6 error
    const replies = summary.filter((l) => l.includes(REPLY)).map((l) => Number.parseInt(l, 10));
    expect(replies).toEqual([2, 4, 6, 8, 12, 14, 16]);
    for (const line of summary.slice(0, 18)) expect(line).toMatch(/^\d+ \S+ fd00:16::[23] -> fd00:16::[23] vsid=/);
    expect(summary[10]).toContain(`${REQUEST} flow=0 fd10::2 -> fd20::2 ICMPv6 Echo (ping) request`);
    expect(summary[18]).toContain(`fd00:16::2 -> fd00:16::3 4in6 172.16.0.2 -> 172.16.0.3 ${REQUEST}`); // IPv4 in IPv6
    expect(summary[19]).toContain(`172.16.0.2 -> 172.16.0.3 6in4 fd00:16::2 -> fd00:16::3 ${REQUEST}`); // IPv6 in IPv4
  });

  it('--vsid selects a tenant over IPv6 PAs as over IPv4 ones', async () => {
    const summary = await lines(['-s', '--vsid', '8793502', 'fixtures/nvgre-ipv6.pcap']);
    expect(summary.map((l) => Number.parseInt(l, 10))).toEqual([2, 4, 6, 8, 12, 14, 16]);
  });

  it('walks the outer extension headers to GRE, and checks inner TCP/UDP/ICMPv6 over the IPv6 pseudo-header', async () => {
    const frames = await json(['fixtures/nvgre-ipv6.pcap']);
    const outer = (n: number): Record<string, string | number> => frames[n - 1].layers[1].fields;
    expect(outer(9)['ipv6.nxt']).toBe(0);
    // Hop-by-hop names destination options (60) next, which names GRE (47): Wireshark's per-header fields.
    expect([outer(9)['ipv6.hopopts.nxt'], outer(9)['ipv6.dstopts.nxt']]).toEqual([60, 47]);
    expect(outer(10)['ipv6.routing.type']).toBe(4);
    for (const n of [9, 10]) expect(frames[n - 1].layers.find((l) => l.proto === 'nvgre')?.fields['nvgre.vsid']).toBe(4020644);
    const status = (n: number, key: string): unknown => frames[n - 1].layers.find((l) => l.fields[key] !== undefined)?.fields[key];
    for (const n of [11, 12, 13, 14, 15, 16]) expect(status(n, 'icmpv6.checksum.status')).toBe(1);
    expect(status(17, 'tcp.checksum.status')).toBe(1);
    expect(status(18, 'udp.checksum.status')).toBe(1);
  });
});

describe('overlays.pcap', () => {
  it('shows the VXLAN VNI like a VSID, and the VSIDs of NVGRE frames seen through ERSPAN and Cisco MetaData', async () => {
    const summary = await lines(['-s', 'fixtures/overlays.pcap']);
    for (const line of summary.slice(0, 9)) expect(line).toContain(' vni=5001 (0x001389) ');
    const vsids = summary.slice(9).map((l) => /vsid=(\d+)/.exec(l)?.[1]);
    expect(vsids).toEqual(['4020644', '8793502', '4020644', '8793502', '4020644']);
    expect(summary[10]).toContain('ERSPAN type 2, session 100');
    expect(summary[11]).toContain('ERSPAN type 3, session 200');
    expect(summary[13]).toContain(' sgt=10 ');
  });

  it('gives the summary line the README shows for VXLAN', async () => {
    const [first] = await lines(['-s', 'fixtures/overlays.pcap']);
    expect(readFileSync(`${ROOT}README.md`, 'utf8')).toContain(`\n${first}\n`);
  });
});
