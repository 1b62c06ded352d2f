// The selection options (--vsid, --flow-id, --pa, --ca, the filter) on real decoded packets.
// Expected frame lists come from the fixture spec (see evaluate.test.ts for the summary).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/decode/packet.js';
import { parseFilter } from '../../src/filter/parse.js';
import { isFiltering } from '../../src/filter/select.js';
import { ip, loadPackets, range, selectFrames } from './helpers.js';

let ping: Packet[];
let mix: Packet[];

beforeAll(async () => {
  ping = await loadPackets('seed-ping.pcap');
  mix = await loadPackets('tenant-mix.pcap');
});

const ODD = [1, 3, 5, 7];
const EVEN = [2, 4, 6, 8];
const ALL_PING = range(1, 8);
const VSID_A = 4020644; // 0x3D59A4: VM2's subnet, carried by frames sent to VM2
const VSID_B = 8793502; // 0x862D9E: VM1's subnet

describe('no options', () => {
  it('selects everything', () => {
    expect(selectFrames(ping, {})).toEqual(ALL_PING);
    expect(selectFrames(mix, {})).toEqual(range(1, 9));
  });

  it('isFiltering is false only when nothing is set', () => {
    expect(isFiltering({ vsids: [] })).toBe(false);
    expect(isFiltering({ vsids: [VSID_A] })).toBe(true);
    expect(isFiltering({ vsids: [], flowIds: [0] })).toBe(true);
    expect(isFiltering({ vsids: [], pas: [0] })).toBe(true);
    expect(isFiltering({ vsids: [], cas: [0] })).toBe(true);
    expect(isFiltering({ vsids: [], filter: parseFilter('ip') })).toBe(true);
  });
});

describe('--vsid (any of the list)', () => {
  it('one VSID', () => {
    expect(selectFrames(ping, { vsids: [VSID_A] })).toEqual(ODD);
    expect(selectFrames(ping, { vsids: [VSID_B] })).toEqual(EVEN);
    expect(selectFrames(mix, { vsids: [VSID_A] })).toEqual([2, 4, 6, 7, 8]);
    expect(selectFrames(mix, { vsids: [VSID_B] })).toEqual([3, 5, 9]);
  });

  it('several VSIDs: any of them', () => {
    expect(selectFrames(ping, { vsids: [VSID_A, VSID_B] })).toEqual(ALL_PING);
    expect(selectFrames(ping, { vsids: [5000, VSID_B] })).toEqual(EVEN);
    expect(selectFrames(mix, { vsids: [VSID_B, VSID_A] })).toEqual(range(2, 9));
  });

  it('an absent VSID selects nothing', () => {
    expect(selectFrames(ping, { vsids: [5000] })).toEqual([]);
    expect(selectFrames(mix, { vsids: [0] })).toEqual([]);
  });
});

describe('--flow-id', () => {
  it('selects frames with that FlowID, never frames without NVGRE', () => {
    expect(selectFrames(ping, { flowIds: [0] })).toEqual(ALL_PING);
    expect(selectFrames(mix, { flowIds: [0] })).toEqual([2, 3]);
    expect(selectFrames(mix, { flowIds: [42] })).toEqual([4, 5, 6, 7]);
    expect(selectFrames(mix, { flowIds: [7] })).toEqual([8, 9]);
    expect(selectFrames(mix, { flowIds: [1] })).toEqual([]);
  });
});

describe('--pa (outer, depth 0, IPv4 only)', () => {
  it('a customer address is not a provider address', () => {
    expect(selectFrames(ping, { pas: [ip('10.1.0.2')] })).toEqual([]);
    expect(selectFrames(ping, { pas: [ip('10.2.0.2')] })).toEqual([]);
    expect(selectFrames(mix, { pas: [ip('10.2.0.2')] })).toEqual([]);
  });

  it('a host address selects every tunnelled frame to or from it', () => {
    expect(selectFrames(ping, { pas: [ip('172.16.0.3')] })).toEqual(ALL_PING);
    expect(selectFrames(ping, { pas: [ip('172.16.0.2')] })).toEqual(ALL_PING);
  });

  it('the provider ARP (no IP header) is not selected by --pa', () => {
    expect(selectFrames(mix, { pas: [ip('172.16.0.2')] })).toEqual(range(2, 9));
    expect(selectFrames(mix, { pas: [ip('172.16.0.3')] })).toEqual(range(2, 9));
  });

  it('an unrelated address selects nothing', () => {
    expect(selectFrames(ping, { pas: [ip('172.16.0.4')] })).toEqual([]);
  });

  it('an outer VLAN tag does not hide the provider IP', async () => {
    const vlan = await loadPackets('seed-ping-vlan.pcap');
    expect(selectFrames(vlan, { pas: [ip('172.16.0.3')] })).toEqual(ALL_PING);
    expect(selectFrames(vlan, { pas: [ip('10.1.0.2')] })).toEqual([]);
    expect(selectFrames(vlan, { cas: [ip('10.1.0.2')], vsids: [VSID_B] })).toEqual(EVEN);
  });
});

describe('repeated --flow-id, --pa, --ca: any of the values', () => {
  it('keeps a frame when one value holds, whichever its place', () => {
    expect(selectFrames(mix, { flowIds: [42, 7] })).toEqual([4, 5, 6, 7, 8, 9]);
    expect(selectFrames(mix, { flowIds: [1, 0] })).toEqual([2, 3]);
    expect(selectFrames(mix, { pas: [ip('9.9.9.9'), ip('172.16.0.2')] })).toEqual(range(2, 9));
    expect(selectFrames(mix, { pas: [ip('172.16.0.2'), ip('9.9.9.9')] })).toEqual(range(2, 9));
    expect(selectFrames(ping, { cas: [ip('10.9.9.9'), ip('10.1.0.2')] })).toEqual(ALL_PING);
  });

  it('none holding selects nothing; an empty list selects nothing out', () => {
    expect(selectFrames(mix, { flowIds: [1, 2] })).toEqual([]);
    expect(selectFrames(mix, { cas: [ip('172.16.0.2'), ip('172.16.0.3')] })).toEqual([]);
    expect(selectFrames(mix, { vsids: [], flowIds: [], pas: [], cas: [] })).toEqual(range(1, 9));
  });
});

describe('--ca (inner IPv4, inner ARP sender/target)', () => {
  it('a provider address is not a customer address', () => {
    expect(selectFrames(mix, { cas: [ip('172.16.0.2')] })).toEqual([]);
    expect(selectFrames(mix, { cas: [ip('172.16.0.3')] })).toEqual([]);
    expect(selectFrames(ping, { cas: [ip('172.16.0.2')] })).toEqual([]);
  });

  it('inner IP source or destination', () => {
    expect(selectFrames(ping, { cas: [ip('10.1.0.2')] })).toEqual(ALL_PING);
    expect(selectFrames(ping, { cas: [ip('10.2.0.2')] })).toEqual(ALL_PING);
  });

  it('inner ARP sender and target count too', () => {
    expect(selectFrames(mix, { cas: [ip('10.2.0.2')] })).toEqual(range(2, 9));
    expect(selectFrames(mix, { cas: [ip('10.1.0.2')] })).toEqual(range(2, 9));
  });

  it('an unrelated address selects nothing', () => {
    expect(selectFrames(mix, { cas: [ip('10.3.0.2')] })).toEqual([]);
  });
});

describe('--filter through selects()', () => {
  it('applies the display filter', () => {
    expect(selectFrames(mix, { filter: parseFilter('tcp.len > 0 || udp.srcport == 53') })).toEqual([7, 9]);
    expect(selectFrames(ping, { filter: parseFilter('icmp.seq == 2') })).toEqual([3, 4]);
  });
});

describe('several options: all must hold', () => {
  it('--vsid with --flow-id', () => {
    expect(selectFrames(mix, { vsids: [VSID_A], flowIds: [42] })).toEqual([4, 6, 7]);
    expect(selectFrames(mix, { vsids: [VSID_B], flowIds: [7] })).toEqual([9]);
    expect(selectFrames(mix, { vsids: [VSID_A, VSID_B], flowIds: [0] })).toEqual([2, 3]);
    expect(selectFrames(ping, { vsids: [VSID_A], flowIds: [3] })).toEqual([]);
  });

  it('--vsid with --pa', () => {
    expect(selectFrames(ping, { vsids: [VSID_B], pas: [ip('172.16.0.3')] })).toEqual(EVEN);
    expect(selectFrames(ping, { vsids: [VSID_B], pas: [ip('10.2.0.2')] })).toEqual([]);
  });

  it('--flow-id, --ca and --vsid with a filter', () => {
    const base = { vsids: [VSID_A], flowIds: [42], cas: [ip('10.1.0.2')] };
    expect(selectFrames(mix, base)).toEqual([4, 6, 7]);
    expect(selectFrames(mix, { ...base, filter: parseFilter('tcp.len > 0') })).toEqual([7]);
    expect(selectFrames(mix, { ...base, filter: parseFilter('tcp.srcport == 80') })).toEqual([]);
  });

  it('--pa and --ca together', () => {
    expect(selectFrames(mix, { pas: [ip('172.16.0.3')], cas: [ip('10.1.0.2')] })).toEqual(range(2, 9));
    expect(selectFrames(mix, { pas: [ip('172.16.0.3')], cas: [ip('172.16.0.2')] })).toEqual([]);
  });

  it('every option at once', () => {
    const sel = {
      vsids: [VSID_B],
      flowIds: [7],
      pas: [ip('172.16.0.2')],
      cas: [ip('10.2.0.2')],
      filter: parseFilter('udp.srcport == 53'),
    };
    expect(selectFrames(mix, sel)).toEqual([9]);
    expect(selectFrames(mix, { ...sel, flowIds: [42] })).toEqual([]);
    expect(selectFrames(mix, { ...sel, filter: parseFilter('udp.dstport == 53') })).toEqual([]);
  });
});
