// What pktmon and NDIS-PacketCapture logged with each packet, in every mode: the `pktmon` and
// `ndis` layers. Values written from fixtures/etl.ts (the seed exchange on host A: components 9
// the VM's NIC, 31 the vSwitch, 12 the physical NIC; PktGroupIds from 562949953421313; the fifth
// request dropped at the vSwitch with reason 26, location 0xE0004A51).
import { describe, expect, it } from 'vitest';
import { etlTrace, Le, PKTMON } from '../../fixtures/lib/etl.js';
import { runCli } from './spawn.js';

const SEED = 'fixtures/pktmon-seed.etl';
const NDIS_SEED = 'fixtures/ndis-seed.etl';
const DROP_MESSAGE = 'dropped at component 31 (Virtual Switch Extension): reason Drop_InvalidDestMac (26), location 0xe0004a51';

interface JsonLine {
  frame: { number: number };
  layers: { proto: string; fields: Record<string, unknown> }[];
  warnings: { proto: string; code: string; severity: string; message: string }[];
}
const parse = (stdout: string): JsonLine[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as JsonLine);

describe('pktmon metadata', () => {
  it('tree: a PktMon node before the link layer; the drop a warning of its own, naming component, reason and location', async () => {
    const r = await runCli(['-c', '26', SEED]);
    expect(r.code).toBe(0);
    const frame26 = r.stdout.slice(r.stdout.indexOf('Frame 26:'));
    expect(frame26.split('\n').slice(1, 20)).toEqual([
      '  PktMon: dropped at component 31, appearance 2 of PktGroupId 562949953421321',
      '    PktGroupId: 562949953421321',
      '    PktNumber: 1',
      '    Appearance: 2',
      '    Component: 31',
      '    Component Name: Virtual Switch Extension',
      '    Component Description: HNV-Switch',
      '    Direction: In (1)',
      '    Edge: 1',
      '    Filter: 0',
      '    Packet Type: Ethernet (1)',
      '    Dropped: Yes',
      '    Drop Reason: Drop_InvalidDestMac (26)',
      '    Drop Location: 0xe0004a51',
      '    Original Size: 74 bytes',
      '    Logged Size: 74 bytes',
      `    ! warn pktmon.drop: ${DROP_MESSAGE}`,
      '  Ethernet II: 00:1d:d8:b7:1c:02 -> 00:1d:d8:b7:1c:03, IPv4 (0x0800)',
      '    Destination: 00:1d:d8:b7:1c:03',
    ]);
    // A packet seen, not dropped: no reason, no location, no warning.
    const frame3 = r.stdout.slice(r.stdout.indexOf('Frame 3:'), r.stdout.indexOf('Frame 4:'));
    expect(frame3).toContain('\n  PktMon: component 12, appearance 3 of PktGroupId 562949953421313\n');
    expect(frame3).toContain('\n    Component Name: Mellanox ConnectX-4 Lx Ethernet Adapter\n    Component Description: host A\n    Direction: Out (2)\n');
    expect(frame3).not.toContain('Drop');
  });

  it('summary: pkt=group/appearance comp=id after the time, drop=reason and !pktmon.drop on the drop', async () => {
    const r = await runCli(['-s', SEED]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('1 2013-07-19T08:00:00.0000000Z pkt=562949953421313/1 comp=9 10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=74');
    expect(lines[2]).toMatch(/^3 2013-07-19T08:00:00.0000025Z pkt=562949953421313\/3 comp=12 172.16.0.2 -> 172.16.0.3 vsid=4020644 /);
    expect(lines[25]).toBe('26 2013-07-19T08:00:04.0000012Z pkt=562949953421321/2 comp=31 drop=26 10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=74 !pktmon.drop');
  });

  it('JSON: a pktmon layer first, with stable field names; the drop in warnings', async () => {
    const lines = parse((await runCli(['--json', SEED])).stdout);
    expect(lines).toHaveLength(26);
    expect(lines.every((l) => l.layers[0].proto === 'pktmon' && l.layers[1].proto === 'eth')).toBe(true);
    expect(lines[25].layers[0].fields).toEqual({
      'pktmon.pkt_group_id': 562949953421321,
      'pktmon.pkt_number': 1,
      'pktmon.appearance': 2,
      'pktmon.component_id': 31,
      'pktmon.component': 'Virtual Switch Extension',
      'pktmon.component_description': 'HNV-Switch',
      'pktmon.direction': 1,
      'pktmon.edge_id': 1,
      'pktmon.filter_id': 0,
      'pktmon.packet_type': 1,
      'pktmon.dropped': 1,
      'pktmon.drop_reason': 26,
      'pktmon.drop_location': 0xe0004a51,
      'pktmon.original_size': 74,
      'pktmon.logged_size': 74,
    });
    expect(lines[25].warnings).toEqual([{ proto: 'pktmon', code: 'pktmon.drop', severity: 'warn', message: DROP_MESSAGE }]);
    expect(lines.slice(0, 25).every((l) => l.warnings.length === 0 && !('pktmon.drop_reason' in l.layers[0].fields))).toBe(true);
  });

  it('-Y: the drop by its reason, the vSwitch appearances by component id, a packet by its PktGroupId', async () => {
    const frames = async (filter: string): Promise<number[]> => parse((await runCli(['--json', '-Y', filter, SEED])).stdout).map((l) => l.frame.number);
    expect(await frames('pktmon.drop_reason')).toEqual([26]);
    expect(await frames('pktmon.drop_reason == 26 && pktmon.drop_location == 0xe0004a51')).toEqual([26]);
    // The second appearance of each of the 9 packets is at the vSwitch.
    expect(await frames('pktmon.component_id == 31')).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26]);
    expect(await frames('pktmon.pkt_group_id == 562949953421314')).toEqual([4, 5, 6]);
    expect(await frames('pktmon.appearance == 3 && nvgre')).toEqual([3, 9, 15, 21]);
    expect(await frames('pktmon.component')).toHaveLength(26);
  });

  it('-Y: a text field compares as a string, and takes contains', async () => {
    const at = async (filter: string): Promise<string[]> => (await runCli(['-s', '-Y', filter, SEED])).stdout.trimEnd().split('\n').map((l) => l.split(' ')[0]);
    const vswitch = await at('pktmon.component == "Virtual Switch Extension"');
    expect(vswitch).toEqual(await at('pktmon.component_id == 31'));
    expect(vswitch.length).toBeGreaterThan(0);
    expect(await at('pktmon.component contains "Switch"')).toEqual(vswitch);
  });
});

describe('a PktGroupId past 2^53 stays exact', () => {
  // Three packets whose ids a double cannot tell apart: 2^53, 2^53 + 1, and the largest u64.
  const ids = [9_007_199_254_740_992n, 9_007_199_254_740_993n, 18_446_744_073_709_551_615n];
  const payload = new Uint8Array(60).fill(0xaa);
  const user = (group: bigint): Uint8Array =>
    new Le().u64(group).u16(1).u16(1).u16(1).u16(1).u16(5).u16(1).u16(0).u32(0).u32(0).u16(60).u16(60).bytes(payload).finish();
  const ts0 = 130_186_944_000_000_000n;
  const trace = etlTrace(
    ids.map((id, i) => ({ provider: PKTMON, id: 160, ts: ts0 + BigInt(i), user: user(id) })),
    { clock: 2, startTime: ts0, ts0, pointerSize: 8, bufferSize: 4096, loggerName: 't' },
  );

  it('JSON: a string of its digits (a number up to 2^53 - 1); the tree and the summary show the digits', async () => {
    const json = await runCli(['--json', '-'], { input: trace });
    expect(json.code).toBe(0);
    // The raw text, not a parsed double: 9007199254740993 would read back as ...992.
    expect(json.stdout.match(/"pktmon.pkt_group_id":[^,]+/g)).toEqual([
      '"pktmon.pkt_group_id":"9007199254740992"',
      '"pktmon.pkt_group_id":"9007199254740993"',
      '"pktmon.pkt_group_id":"18446744073709551615"',
    ]);
    const summary = await runCli(['-s', '-'], { input: trace });
    expect(summary.stdout.match(/pkt=\S+/g)).toEqual(['pkt=9007199254740992/1', 'pkt=9007199254740993/1', 'pkt=18446744073709551615/1']);
    const tree = await runCli(['-'], { input: trace });
    expect(tree.stdout).toContain('\n    PktGroupId: 18446744073709551615\n');
  });

  it('-Y compares it exactly', async () => {
    const frames = async (filter: string): Promise<string> => (await runCli(['-s', '-Y', filter, '-'], { input: trace })).stdout.replace(/ 20\S+ /g, ' ').replace(/ comp=.*$/gm, '');
    expect(await frames('pktmon.pkt_group_id == 9007199254740993')).toBe('2 pkt=9007199254740993/1\n');
    expect(await frames('pktmon.pkt_group_id == 18446744073709551615')).toBe('3 pkt=18446744073709551615/1\n');
    expect(await frames('pktmon.pkt_group_id > 9007199254740992')).toBe('2 pkt=9007199254740993/1\n3 pkt=18446744073709551615/1\n');
    expect(await frames('pktmon.pkt_group_id != 9007199254740992')).toBe('2 pkt=9007199254740993/1\n3 pkt=18446744073709551615/1\n');
  });
});

describe('NDIS-PacketCapture metadata', () => {
  it('JSON: an ndis layer first; the 1003 event with its vSwitch port, NIC and VLAN', async () => {
    const lines = parse((await runCli(['--json', NDIS_SEED])).stdout);
    expect(lines[0].layers[0]).toEqual({
      proto: 'ndis',
      fields: { 'ndis.event_id': 1001, 'ndis.if_index': 12, 'ndis.lower_if_index': 12, 'ndis.direction': 1, 'ndis.events': 1 },
    });
    expect(lines[1].layers[0].fields).toEqual({
      'ndis.event_id': 1003,
      'ndis.if_index': 12,
      'ndis.lower_if_index': 12,
      'ndis.direction': 2,
      'ndis.events': 1,
      'ndis.port_id': 3,
      'ndis.port_name': '4D2B6E1A-vm1-port',
      'ndis.nic_name': 'vm1',
      'ndis.nic_type': 'Synthetic',
      'ndis.destination_count': 1,
      'ndis.vlan': 7,
      'ndis.user_priority': 5,
    });
    // The packet joined from two events (PacketStart, then PacketEnd).
    expect(lines[2].layers[0].fields['ndis.events']).toBe(2);
  });

  it('summary, tree and -Y', async () => {
    const s = (await runCli(['-s', '-c', '2', NDIS_SEED])).stdout.split('\n');
    expect(s[0]).toMatch(/^1 2013-07-19T08:00:00.0000000Z if=12 send 172.16.0.2 -> 172.16.0.3 vsid=4020644 /);
    expect(s[1]).toMatch(/^2 2013-07-19T08:00:00.0005120Z if=12 receive port=3 vlan=7 172.16.0.3 -> 172.16.0.2 vsid=8793502 /);
    const tree = (await runCli(['-c', '2', NDIS_SEED])).stdout;
    expect(tree).toContain(
      '\n  NDIS-PacketCapture: received on interface 12, vSwitch port 3\n    Event: VMSwitch packet fragment (1003)\n    Miniport Interface: 12\n    Lower Interface: 12\n    Direction: Receive (2)\n    Events Joined: 1\n    vSwitch Port: 3\n    Port Name: 4D2B6E1A-vm1-port\n    NIC Name: vm1\n    NIC Type: Synthetic\n    Destinations: 1\n    VLAN: 7\n    User Priority: 5\n',
    );
    const y = await runCli(['-s', '-Y', 'ndis.vlan == 7 || ndis.events == 2', NDIS_SEED]);
    expect(y.stdout.trimEnd().split('\n').map((l) => l.split(' ')[0])).toEqual(['2', '3']);
  });
});

describe('frames of other formats carry no ETW layer', () => {
  it('-Y pktmon and -Y ndis match nothing in a pcap (exit 1, as any filter that matches nothing)', async () => {
    for (const filter of ['pktmon', 'ndis']) {
      const r = await runCli(['-s', '-Y', filter, 'fixtures/seed-ping.pcap']);
      expect([r.stdout, r.code]).toEqual(['', 1]);
    }
  });
});

describe("a component's name is the trace's text: escaped wherever it is shown", () => {
  // Component 5 named with an escape sequence and a bidi override, then a drop there.
  const name = 'evil\u001b[2J\u202ename';
  const wstr = (s: string): Uint8Array => new Le().wstr(s).finish();
  const ts0 = 130_186_944_000_000_000n;
  const drop = new Le().u64(7n).u16(1).u16(1).u16(1).u16(1).u16(5).u16(1).u16(0).u32(26).u32(1).u16(60).u16(60).bytes(new Uint8Array(60)).finish();
  const trace = etlTrace(
    [
      { provider: PKTMON, id: 20, ts: ts0, user: new Le().u16(5).u16(1).bytes(wstr(name)).bytes(wstr('d')).finish() },
      { provider: PKTMON, id: 170, ts: ts0 + 1n, user: drop },
    ],
    { clock: 2, startTime: ts0, ts0, pointerSize: 8, bufferSize: 4096, loggerName: 't' },
  );

  it('tree: the field and the warning message; JSON: valid, with the escapes', async () => {
    const tree = (await runCli(['-'], { input: trace })).stdout;
    expect(tree).toContain('\n    Component Name: evil\\x1b[2J\\u202ename\n');
    expect(tree).toContain('! warn pktmon.drop: dropped at component 5 (evil\\x1b[2J\\u202ename): reason Drop_InvalidDestMac (26), location 0x00000001\n');
    expect(tree).not.toMatch(/[\u001b\u202e]/);
    const json = (await runCli(['--json', '-'], { input: trace })).stdout;
    expect(json).not.toMatch(/[\u001b\u202e]/);
    const line = parse(json)[0];
    expect(line.layers[0].fields['pktmon.component']).toBe(name);
    expect(line.warnings[0].message).toBe(`dropped at component 5 (${name}): reason Drop_InvalidDestMac (26), location 0x00000001`);
  });
});

describe('pktmon direction tags by name', () => {
  // PKTMON_DIRECTION_TAG in Microsoft's Packet Monitor API reference (PacketMonitorCreateRealtimeStream):
  // 0 Unspecified, 1 In, 2 Out, 3 Rx, 4 Tx, 5 Ingress, 6 Egress; 7 is not named there.
  const tags = [0, 3, 4, 5, 6, 7];
  const ts0 = 130_186_944_000_000_000n;
  const user = (tag: number): Uint8Array =>
    new Le().u64(1n).u16(1).u16(1).u16(tag).u16(1).u16(5).u16(1).u16(0).u32(0).u32(0).u16(60).u16(60).bytes(new Uint8Array(60)).finish();
  const trace = etlTrace(
    tags.map((tag, i) => ({ provider: PKTMON, id: 160, ts: ts0 + BigInt(i), user: user(tag) })),
    { clock: 2, startTime: ts0, ts0, pointerSize: 8, bufferSize: 4096, loggerName: 't' },
  );

  it('the frame line and the Direction field name each tag; one not named shows as its number; JSON keeps the number', async () => {
    const tree = (await runCli(['-'], { input: trace })).stdout;
    expect(tree.split('\n').filter((l) => l.startsWith('Frame ')).map((l) => /direction (\w+)/.exec(l)?.[1])).toEqual(['Unspecified', 'Rx', 'Tx', 'Ingress', 'Egress', '7']);
    expect(tree.match(/ {4}Direction: .*/g)).toEqual([
      '    Direction: Unspecified (0)',
      '    Direction: Rx (3)',
      '    Direction: Tx (4)',
      '    Direction: Ingress (5)',
      '    Direction: Egress (6)',
      '    Direction: 7',
    ]);
    const json = parse((await runCli(['--json', '-'], { input: trace })).stdout);
    expect(json.map((l) => l.layers[0].fields['pktmon.direction'])).toEqual(tags);
    const journey = (await runCli(['--journey', '-'], { input: trace })).stdout;
    expect(journey.split('\n').filter((l) => l.includes(' frame ')).map((l) => /direction (\w+):/.exec(l)?.[1])).toEqual(['Unspecified', 'Rx', 'Tx', 'Ingress', 'Egress', '7']);
  });
});
