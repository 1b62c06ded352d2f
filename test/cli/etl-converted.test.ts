// A pktmon trace converted by microsoft/etl2pcapng: fixtures/pktmon-seed.etl2pcapng.pcapng is
// fixtures/pktmon-seed.etl (and its NICs' addresses) as etl2pcapng writes it (fixtures/lib/etl2pcapng.ts).
// What the converted file keeps (the PktGroupIds, the drop, the components' names as interfaces)
// must read as from the .etl; what it does not keep (component ids, appearances, DirTags, the
// drop's reason and location) is absent, not guessed. Interfaces by etl2pcapng's sort on the
// component id: 0 the VM's NIC (9), 1 the physical NIC (12), 2 the vSwitch (31).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTshark, runCli } from './spawn.js';

const ETL = 'fixtures/pktmon-seed.etl';
const CONVERTED = 'fixtures/pktmon-seed.etl2pcapng.pcapng';
const INTERFACE_OF: Record<number, number> = { 9: 0, 12: 1, 31: 2 };

type Fields = Record<string, unknown>;
interface JsonLine {
  layers: { proto: string; fields: Fields }[];
  warnings: { code: string; severity: string; message: string }[];
}
const json = async (file: string, ...args: string[]): Promise<JsonLine[]> =>
  (await runCli(['--json', ...args, file])).stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as JsonLine);
const pick = (f: Fields, keys: string[]): Fields => Object.fromEntries(keys.filter((k) => k in f).map((k) => [k, f[k]]));
const KEPT = ['pktmon.pkt_group_id', 'pktmon.component', 'pktmon.component_description', 'pktmon.dropped'];

describe('a pktmon trace converted by etl2pcapng', () => {
  it('each frame: the pktmon fields the file keeps equal the .etl frame\'s; the interface stands for the component', async () => {
    const [etl, converted] = await Promise.all([json(ETL), json(CONVERTED)]);
    expect(converted).toHaveLength(26);
    converted.forEach((c, i) => {
      const e = etl[i].layers[0].fields;
      expect(c.layers[0].proto).toBe('pktmon');
      expect(pick(c.layers[0].fields, KEPT)).toEqual(pick(e, KEPT));
      expect(c.layers[0].fields['pktmon.interface_id']).toBe(INTERFACE_OF[e['pktmon.component_id'] as number]);
      // Not in the file: not shown.
      for (const k of ['pktmon.component_id', 'pktmon.appearance', 'pktmon.direction', 'pktmon.drop_reason', 'pktmon.drop_location']) expect(c.layers[0].fields).not.toHaveProperty(k);
      // The frames themselves are the same; etl2pcapng's clock is microseconds.
      expect(c.layers.slice(1)).toEqual(etl[i].layers.slice(1));
    });
    // if_MACaddr: event 70's address of the VM's NIC (fixtures/lib/hnv.ts vm1), on its interface only.
    expect(converted[0].layers[0].fields['pktmon.component_address']).toBe('00:1d:d8:b7:1c:02');
    expect(converted[1].layers[0].fields).not.toHaveProperty('pktmon.component_address');
    expect(converted[25].warnings).toEqual([
      { proto: 'pktmon', code: 'pktmon.drop', severity: 'warn', message: 'dropped at interface 2 (Virtual Switch Extension): the converted file keeps no drop reason or location' },
    ]);
  });

  it('tree, summary and -Y: where the packet was seen, its PktGroupId, the drop', async () => {
    const tree = (await runCli(['-c', '1', CONVERTED])).stdout.split('\n');
    expect(tree.slice(0, 7)).toEqual([
      'Frame 1: 2013-07-19T08:00:00.000000Z, 74 bytes on wire, 74 captured, at interface 0 (Microsoft Hyper-V Network Adapter), PktGroupId 562949953421313',
      '  PktMon: interface 0, PktGroupId 562949953421313',
      '    PktGroupId: 562949953421313',
      '    Interface: 0',
      '    Component Name: Microsoft Hyper-V Network Adapter',
      '    Component Description: vm1 (blue)',
      '    Component Address: 00:1d:d8:b7:1c:02',
    ]);
    const summary = (await runCli(['-s', CONVERTED])).stdout.trimEnd().split('\n');
    expect(summary[2]).toMatch(/^3 2013-07-19T08:00:00.000002Z pkt=562949953421313 if=1 172.16.0.2 -> 172.16.0.3 vsid=4020644 /);
    expect(summary[25]).toBe('26 2013-07-19T08:00:04.000001Z pkt=562949953421321 if=2 dropped 10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=74 !pktmon.drop');
    const numbers = async (file: string, filter: string): Promise<string[]> =>
      (await runCli(['-s', '-Y', filter, file])).stdout.trimEnd().split('\n').map((l) => l.split(' ')[0]);
    const filters = ['pktmon.dropped', 'pktmon.pkt_group_id == 562949953421321', 'pktmon.component contains "Switch"'];
    const [fromConverted, fromEtl] = await Promise.all([CONVERTED, ETL].map((file) => Promise.all(filters.map((f) => numbers(file, f)))));
    expect(fromConverted).toEqual(fromEtl);
    expect(fromConverted[0]).toEqual(['26']);
    expect(await numbers(CONVERTED, 'pktmon.interface_id == 1')).toEqual(['3', '4', '9', '10', '15', '16', '21', '22']);
  });

  it('--journey: the same packets, paths, shapes, encapsulations and drop as from the .etl, by interface', async () => {
    interface Packet {
      pkt_group_id: string;
      appearances: Fields[];
      changes: Fields[];
      drops: Fields[];
      last_seen: Fields;
    }
    const journey = async (file: string): Promise<{ packets: Packet[]; totals: Fields }> => JSON.parse((await runCli(['--journey', '--json', file])).stdout);
    const [etl, converted] = await Promise.all([journey(ETL), journey(CONVERTED)]);
    expect(converted.totals).toEqual(etl.totals);
    const SHAPE = ['frame', 'component', 'dropped', 'kind', 'vsid', 'provider_src', 'provider_dst', 'customer_src', 'customer_dst', 'protocol'];
    converted.packets.forEach((c, i) => {
      const e = etl.packets[i];
      expect(c.pkt_group_id).toBe(e.pkt_group_id);
      expect(c.appearances.map((a) => pick(a, SHAPE))).toEqual(e.appearances.map((a) => pick(a, SHAPE)));
      expect(c.appearances.map((a) => a.interface_id)).toEqual(e.appearances.map((a) => INTERFACE_OF[a.component_id as number]));
      expect(c.changes.map((ch) => [ch.kind, ch.from_frame, ch.to_frame])).toEqual(e.changes.map((ch) => [ch.kind, ch.from_frame, ch.to_frame]));
      expect(c.drops.map((d) => d.frame)).toEqual(e.drops.map((d) => d.frame));
      expect(c.last_seen.frame).toBe(e.last_seen.frame);
    });
    const text = (await runCli(['--journey', CONVERTED])).stdout.split('\n\n');
    expect(text[0].split('\n')).toEqual([
      'PktGroupId 562949953421313: 3 appearances from 2013-07-19T08:00:00.000000Z',
      '  +0.000000 s  frame 1  interface 0 (Microsoft Hyper-V Network Adapter): plain, CA 10.1.0.2 -> 10.2.0.2, ICMP',
      '  +0.000001 s  frame 2  interface 2 (Virtual Switch Extension): plain, CA 10.1.0.2 -> 10.2.0.2, ICMP',
      '  +0.000002 s  frame 3  interface 1 (Mellanox ConnectX-4 Lx Ethernet Adapter): NVGRE, VSID 4020644 (0x3D59A4), PA 172.16.0.2 -> 172.16.0.3, CA 10.1.0.2 -> 10.2.0.2, ICMP',
      '  encapsulated between interface 2 and 1',
      '  last seen at interface 1 (Mellanox ConnectX-4 Lx Ethernet Adapter), +0.000002 s',
    ]);
    expect(text[8]).toContain('\n  ! dropped at interface 2 (Virtual Switch Extension): the converted file keeps no drop reason or location\n');
  });

  it('--stats counts a packet seen at three interfaces once, as for the .etl', async () => {
    const total = async (file: string): Promise<string | undefined> => (await runCli(['--stats', file])).stdout.split('\n').find((l) => l.startsWith('frames read'));
    expect(await total(CONVERTED)).toBe(await total(ETL));
    expect(await total(CONVERTED)).toMatch(/packets: 9/);
  });

  it.skipIf(!hasTshark)('tshark reads the fixture: the same frames, packet ids and the one XDP drop verdict', () => {
    const out = execFileSync('tshark', ['-r', CONVERTED, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'frame.packet_id', '-e', 'frame.verdict.ebpf_xdp'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const rows = out.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(26);
    expect(rows[0]).toEqual(['Microsoft Hyper-V Network Adapter', '562949953421313', '']);
    expect(rows[25]).toEqual(['Virtual Switch Extension', '562949953421321', '1']);
    expect(rows.filter((r) => r[2] !== '')).toHaveLength(1);
  });
});

// -w of a pktmon frame (from the .etl or from the converted file) writes what etl2pcapng writes:
// epb_packetid, epb_verdict for a drop, one interface per component with its name, description
// and address; so the file read back is a converted trace, and tshark reads frame.packet_id.
describe('-w of pktmon frames: the PktGroupId and the drop in the EPB options, as etl2pcapng writes them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nvgre-etl-w-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const written = async (from: string): Promise<string> => {
    const out = join(dir, `${from.replace(/\W/g, '_')}.pcapng`);
    const r = await runCli(['-w', out, from]);
    expect(r.code).toBe(0);
    return out;
  };
  const ALL = [...KEPT, 'pktmon.component_address'];

  it('.etl -> -w pcapng -> read back: the same PktGroupIds, components, drop, frames, journey and counts', async () => {
    const back = await written(ETL);
    const [etl, read] = await Promise.all([json(ETL), json(back)]);
    expect(read).toHaveLength(26);
    // Components by first use: the VM's NIC (9), the vSwitch (31), the physical NIC (12).
    const ifOf: Record<number, number> = { 9: 0, 31: 1, 12: 2 };
    read.forEach((r, i) => {
      const e = etl[i].layers[0].fields;
      expect(r.layers[0].proto).toBe('pktmon');
      expect(pick(r.layers[0].fields, ALL)).toEqual(pick(e, ALL));
      expect(r.layers[0].fields['pktmon.interface_id']).toBe(ifOf[e['pktmon.component_id'] as number]);
      expect(r.layers.slice(1)).toEqual(etl[i].layers.slice(1));
    });
    expect(read.map((r) => Boolean(r.layers[0].fields['pktmon.dropped']))).toEqual([...Array(25).fill(false), true]);
    const journey = async (file: string): Promise<{ packets: { pkt_group_id: string; appearances: Fields[]; drops: Fields[] }[]; totals: Fields }> =>
      JSON.parse((await runCli(['--journey', '--json', file])).stdout);
    const [je, jr] = await Promise.all([journey(ETL), journey(back)]);
    expect(jr.totals).toEqual(je.totals);
    const SHAPE = ['frame', 'component', 'dropped', 'kind', 'vsid', 'customer_src', 'customer_dst'];
    expect(jr.packets.map((p) => [p.pkt_group_id, p.appearances.map((a) => pick(a, SHAPE)), p.drops.map((d) => d.frame)])).toEqual(
      je.packets.map((p) => [p.pkt_group_id, p.appearances.map((a) => pick(a, SHAPE)), p.drops.map((d) => d.frame)]),
    );
    const total = async (file: string): Promise<string | undefined> => (await runCli(['--stats', file])).stdout.split('\n').find((l) => l.startsWith('frames read'));
    expect(await total(back)).toBe(await total(ETL));
  });

  it('converted pcapng -> -w -> read back: every pktmon field but the interface numbering as read, and no comment added', async () => {
    const back = await written(CONVERTED);
    const [conv, read] = await Promise.all([json(CONVERTED), json(back)]);
    const ifOf: Record<number, number> = { 0: 0, 2: 1, 1: 2 };
    read.forEach((r, i) => {
      const { 'pktmon.interface_id': id, ...rest } = r.layers[0].fields;
      const { 'pktmon.interface_id': convId, ...convRest } = conv[i].layers[0].fields;
      expect(rest).toEqual(convRest);
      expect(id).toBe(ifOf[convId as number]);
      expect(r.layers.slice(1)).toEqual(conv[i].layers.slice(1));
    });
    const tree = (await runCli(['-c', '1', back])).stdout;
    expect(tree).not.toContain('Comment');
  });

  it.skipIf(!hasTshark)('tshark reads our file: frame.packet_id on every frame, the XDP drop verdict on the drop, the components as interfaces', async () => {
    const back = await written(ETL);
    const out = execFileSync('tshark', ['-r', back, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'frame.interface_description', '-e', 'frame.packet_id', '-e', 'frame.verdict.ebpf_xdp'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const rows = out.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(26);
    expect(rows[0]).toEqual(['Microsoft Hyper-V Network Adapter', 'vm1 (blue)', '562949953421313', '']);
    expect(rows[25]).toEqual(['Virtual Switch Extension', 'HNV-Switch', '562949953421321', '1']);
    expect(rows.filter((r) => r[3] !== '')).toHaveLength(1);
    expect(new Set(rows.map((r) => r[2])).size).toBe(9);
  });
});
