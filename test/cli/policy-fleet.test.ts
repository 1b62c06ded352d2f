// Issue 15's comparison over issue 17's many captures: --lookup --policy over the hosts' captures.
// By hand: host-a.pcap (host A, 172.16.0.2) saw blue-2 (10.2.0.2, VSID 4020644) behind host B's PA
// 172.16.0.3 in frames 1 and 3 (10:00:00, 10:00:01) and behind host C's 172.16.0.9 in frames 5 and 7
// (10:00:10, 10:00:11); host-b.pcap the first two pings (frames 1 and 3), host-c.pcap the last two
// (frames 1 and 3 of its own). fixtures/policy/hosts-migrated.txt is host A's records after the
// move: blue-2 behind 172.16.0.9 (line 17), blue-1 (10.1.0.2, VSID 8793502) behind 172.16.0.2.
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

const HOSTS = ['fixtures/host-a.pcap', 'fixtures/host-b.pcap', 'fixtures/host-c.pcap'];
const MIGRATED = ['--policy', 'fixtures/policy/hosts-migrated.txt'];

const lines = (s: string): string[] => s.trimEnd().split('\n');
const rows = (stdout: string): string[][] =>
  lines(stdout)
    .filter((l) => l.startsWith('│'))
    .map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));

describe('--lookup --policy over several captures', () => {
  it('the same capture twice (pcap and pcapng): each row names its capture, all agree, exit 0', async () => {
    const r = await runCli(['--lookup', '--policy', 'fixtures/policy/seed-agree.txt', 'fixtures/seed-ping.pcap', 'fixtures/seed-ping.pcapng']);
    expect(r.code).toBe(0);
    expect(rows(r.stdout).map((c) => c.slice(0, 7))).toEqual([
      ['Policy', 'CustomerAddress', 'VirtualSubnetID', 'MACAddress', 'ProviderAddress', 'Capture', 'VMName'],
      ['agree', '10.2.0.2', '4020644 (0x3D59A4)', '00:1d:d8:b7:1c:03', '172.16.0.3', 'fixtures/seed-ping.pcap', 'blue-2'],
      ['agree', '10.2.0.2', '4020644 (0x3D59A4)', '00:1d:d8:b7:1c:03', '172.16.0.3', 'fixtures/seed-ping.pcapng', 'blue-2'],
      ['agree', '10.1.0.2', '8793502 (0x862D9E)', '00:1d:d8:b7:1c:02', '172.16.0.2', 'fixtures/seed-ping.pcap', 'blue-1'],
      ['agree', '10.1.0.2', '8793502 (0x862D9E)', '00:1d:d8:b7:1c:02', '172.16.0.2', 'fixtures/seed-ping.pcapng', 'blue-1'],
    ]);
    expect(lines(r.stdout).slice(-2)).toEqual(['4 lookup records from the 2 captures: 4 agree, 0 differ, 0 wire only', 'the captures agree with the policy']);
  });

  it('the live migration across the host captures: each capture\'s frames named, both PAs and when each was seen, exit 1', async () => {
    const r = await runCli(['--lookup', ...MIGRATED, ...HOSTS]);
    expect(r.code).toBe(1);
    expect(rows(r.stdout).slice(1).map((c) => [c[0], c[1], c[4], c[5], c[7], c[8]])).toEqual([
      ['differ', '10.2.0.2', '172.16.0.3', 'fixtures/host-a.pcap', 'PA 172.16.0.9', '2'],
      ['differ', '10.2.0.2', '172.16.0.3', 'fixtures/host-b.pcap', 'PA 172.16.0.9', '2'],
      ['agree', '10.2.0.2', '172.16.0.9', 'fixtures/host-a.pcap', '', '2'],
      ['agree', '10.2.0.2', '172.16.0.9', 'fixtures/host-c.pcap', '', '2'],
      ['agree', '10.1.0.2', '172.16.0.2', 'fixtures/host-a.pcap', '', '4'],
      ['agree', '10.1.0.2', '172.16.0.2', 'fixtures/host-b.pcap', '', '2'],
      ['agree', '10.1.0.2', '172.16.0.2', 'fixtures/host-c.pcap', '', '2'],
    ]);
    expect(lines(r.stdout).slice(-4)).toEqual([
      '7 lookup records from the 3 captures: 5 agree, 2 differ, 0 wire only',
      'the captures disagree with the policy: 1 disagreement',
      '! CA 10.2.0.2 (VM blue-2) in VSID 4020644 (0x3D59A4) is behind PA 172.16.0.3 (in no lookup record or provider address of the policy) on the wire in ' +
        '2 frames (fixtures/host-a.pcap #1 to #3, 2013-07-19T10:00:00.000000Z to 2013-07-19T10:00:01.000000Z) and ' +
        '2 frames (fixtures/host-b.pcap #1 to #3, 2013-07-19T10:00:00.000000Z to 2013-07-19T10:00:01.000000Z); ' +
        'the policy says PA 172.16.0.9 (fixtures/policy/hosts-migrated.txt:17), seen on the wire in ' +
        '2 frames (fixtures/host-a.pcap #5 to #7, 2013-07-19T10:00:10.000000Z to 2013-07-19T10:00:11.000000Z) and ' +
        '2 frames (fixtures/host-c.pcap #1 to #3, 2013-07-19T10:00:10.000000Z to 2013-07-19T10:00:11.000000Z): ' +
        "a live migration from PA 172.16.0.3 to the policy's 172.16.0.9 between 2013-07-19T10:00:01.000000Z and 2013-07-19T10:00:10.000000Z",
      // The wire's own conflict names the captures too.
      '! CA 10.2.0.2 in VSID 4020644 (0x3D59A4) is behind 2 PAs: ' +
        '172.16.0.3 (fixtures/host-a.pcap, fixtures/host-b.pcap; last seen 2013-07-19T10:00:01.000000Z), ' +
        '172.16.0.9 (fixtures/host-a.pcap, fixtures/host-c.pcap; last seen 2013-07-19T10:00:11.000000Z): a live migration, or a stale lookup record',
    ]);
  });

  it('--json: each wire record starts with its "file", a disagreement\'s frames per capture', async () => {
    const r = await runCli(['--lookup', '--json', ...MIGRATED, ...HOSTS]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.records[0].wire)[0]).toBe('file');
    expect(j.records.map((x: { status: string; wire: { file: string; provider_address: string } }) => [x.status, x.wire.file, x.wire.provider_address])).toEqual([
      ['differ', 'fixtures/host-a.pcap', '172.16.0.3'],
      ['differ', 'fixtures/host-b.pcap', '172.16.0.3'],
      ['agree', 'fixtures/host-a.pcap', '172.16.0.9'],
      ['agree', 'fixtures/host-c.pcap', '172.16.0.9'],
      ['agree', 'fixtures/host-a.pcap', '172.16.0.2'],
      ['agree', 'fixtures/host-b.pcap', '172.16.0.2'],
      ['agree', 'fixtures/host-c.pcap', '172.16.0.2'],
    ]);
    expect(j.disagreements).toHaveLength(1);
    const d = j.disagreements[0];
    expect([d.kind, d.order, d.unknown_to_policy, d.frames, d.first_seen, d.last_seen, d.first_frame]).toEqual([
      'pa_differs',
      'moved_to_policy',
      true,
      4,
      '2013-07-19T10:00:00.000000Z',
      '2013-07-19T10:00:01.000000Z',
      undefined,
    ]);
    const frames = (c: { file: string; frames: number; first_frame: number; last_frame: number }[]) => c.map((x) => [x.file, x.frames, x.first_frame, x.last_frame]);
    expect(frames(d.captures)).toEqual([
      ['fixtures/host-a.pcap', 2, 1, 3],
      ['fixtures/host-b.pcap', 2, 1, 3],
    ]);
    expect([d.policy_seen.frames, d.policy_seen.first_seen, d.policy_seen.last_seen]).toEqual([4, '2013-07-19T10:00:10.000000Z', '2013-07-19T10:00:11.000000Z']);
    expect(frames(d.policy_seen.captures)).toEqual([
      ['fixtures/host-a.pcap', 2, 5, 7],
      ['fixtures/host-c.pcap', 2, 1, 3],
    ]);
  });

  it('a policy record is seen when any capture shows it: gre-nesting.pcap shows neither VM, host-c.pcap both', async () => {
    const alone = await runCli(['--lookup', ...MIGRATED, 'fixtures/gre-nesting.pcap']);
    expect(rows(alone.stdout).map((c) => [c[0], c[1]])).toEqual([
      ['Policy', 'CustomerAddress'],
      ['policy only', '10.1.0.2'],
      ['policy only', '10.2.0.2'],
    ]);
    const both = await runCli(['--lookup', ...MIGRATED, 'fixtures/gre-nesting.pcap', 'fixtures/host-c.pcap']);
    expect(both.code).toBe(0);
    expect(rows(both.stdout).map((c) => [c[0], c[1], c[5]])).toEqual([
      ['Policy', 'CustomerAddress', 'Capture'],
      ['agree', '10.2.0.2', 'fixtures/host-c.pcap'],
      ['agree', '10.1.0.2', 'fixtures/host-c.pcap'],
    ]);
    expect(lines(both.stdout).slice(-2)).toEqual(['2 lookup records from the 2 captures: 2 agree, 0 differ, 0 wire only', 'the captures agree with the policy']);
  });
});
