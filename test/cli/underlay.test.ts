// Issue 15, point 4: the underlay's MTU in --stats, per PA pair (largest outer frame, fragmented
// outer datagrams, tenant frames over a 1514-byte provider frame once encapsulated, ICMP too-big),
// and --strict failing on outer fragmentation of NVGRE. Every value below is worked out by hand
// from the fixtures' comments (fixtures/kinds.ts): 42 bytes of NVGRE over IPv4, 46 with a VLAN tag, 62 over IPv6.
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

interface PairJson {
  pa_src: string;
  pa_dst: string;
  frames: number;
  largest_frame: number | null;
  fragmented_datagrams: number;
  fragments: { count: number; frames: unknown[] };
  over_provider_frame: { count: number; frames: unknown[] };
  icmp_too_big: { count: number; frames: unknown[] };
}

async function underlay(args: string[]): Promise<PairJson[]> {
  const r = await runCli(['--stats', '--json', ...args]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { underlay: PairJson[] }).underlay;
}

const none = { count: 0, frames: [] };

describe('--stats: the underlay per PA pair', () => {
  it('mtu.pcap: 1468 bytes tagged and 1472 untagged fit, one byte more and a 1514-byte frame do not; ICMP outside and inside', async () => {
    expect(await underlay(['fixtures/mtu.pcap'])).toEqual([
      {
        pa_src: '172.16.0.2',
        pa_dst: '172.16.0.3',
        frames: 4,
        largest_frame: 1556,
        fragmented_datagrams: 0,
        fragments: none,
        over_provider_frame: { count: 2, frames: [2, 4] },
        // The router's error quotes the outer header of frame 4: it is about this pair.
        icmp_too_big: { count: 1, frames: [5] },
      },
      {
        pa_src: '172.16.0.3',
        pa_dst: '172.16.0.2',
        frames: 1,
        largest_frame: 112,
        fragmented_datagrams: 0,
        fragments: none,
        over_provider_frame: none,
        icmp_too_big: { count: 1, frames: [6] },
      },
    ]);
  });

  it('fragments.pcap: datagrams and their pieces, the big pings counted once on their first piece', async () => {
    const pairs = await underlay(['fixtures/fragments.pcap']);
    expect(pairs.map((p) => [p.pa_src, p.pa_dst, p.frames, p.largest_frame, p.fragmented_datagrams, p.fragments, p.over_provider_frame])).toEqual([
      // Pings 1 and 3 (1514-byte tenant frames), the piece past 65535, the two small overlapping pings: 5 datagrams, 9 frames.
      ['172.16.0.2', '172.16.0.3', 9, 1514, 5, { count: 9, frames: [1, 2, 7, 8, 9, 10, 11, 12] }, { count: 2, frames: [1, 7] }],
      ['fd00:16::2', 'fd00:16::3', 2, 1510, 1, { count: 2, frames: [3, 4] }, { count: 1, frames: [3] }],
      // The reply's last piece came first; its first piece (frame 6) completes it and is the one counted.
      ['172.16.0.3', '172.16.0.2', 2, 1514, 1, { count: 2, frames: [5, 6] }, { count: 1, frames: [6] }],
    ]);
  });

  it('nvgre-ipv6.pcap: the provider router\'s Packet Too Big (frame 21) is about fd00:16::2 -> fd00:16::3', async () => {
    const pairs = await underlay(['fixtures/nvgre-ipv6.pcap']);
    expect(pairs.find((p) => p.pa_src === 'fd00:16::2' && p.pa_dst === 'fd00:16::3')?.icmp_too_big).toEqual({ count: 1, frames: [21] });
    expect(pairs.every((p) => p.over_provider_frame.count === 0 && p.fragmented_datagrams === 0)).toBe(true);
  });

  it('with several captures a frame names its file', async () => {
    const pairs = await underlay(['fixtures/mtu.pcap', 'fixtures/seed-ping.pcap']);
    expect(pairs[0].over_provider_frame.frames).toEqual([{ file: 'fixtures/mtu.pcap', frame: 2 }, { file: 'fixtures/mtu.pcap', frame: 4 }]);
    expect(pairs[0].frames).toBe(4 + 4);
  });

  it('the table', async () => {
    const r = await runCli(['--stats', 'fixtures/mtu.pcap']);
    expect(r.stdout).toContain(
      [
        '│ PA pair                  │ Frames │ Largest frame │ Fragmented │ Over 1514 │ ICMP too big │',
        '├──────────────────────────┼────────┼───────────────┼────────────┼───────────┼──────────────┤',
        '│ 172.16.0.2 -> 172.16.0.3 │ 4      │ 1556          │ 0          │ 2: #2, #4 │ 1: #5        │',
        '│ 172.16.0.3 -> 172.16.0.2 │ 1      │ 112           │ 0          │ 0         │ 1: #6        │',
      ].join('\n'),
    );
    const frags = await runCli(['--stats', 'fixtures/fragments.pcap']);
    expect(frags.stdout).toContain('│ 172.16.0.2 -> 172.16.0.3 │ 9      │ 1514          │ 5 in 9: #1, #2, #7, #8, +5 more │ 2: #1, #7 │ 0            │');
  });
});

describe('--strict and outer fragmentation', () => {
  it('fails on a fragmented NVGRE datagram (nvgre.outer_fragment, a warning), not on a whole one', async () => {
    const [frag, whole] = await Promise.all([
      runCli(['--strict', '-q', '-Y', 'frame.number == 1', 'fixtures/fragments.pcap']),
      runCli(['--strict', '-q', 'fixtures/mtu.pcap']),
    ]);
    expect(frag.code).toBe(1);
    expect(whole.code).toBe(0);
  });

  it('says it on the first piece, the completing one, and a later piece that learnt its VSID', async () => {
    const r = await runCli(['-s', '-Y', 'nvgre', '--no-reassemble', 'fixtures/fragments.pcap']);
    const flagged = r.stdout.trimEnd().split('\n').filter((l) => l.includes('!nvgre.outer_fragment')).map((l) => Number(l.split(' ')[0]));
    // Without reassembly 2, 4, 11 and 13 name their first piece and carry its VSID; 5 came before its first.
    expect(flagged).toEqual([1, 2, 3, 4, 6, 7, 10, 11, 12, 13]);
    const reassembled = await runCli(['-s', 'fixtures/fragments.pcap']);
    expect(reassembled.stdout.split('\n')[1]).toMatch(/^2 .* !ip\.reassembled#1 !nvgre\.outer_fragment$/);
  });
});
