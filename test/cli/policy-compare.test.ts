// Issue 15 points 2 and 3: a policy's names in every output, and --lookup --policy holding the wire
// against the policy. The values are the seed exchange's, by hand: VM blue-1 (10.1.0.2, VSID
// 8793502, 00:1d:d8:b7:1c:02) on host 172.16.0.2, blue-2 (10.2.0.2, VSID 4020644, 00:1d:d8:b7:1c:03)
// on 172.16.0.3; fixtures/policy/seed-stale.txt puts blue-2 behind 172.16.0.9 instead.
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const AGREE = ['--policy', 'fixtures/policy/seed-agree.txt'];
const STALE = ['--policy', 'fixtures/policy/seed-stale.txt'];
const ROUTES = ['--policy', 'fixtures/policy/seed-routes.csv'];
const RD = '{5f0b3a44-0c7e-4d2b-9b1a-6a2f3c1d0e01}';

const rows = (stdout: string): string[][] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));

describe('--lookup --policy: the wire held against the policy', () => {
  it('the agreeing policy: both records agree, exit 0', async () => {
    const r = await runCli(['--lookup', ...AGREE, SEED]);
    expect(r.code).toBe(0);
    expect(rows(r.stdout).map((c) => c.slice(0, 8))).toEqual([
      ['Policy', 'CustomerAddress', 'VirtualSubnetID', 'MACAddress', 'ProviderAddress', 'VMName', 'Policy says', 'Frames'],
      ['agree', '10.2.0.2', '4020644 (0x3D59A4)', '00:1d:d8:b7:1c:03', '172.16.0.3', 'blue-2', '', '4'],
      ['agree', '10.1.0.2', '8793502 (0x862D9E)', '00:1d:d8:b7:1c:02', '172.16.0.2', 'blue-1', '', '4'],
    ]);
    expect(r.stdout).toContain('2 lookup records from the capture: 2 agree, 0 differ, 0 wire only\nthe capture agrees with the policy\n');
  });

  it('the agreeing policy in JSON: agrees, both records agree', async () => {
    const r = await runCli(['--lookup', '--json', ...AGREE, SEED]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.agrees).toBe(true);
    expect(j.disagreements).toEqual([]);
    expect(j.records.map((x: { status: string; policy: { vm_name: string } }) => [x.status, x.policy.vm_name])).toEqual([
      ['agree', 'blue-2'],
      ['agree', 'blue-1'],
    ]);
  });

  it('the stale policy: names the CA and both PAs, exit 1', async () => {
    const r = await runCli(['--lookup', ...STALE, SEED]);
    expect(r.code).toBe(1);
    expect(rows(r.stdout)[1].slice(0, 7)).toEqual(['differ', '10.2.0.2', '4020644 (0x3D59A4)', '00:1d:d8:b7:1c:03', '172.16.0.3', 'blue-2', 'PA 172.16.0.9']);
    expect(r.stdout).toContain(
      '! CA 10.2.0.2 (VM blue-2) in VSID 4020644 (0x3D59A4) is behind PA 172.16.0.3 (in no lookup record or provider address of the policy) ' +
        'on the wire in 4 frames (#1 to #7, 2013-07-19T08:00:00.000000Z to 2013-07-19T08:00:03.000000Z); the policy says PA 172.16.0.9 ' +
        '(fixtures/policy/seed-stale.txt:17), never seen on the wire',
    );
  });

  it('one fault, one line: the stale PA unknown to the policy, the wrong VSID unknown to it, each folded into its disagreement', async () => {
    const stale = await runCli(['--lookup', ...STALE, SEED]);
    expect(stale.stdout).toContain('the capture disagrees with the policy: 1 disagreement\n');
    expect(stale.stdout).not.toContain('! PA 172.16.0.3 is on the wire');
    const wrong = await runCli(['--lookup', '--json', '--policy', 'fixtures/policy/seed-wrong-vsid.txt', SEED]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).disagreements.map((d: { kind: string; vsid: number; unknown_to_policy: boolean }) => [d.kind, d.vsid, d.unknown_to_policy])).toEqual([
      ['vsid_differs', 4020644, true],
    ]);
  });

  it('the stale policy in JSON: the same, exit 1', async () => {
    const r = await runCli(['--lookup', '--json', ...STALE, SEED]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.agrees).toBe(false);
    const d = j.disagreements[0];
    expect([d.kind, d.customer_address, d.provider_address, d.policy[0].provider_address]).toEqual(['pa_differs', '10.2.0.2', '172.16.0.3', '172.16.0.9']);
    expect([d.frames, d.first_frame, d.last_frame, d.first_seen, d.last_seen, d.policy_seen]).toEqual([
      4,
      1,
      7,
      '2013-07-19T08:00:00.000000Z',
      '2013-07-19T08:00:03.000000Z',
      null,
    ]);
    expect(j.records[0]).toMatchObject({ status: 'differ', differs: ['pa_differs'] });
  });

  it('-q: the exit status alone answers "does the capture match the policy"', async () => {
    expect(await runCli(['-q', '--lookup', ...STALE, SEED])).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(await runCli(['-q', '--lookup', ...AGREE, SEED])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('tenant isolation: a frame from routing domain A into a VSID of domain B', async () => {
    const r = await runCli(['--lookup', ...AGREE, '--policy', 'fixtures/policy/conflicts-routes.txt', 'fixtures/lookup-conflicts.pcap']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `! tenant isolation: CA 10.2.0.2 (VM blue-2) of routing domain ${RD} sends to CA 10.9.0.2 in VSID 5000000 (0x4C4B40) ` +
        'of routing domain {c3d2e1f0-7a6b-4c5d-8e9f-0a1b2c3d4e02} in 1 frame (#5, 2013-07-19T10:00:02.000000Z): HNV must never carry it',
    );
  });

  it('a live migration: the policy\'s PA seen first, the new one after, each with its frames', async () => {
    const r = await runCli(['--lookup', ...AGREE, 'fixtures/ca-moved.pcap']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'is behind PA 172.16.0.9 (in no lookup record or provider address of the policy) on the wire in 2 frames ' +
        '(#5 to #7, 2013-07-19T10:00:10.000000Z to 2013-07-19T10:00:11.000000Z); the policy says PA 172.16.0.3 ' +
        '(fixtures/policy/seed-agree.txt:17), seen on the wire in 2 frames (#1 to #3, 2013-07-19T10:00:00.000000Z to 2013-07-19T10:00:01.000000Z): ' +
        "a live migration from the policy's PA 172.16.0.3 to 172.16.0.9 between 2013-07-19T10:00:01.000000Z and 2013-07-19T10:00:10.000000Z, " +
        'which the policy does not have (stale, or not delivered)\n',
    );
  });
});

describe('a policy\'s names in the tree, the summary, JSON, -Y, --vm and --stats', () => {
  it('the tree: each tenant address with its VM, the NVGRE node with the names', async () => {
    const r = await runCli([...AGREE, ...ROUTES, '-c', '1', SEED]);
    expect(r.stdout).toContain(
      `      FlowID: 0\n      Source VM: blue-1\n      Destination VM: blue-2\n      Routing Domain: ${RD}\n`,
    );
    expect(r.stdout).toContain('      IPv4: 10.1.0.2 (VM blue-1) -> 10.2.0.2 (VM blue-2), ICMP (1)\n');
    // The provider header is not a tenant's: no VM after its addresses.
    expect(r.stdout).toContain('  IPv4: 172.16.0.2 -> 172.16.0.3, GRE (47)\n');
  });

  it('the summary: the names as words, under their JSON names', async () => {
    const r = await runCli([...AGREE, ...ROUTES, '-s', '-c', '2', SEED]);
    expect(r.stdout.split('\n')[1]).toBe(
      `2 2013-07-19T08:00:00.000512Z 172.16.0.3 -> 172.16.0.2 vsid=8793502 (0x862D9E) flow=0 rdid=${RD} vm_src=blue-2 vm_dst=blue-1 ` +
        '10.2.0.2 -> 10.1.0.2 ICMP Echo (ping) reply id=1 seq=1 len=116',
    );
  });

  it('JSON: nvgre.vm_src, nvgre.vm_dst, nvgre.rdid on the NVGRE layer; none without a policy', async () => {
    const nvgre = async (args: string[]) => JSON.parse((await runCli([...args, '--json', '-c', '1', SEED])).stdout).layers.find((l: { proto: string }) => l.proto === 'nvgre').fields;
    expect(await nvgre([...AGREE, ...ROUTES])).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0, 'nvgre.vm_src': 'blue-1', 'nvgre.vm_dst': 'blue-2', 'nvgre.rdid': RD });
    expect(await nvgre([])).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 });
  });

  it('-Y on the names', async () => {
    const r = await runCli([...AGREE, '-Y', 'nvgre.vm_dst == "blue-2"', '-T', 'fields', '-e', 'frame.number', '-e', 'nvgre.vm_src', SEED]);
    expect(r.stdout).toBe('1\tblue-1\n3\tblue-1\n5\tblue-1\n7\tblue-1\n');
  });

  it('--vm: a VM\'s frames, from or to it; repeated, any of them', async () => {
    const numbers = async (vms: string[]) => {
      const r = await runCli([...AGREE, ...vms.flatMap((v) => ['--vm', v]), '-T', 'fields', '-e', 'frame.number', 'fixtures/lookup-conflicts.pcap']);
      return [r.code, r.stdout.split('\n').filter((l) => l !== '').map(Number)];
    };
    // Frames 5 and 6 are between blue-2 and 10.9.0.2, which the policy does not name.
    expect(await numbers(['blue-1'])).toEqual([0, [1, 2, 3, 4]]);
    expect(await numbers(['nobody', 'blue-2'])).toEqual([0, [1, 2, 3, 4, 5, 6]]);
    expect(await numbers(['nobody'])).toEqual([1, []]);
  });

  it('--vm without --policy: a usage error', async () => {
    const r = await runCli(['--vm', 'blue-1', SEED]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('nvgre-dissect: --vm selects by the VM names a policy gives: add --policy FILE (an export of Get-NetVirtualizationLookupRecord with VMName)');
  });

  it('--stats: each VSID row with its VMs and routing domain', async () => {
    const r = await runCli([...AGREE, ...ROUTES, '--stats', '--json', SEED]);
    const j = JSON.parse(r.stdout);
    expect(j.vsids.map((v: { vsid: number; vms: string[]; rdid: string }) => [v.vsid, v.vms, v.rdid])).toEqual([
      [4020644, ['blue-1', 'blue-2'], RD],
      [8793502, ['blue-1', 'blue-2'], RD],
    ]);
    const text = await runCli([...AGREE, '--stats', SEED]);
    expect(rows(text.stdout)[1]).toContain('blue-1, blue-2');
  });
});
