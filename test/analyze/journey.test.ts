// The journey analyzer, fed Packets made by hand: layers with only the fields it reads, and the
// pktmon metadata the ETL reader puts on Frame.etw.
import { describe, expect, it } from 'vitest';
import { changesOf, JourneyLog, offsetNs, shapeOf } from '../../src/analyze/journey.js';
import { LookupTable } from '../../src/analyze/lookup.js';
import { Stats } from '../../src/analyze/stats.js';
import type { PktmonPacketInfo } from '../../src/capture/etw-packet.js';
import { newFrame } from '../../src/capture/frame.js';
import type { FieldValue } from '../../src/decode/fields.js';
import type { Layer, Packet, ProtoId } from '../../src/decode/packet.js';
import { fieldsFrom } from '../fields.js';

const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

function layer(proto: ProtoId, fields: Record<string, FieldValue> = {}, depth = 0): Layer {
  return { proto, offset: 0, length: 0, depth, fields: fieldsFrom(fields), warnings: null, cut: false, reassembled: false, learntFrom: 0 };
}

const PLAIN = [layer('eth'), layer('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('10.2.0.2') }), layer('icmp')];
const NVGRE = [
  layer('eth', { 'eth.src': 0x00155d000102, 'eth.dst': 0x00155d000103 }),
  layer('ip', { 'ip.src': ip('172.16.0.2'), 'ip.dst': ip('172.16.0.3') }),
  layer('gre'),
  layer('nvgre', { 'nvgre.vsid': 4020644, 'nvgre.flow_id': 7 }),
  layer('eth', { 'eth.src': 0x001dd8b71c02, 'eth.dst': 0x001dd8b71c03 }, 1),
  layer('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('10.2.0.2') }, 1),
  layer('icmp', {}, 1),
];

interface At {
  n: number;
  group: bigint;
  comp: number;
  layers: Layer[];
  /** Microseconds into second 100. */
  us: number;
  drop?: [number, number];
  name?: string;
}

function packet(a: At): Packet {
  const frame = newFrame();
  frame.number = a.n;
  frame.tsSec = 100;
  frame.tsNsec = a.us * 1000;
  frame.tsDigits = 7;
  const etw: PktmonPacketInfo = {
    provider: 'pktmon',
    pktGroupId: a.group,
    pktNumber: 1,
    appearance: 0,
    dirTag: 1,
    packetType: 1,
    componentId: a.comp,
    component: a.name,
    componentDescription: undefined,
    componentAddress: undefined,
    edgeId: 1,
    filterId: 0,
    dropped: a.drop !== undefined,
    dropReason: a.drop?.[0] ?? 0,
    dropLocation: a.drop?.[1] ?? 0,
    originalSize: 0,
    loggedSize: 0,
  };
  frame.etw = etw;
  return { frame, layers: a.layers, frameWarnings: null, reassembled: null };
}

describe('journey: the appearances of a PktGroupId gathered', () => {
  it('two packets interleaved: each keeps its own appearances, in capture order of first appearance', () => {
    const log = new JourneyLog();
    log.add(packet({ n: 1, group: 5n, comp: 9, layers: PLAIN, us: 0, name: 'VM NIC' }), true);
    log.add(packet({ n: 2, group: 2n, comp: 12, layers: NVGRE, us: 3 }), true);
    log.add(packet({ n: 3, group: 5n, comp: 31, layers: PLAIN, us: 1.2 }), true);
    log.add(packet({ n: 4, group: 5n, comp: 12, layers: NVGRE, us: 2.5 }), true);
    const r = log.result();
    expect(r.journeys.map((j) => [j.pktGroupId, j.appearances.map((a) => a.frame)])).toEqual([
      [5n, [1, 3, 4]],
      [2n, [2]],
    ]);
    const j = r.journeys[0];
    expect(j.appearances.map((a) => offsetNs(j, a))).toEqual([0, 1200, 2500]);
    // Plain at the vSwitch (31), NVGRE at the physical NIC (12): encapsulated in between.
    expect(changesOf(j).map((c) => [c.kind, c.from.componentId, c.to.componentId])).toEqual([['encapsulated', 31, 12]]);
    expect(r.components).toEqual([
      { componentId: 9, interfaces: false, packets: 1, appearances: 1, drops: 0 },
      { componentId: 12, interfaces: false, packets: 2, appearances: 2, drops: 0 },
      { componentId: 31, interfaces: false, packets: 1, appearances: 1, drops: 0 },
    ]);
    expect([...r.names]).toEqual([[9, 'VM NIC']]);
  });

  it('NVGRE then plain is a decapsulation; drops are counted per component and reason', () => {
    const log = new JourneyLog();
    log.add(packet({ n: 1, group: 1n, comp: 12, layers: NVGRE, us: 0 }), true);
    log.add(packet({ n: 2, group: 1n, comp: 31, layers: PLAIN, us: 1, drop: [26, 0xe0004a51] }), true);
    log.add(packet({ n: 3, group: 2n, comp: 31, layers: PLAIN, us: 5, drop: [26, 0xe0004a52] }), true);
    log.add(packet({ n: 4, group: 2n, comp: 31, layers: PLAIN, us: 6, drop: [7, 1] }), true);
    const r = log.result();
    expect(changesOf(r.journeys[0]).map((c) => c.kind)).toEqual(['decapsulated']);
    expect(r.components).toEqual([
      { componentId: 12, interfaces: false, packets: 1, appearances: 1, drops: 0 },
      { componentId: 31, interfaces: false, packets: 2, appearances: 3, drops: 3 },
    ]);
    expect(r.drops).toEqual([
      { reason: 7, drops: 1, locations: [1], components: [31] },
      { reason: 26, drops: 2, locations: [0xe0004a51, 0xe0004a52], components: [31] },
    ]);
  });

  it('a packet is shown when any appearance is selected, a later one too; unselected packets count nowhere', () => {
    const log = new JourneyLog();
    log.add(packet({ n: 1, group: 1n, comp: 9, layers: PLAIN, us: 0 }), false);
    log.add(packet({ n: 2, group: 1n, comp: 12, layers: NVGRE, us: 1 }), true);
    log.add(packet({ n: 3, group: 2n, comp: 9, layers: PLAIN, us: 2 }), false);
    const r = log.result();
    expect(r.journeys.map((j) => [j.pktGroupId, j.appearances.length])).toEqual([[1n, 2]]);
    expect(r.components.map((c) => c.componentId)).toEqual([9, 12]);
    expect(r.groupsSeen).toBe(2);
  });

  it('frames without pktmon metadata are only counted; a new capture starts its own groups', () => {
    const log = new JourneyLog();
    const pcapFrame: Packet = { frame: newFrame(), layers: PLAIN, frameWarnings: null, reassembled: null };
    log.add(pcapFrame, true);
    log.add(pcapFrame, false);
    log.add(packet({ n: 1, group: 1n, comp: 9, layers: PLAIN, us: 0 }), true);
    log.nextFile('b.etl');
    log.add(packet({ n: 1, group: 1n, comp: 9, layers: PLAIN, us: 0 }), true);
    const r = log.result();
    expect([r.ungroupedFrames, r.groupsSeen, r.journeys.length]).toEqual([1, 2, 2]);
  });

  it('the shape of a frame: NVGRE with VSID, FlowID, PAs and CAs; plain with its CAs and protocol', () => {
    expect(shapeOf(NVGRE)).toEqual({
      kind: 'nvgre',
      vsid: 4020644,
      flowId: 7,
      pa: [ip('172.16.0.2'), ip('172.16.0.3')],
      ca: [ip('10.1.0.2'), ip('10.2.0.2')],
      protocol: 'icmp',
    });
    expect(shapeOf(PLAIN)).toEqual({ kind: 'plain', ca: [ip('10.1.0.2'), ip('10.2.0.2')], protocol: 'icmp' });
    expect(shapeOf([layer('eth'), layer('arp')])).toEqual({ kind: 'plain', ca: null, protocol: 'arp' });
  });
});

describe('--stats and --lookup count a pktmon packet once over its appearances', () => {
  // One request NVGRE at the vSwitch (after encapsulation) and again at the physical NIC, a
  // second request at the NIC only, and the first request's plain appearance at the VM NIC.
  const feed = (add: (p: Packet) => void): void => {
    add(packet({ n: 1, group: 1n, comp: 9, layers: PLAIN, us: 0 }));
    add(packet({ n: 2, group: 1n, comp: 31, layers: NVGRE, us: 1 }));
    add(packet({ n: 3, group: 1n, comp: 12, layers: NVGRE, us: 2 }));
    add(packet({ n: 4, group: 2n, comp: 12, layers: NVGRE, us: 3 }));
  };

  it('stats: 4 frames, 2 packets in all; the VSID row 3 frames, 2 packets', () => {
    const stats = new Stats();
    feed((p) => stats.add(p));
    expect([stats.shown.frames, stats.shown.packets, stats.shown.grouped]).toEqual([4, 2, true]);
    const [row] = stats.rows('nvgre');
    expect([row.frames, row.packets.frames, row.packets.packets]).toEqual([3, 3, 2]);
  });

  it('lookup: the record of 10.2.0.2 behind 172.16.0.3 has 3 frames, 2 packets', () => {
    const table = new LookupTable();
    feed((p) => table.add(p));
    expect([table.fed.frames, table.fed.packets]).toEqual([4, 2]);
    const { records } = table.result();
    expect(records.map((r) => [r.ca, r.pa, r.frames, r.packets.packets])).toEqual([[ip('10.2.0.2'), ip('172.16.0.3'), 3, 2]]);
    // result() copies: asking twice counts nothing twice.
    expect(table.result().records[0].packets.packets).toBe(2);
  });

  it('frames without pktmon metadata are packets each, and nothing says otherwise', () => {
    const stats = new Stats();
    const pcap: Packet = { frame: newFrame(), layers: NVGRE, frameWarnings: null, reassembled: null };
    stats.add(pcap);
    stats.add(pcap);
    expect([stats.shown.frames, stats.shown.packets, stats.shown.grouped]).toEqual([2, 2, false]);
  });
});
