import { describe, expect, it } from 'vitest';
import { isGroupMac, isUnicast } from '../../src/analyze/address.js';
import { conflicts, type LookupRecord, LookupTable } from '../../src/analyze/lookup.js';
import { PacketCount } from '../../src/analyze/packets.js';
import type { Layer, Packet } from '../../src/decode/packet.js';
import { fieldsFrom } from '../fields.js';
import type { FieldValue } from '../../src/decode/fields.js';

const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
const MAC_A = 0x001dd8b71c02;
const MAC_B = 0x001dd8b71c03;

function rec(vsid: number, ca: string, mac: number, pa: string, lastSec: number): LookupRecord {
  const seen = { sec: lastSec, nsec: 0, digits: 6 };
  const packets = new PacketCount();
  packets.add(undefined);
  return { vsid, ca: ip(ca), mac, pa: ip(pa), frames: 1, packets, first: seen, last: seen, firstFrame: 1, lastFrame: 1, sources: new Set(['dst-side']), file: 0 };
}

describe('lookup record conflicts', () => {
  it('none when every CA has one PA and one MAC, and every MAC one VSID', () => {
    expect(conflicts([rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 1), rec(8793502, '10.1.0.2', MAC_A, '172.16.0.2', 1)])).toEqual([]);
  });

  it('one CA in one VSID behind two PAs, records ordered by last seen', () => {
    const moved = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.9', 20);
    const before = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 10);
    expect(conflicts([moved, before])).toEqual([{ kind: 'ca_two_pas', vsid: 4020644, ca: ip('10.2.0.2'), records: [before, moved] }]);
  });

  it('the same CA behind two PAs in two different VSIDs is not a move (overlapping tenant address spaces)', () => {
    expect(conflicts([rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 1), rec(5000000, '10.2.0.2', MAC_A, '172.16.0.9', 1)])).toEqual([]);
  });

  it('one CA IP with two MACs in one VSID', () => {
    const a = rec(4020644, '10.2.0.2', MAC_A, '172.16.0.3', 1);
    const b = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 2);
    expect(conflicts([b, a])).toEqual([{ kind: 'ca_two_macs', vsid: 4020644, ca: ip('10.2.0.2'), records: [a, b] }]);
  });

  it('one CA MAC under two VSIDs', () => {
    const a = rec(8793502, '10.1.0.2', MAC_A, '172.16.0.2', 5);
    const b = rec(5000000, '10.9.0.2', MAC_A, '172.16.0.2', 3);
    expect(conflicts([a, b])).toEqual([{ kind: 'mac_two_vsids', mac: MAC_A, records: [b, a] }]);
  });

  it('a CA that moved and changed MAC raises both', () => {
    const a = rec(4020644, '10.2.0.2', MAC_A, '172.16.0.3', 1);
    const b = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.9', 2);
    expect(conflicts([a, b]).map((c) => c.kind)).toEqual(['ca_two_pas', 'ca_two_macs']);
  });
});

describe('which addresses make lookup records', () => {
  it('unicast CAs only: not unspecified, multicast (224/4, ff00::/8) or the limited broadcast', () => {
    const v6 = (hex: string): string => `v6:${hex}`;
    for (const a of [ip('10.2.0.2'), ip('192.168.69.255'), ip('223.255.255.255'), ip('240.0.0.1'), v6('fe800000000000000000000000000001')]) {
      expect(isUnicast(a), String(a)).toBe(true);
    }
    for (const a of [ip('0.0.0.0'), ip('224.0.0.252'), ip('239.255.255.250'), ip('255.255.255.255'), v6('ff020000000000000000000000010002'), v6('0'.repeat(32))]) {
      expect(isUnicast(a), String(a)).toBe(false);
    }
  });

  it('group MACs: broadcast, IPv4 and IPv6 multicast have the I/G bit; unicast ones not', () => {
    expect([0xffffffffffff, 0x01005e0000fc, 0x333300010002].map(isGroupMac)).toEqual([true, true, true]);
    expect([MAC_A, 0x0050568208d1, 0xfeffffffffff].map(isGroupMac)).toEqual([false, false, false]);
  });

  const l = (proto: string, fields: Record<string, FieldValue>, depth = 1): Layer =>
    ({ proto, offset: 0, length: 0, depth, fields: fieldsFrom(fields), warnings: null, cut: false, reassembled: false }) as Layer;

  // One NVGRE frame as the decoder lays it out: outer IP, NVGRE, inner Ethernet, inner IP or ARP.
  function nvgreFrame(inner: Layer, dstMac: number): Packet {
    const frame = { number: 1, tsSec: 1, tsNsec: 0, tsDigits: 6, origLen: 100 } as Packet['frame'];
    return {
      frame,
      layers: [
        l('ip', { 'ip.src': ip('172.16.0.2'), 'ip.dst': ip('172.16.0.3') }, 0),
        l('nvgre', { 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 }, 0),
        l('eth', { 'eth.src': MAC_A, 'eth.dst': dstMac }),
        inner,
      ],
      frameWarnings: null,
      reassembled: null,
    };
  }
  it('frames to a group address are counted, not recorded; an ARP probe (sender 0.0.0.0) places nothing', () => {
    const t = new LookupTable();
    t.add(nvgreFrame(l('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('10.2.0.2') }), MAC_B));
    t.add(nvgreFrame(l('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('10.2.0.255') }), 0xffffffffffff));
    t.add(nvgreFrame(l('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('224.0.0.252') }), 0x01005e0000fc));
    t.add(nvgreFrame(l('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('255.255.255.255') }), 0xffffffffffff));
    // A unicast MAC under a multicast IP (or the reverse) is still not a host's record.
    t.add(nvgreFrame(l('ip', { 'ip.src': ip('10.1.0.2'), 'ip.dst': ip('239.1.1.1') }), MAC_B));
    t.add(nvgreFrame(l('arp', { 'arp.src.proto_ipv4': 0, 'arp.src.hw_mac': MAC_A, 'arp.dst.proto_ipv4': ip('10.2.0.2') }), 0xffffffffffff));
    const { records, unplacedArp } = t.result();
    expect(records.map((r) => [r.ca, r.mac])).toEqual([[ip('10.2.0.2'), MAC_B]]);
    expect(unplacedArp).toBe(0);
    expect(t.counts).toEqual({ nvgre: 6, groupDestination: 4, vxlan: 0, tebWithoutKey: 0 });
  });
});
