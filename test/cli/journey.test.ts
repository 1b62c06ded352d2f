// --journey through the CLI on fixtures/pktmon-seed.etl: the 4 pings of the seed at host A's VM
// NIC (9), vSwitch (31) and physical NIC (12), then a fifth request dropped at the vSwitch.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './spawn.js';

const SEED = 'fixtures/pktmon-seed.etl';
const VM_NIC = 'component 9 (Microsoft Hyper-V Network Adapter)';
const VSWITCH = 'component 31 (Virtual Switch Extension)';
const NIC = 'component 12 (Mellanox ConnectX-4 Lx Ethernet Adapter)';
const REQUEST_CA = 'CA 10.1.0.2 -> 10.2.0.2, ICMP';

/** Blocks of the text output: one per packet, separated by an empty line. */
const blocks = (stdout: string): string[] => stdout.split('\n\n');

describe('--journey: each pktmon packet through the host', () => {
  it('the first request: plain at the VM NIC and the vSwitch, NVGRE at the NIC, encapsulated between 31 and 12', async () => {
    const r = await runCli(['--journey', SEED]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // Appearances 12 and 25 ticks of 100 ns after the first (1.2345 µs apart in the fixture).
    expect(blocks(r.stdout)[0]).toBe(
      [
        'PktGroupId 562949953421313: 3 appearances from 2013-07-19T08:00:00.0000000Z',
        `  +0.0000000 s  frame 1  ${VM_NIC}, direction In: plain, ${REQUEST_CA}`,
        `  +0.0000012 s  frame 2  ${VSWITCH}, direction In: plain, ${REQUEST_CA}`,
        `  +0.0000025 s  frame 3  ${NIC}, direction Out: NVGRE, VSID 4020644 (0x3D59A4), PA 172.16.0.2 -> 172.16.0.3, ${REQUEST_CA}`,
        '  encapsulated between component 31 and 12',
        `  last seen at ${NIC}, +0.0000025 s`,
      ].join('\n'),
    );
    expect(blocks(r.stdout)[1]).toContain('  decapsulated between component 12 and 31\n');
    expect(blocks(r.stdout)[1]).toContain(`NVGRE, VSID 8793502 (0x862D9E), PA 172.16.0.3 -> 172.16.0.2, CA 10.2.0.2 -> 10.1.0.2, ICMP`);
  });

  it('the drop: where, why, and that it was last seen there; the closing tables count per component and reason', async () => {
    const r = await runCli(['--journey', SEED]);
    const b = blocks(r.stdout);
    expect(b).toHaveLength(10);
    expect(b[8]).toBe(
      [
        'PktGroupId 562949953421321: 2 appearances from 2013-07-19T08:00:04.0000000Z',
        `  +0.0000000 s  frame 25  ${VM_NIC}, direction In: plain, ${REQUEST_CA}`,
        `  +0.0000012 s  frame 26  ${VSWITCH}, direction In: dropped, plain, ${REQUEST_CA}`,
        `  ! dropped at ${VSWITCH}: drop reason Drop_InvalidDestMac (26), location 0xE0004A51`,
        `  last seen at ${VSWITCH}, +0.0000012 s, where it was dropped`,
      ].join('\n'),
    );
    const rows = b[9].split('\n').filter((l) => /^│ (\d|Drop_)/.test(l)).map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
    expect(rows).toEqual([
      ['9', 'Microsoft Hyper-V Network Adapter', '9', '9', '0'],
      ['12', 'Mellanox ConnectX-4 Lx Ethernet Adapter', '8', '8', '0'],
      ['31', 'Virtual Switch Extension', '9', '9', '1'],
      ['Drop_InvalidDestMac (26)', '1', '0xE0004A51', '31'],
    ]);
    expect(b[9].trimEnd().split('\n').at(-1)).toBe('9 packets, 26 appearances, 1 drop');
  });

  it('--json: one object, a packet per PktGroupId with its appearances, changes, drops and last sighting', async () => {
    const r = await runCli(['--journey', '--json', SEED]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(['packets', 'components', 'drop_reasons', 'totals']);
    expect(o.packets).toHaveLength(9);
    const first = o.packets[0];
    expect(first.pkt_group_id).toBe('562949953421313');
    expect(first.appearances[2]).toEqual({
      frame: 3,
      time: '2013-07-19T08:00:00.0000025Z',
      offset_ns: 2500,
      appearance: 3,
      component_id: 12,
      component: 'Mellanox ConnectX-4 Lx Ethernet Adapter',
      direction: 2,
      dropped: false,
      kind: 'nvgre',
      vsid: 4020644,
      vsid_hex: '0x3D59A4',
      flow_id: 0,
      provider_src: '172.16.0.2',
      provider_dst: '172.16.0.3',
      customer_src: '10.1.0.2',
      customer_dst: '10.2.0.2',
      protocol: 'icmp',
    });
    expect(first.changes).toEqual([{ kind: 'encapsulated', from_component_id: 31, to_component_id: 12, from_frame: 2, to_frame: 3 }]);
    expect(o.packets[8].drops).toEqual([
      { frame: 26, component_id: 31, component: 'Virtual Switch Extension', drop_reason: 26, drop_location: 0xe0004a51, drop_location_hex: '0xE0004A51' },
    ]);
    expect(o.packets[8].last_seen).toEqual({ frame: 26, component_id: 31, component: 'Virtual Switch Extension', offset_ns: 1200, dropped: true });
    expect(o.drop_reasons).toEqual([{ drop_reason: 26, drops: 1, drop_locations: [0xe0004a51], component_ids: [31] }]);
    expect(o.totals).toEqual({ packets: 9, appearances: 26, drops: 1, frames_without_group: 0, pktmon_groups_in_capture: 9 });
  });

  it('filters select packets: one NVGRE appearance brings in the plain ones of its packet', async () => {
    // --ca looks inside NVGRE only: the plain appearances do not match, their packet's NVGRE one does.
    const ca = await runCli(['--journey', '--ca', '10.2.0.2', '--vsid', '4020644', SEED]);
    expect(ca.code).toBe(0);
    const b = blocks(ca.stdout);
    expect(b.slice(0, 4).map((x) => x.split('\n').length)).toEqual([6, 6, 6, 6]);
    expect(b[3]).toContain('frame 19  ');
    expect(b[4].trimEnd().split('\n').at(-1)).toBe('4 packets, 12 appearances, 0 drops');
    // The fifth request (the dropped one) is seq 1 again.
    const seq1 = await runCli(['--journey', '--json', '-Y', 'icmp.seq == 1 && ip.src == 10.1.0.2', SEED]);
    expect(JSON.parse(seq1.stdout).packets.map((p: { pkt_group_id: string }) => p.pkt_group_id)).toEqual(['562949953421313', '562949953421321']);
    const none = await runCli(['--journey', '--vsid', '5', SEED]);
    expect([none.code, none.stdout]).toEqual([1, '0 packets, 0 appearances, 0 drops\n']);
  });

  it('a capture without pktmon metadata: one line, exit 0 (an empty view, as --lookup without NVGRE)', async () => {
    const line = 'no pktmon packet groups in the capture: --journey follows the PktGroupId pktmon logs with each appearance of a packet\n';
    expect(await runCli(['--journey', 'fixtures/seed-ping.pcap'])).toEqual({ code: 0, stdout: line, stderr: '' });
    expect(await runCli(['--journey', 'fixtures/ndis-seed.etl'])).toEqual({ code: 0, stdout: line, stderr: '' });
    const json = await runCli(['--journey', '--json', 'fixtures/seed-ping.pcap']);
    expect(JSON.parse(json.stdout).totals).toEqual({ packets: 0, appearances: 0, drops: 0, frames_without_group: 8, pktmon_groups_in_capture: 0 });
  });

  it('through a pipe the components named at the end are shown by id; --journey conflicts with the other views', async () => {
    const r = await runCli(['--journey', '-'], { input: readFileSync(`${ROOT}fixtures/pktmon-rundown.etl`) });
    expect(r.stdout.split('\n')[1]).toBe(`  +0.0000000 s  frame 1  component 9, direction In: plain, ${REQUEST_CA}`);
    for (const other of ['--stats', '--lookup', '-s', '-x']) {
      const c = await runCli(['--journey', other, SEED]);
      expect(c.code).toBe(2);
      expect(c.stderr).toMatch(/cannot be used with option '--journey'|option '--journey' cannot be used/);
    }
  });
});

describe('--stats and --lookup on a pktmon trace: a packet seen at several components counts once', () => {
  it('--stats: the totals say 26 frames are 9 packets; a Packets column next to Frames', async () => {
    const r = await runCli(['--stats', SEED]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'frames read: 26, shown: 26 (NVGRE: 8, other: 18), packets: 9 (a packet pktmon logged at several components counts once), warnings: 1, notes: 0',
    );
    expect(lines[1]).toMatch(/│ Frames │ Packets │ Bytes │/);
    const json = JSON.parse((await runCli(['--stats', '--json', SEED])).stdout);
    expect([json.totals.frames_shown, json.totals.packets_shown, json.vsids[0].packets]).toEqual([26, 9, 4]);
  });

  it('--lookup: the same in its closing line and JSON; a plain capture keeps its line', async () => {
    const r = await runCli(['--lookup', SEED]);
    expect(r.stdout).toContain(
      '2 lookup records from the capture (frames: 26, packets: 9; a packet pktmon logged at several components counts once)\n',
    );
    const json = JSON.parse((await runCli(['--lookup', '--json', SEED])).stdout);
    expect([json.frames, json.packets, json.records[0].packets]).toEqual([26, 9, 4]);
    const plain = await runCli(['--lookup', 'fixtures/seed-ping.pcap']);
    expect(plain.stdout).toContain('\n2 lookup records from the capture\n');
    expect(plain.stdout).not.toContain('Packets');
  });

  it('two traces (two hosts number their packets alike): their PktGroupIds are apart', async () => {
    // pktmon-compressed.etl holds the same events as pktmon-seed.etl, PktGroupIds included.
    const two = [SEED, 'fixtures/pktmon-compressed.etl'];
    expect((await runCli(['--stats', ...two])).stdout).toContain('frames read: 52, shown: 52 (NVGRE: 16, other: 36), packets: 18 (');
    expect((await runCli(['--lookup', ...two])).stdout).toContain('(frames: 52, packets: 18; ');
    const journey = (await runCli(['--journey', ...two])).stdout;
    expect(journey.trimEnd().split('\n').at(-1)).toBe('18 packets, 52 appearances, 2 drops');
    // Each block says which trace it is from, as summary lines do with several captures.
    expect(journey.split('\n').filter((l) => l.includes('PktGroupId 562949953421313:'))).toEqual([
      'fixtures/pktmon-seed.etl: PktGroupId 562949953421313: 3 appearances from 2013-07-19T08:00:00.0000000Z',
      'fixtures/pktmon-compressed.etl: PktGroupId 562949953421313: 3 appearances from 2013-07-19T08:00:00.0000000Z',
    ]);
    const json = JSON.parse((await runCli(['--journey', '--json', ...two])).stdout);
    expect([json.packets[0].file, json.packets[9].file, json.packets.length]).toEqual([SEED, 'fixtures/pktmon-compressed.etl', 18]);
  });
});
