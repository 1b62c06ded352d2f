import { describe, expect, it } from 'vitest';
import { codes, hex, layer, run, shape } from './helpers.js';
import { fieldsOf } from '../fields.js';

// Outer headers as in the seed capture: Ethernet, IPv4 172.16.0.2 -> 172.16.0.3 protocol 47.
// IPv4 and GRE checksums were computed with an independent RFC 1071 function in python3.
const ETH = '00155d000103 00155d000102 0800'; // eth: dst, src, type IPv4
const ADDRS = 'ac100002 ac100003';
// ARP request (RFC 826): Ethernet, IPv4, sizes 6/4, op 1; sender 00:1d:d8:b7:1c:02 10.1.0.2,
// target MAC unknown, 10.2.0.2.
const ARP_BODY = '0001 0800 06 04 0001' + '001dd8b71c02 0a010002' + '000000000000 0a020002';
// The tenant frame (RFC 7637 3.1: an Ethernet frame without 802.1Q tag): 14 + 28 = 42 bytes.
const INNER_ETH_ARP = 'ffffffffffff 001dd8b71c02 0806' /* broadcast dst, src, type ARP */ + ARP_BODY;

/** NVGRE without C/S: GRE is 8 bytes (flags, proto 0x6558, key), inner frame 42: total 70. */
function nvgre(flagsAndVersion: string, key: string): Uint8Array {
  return hex(
    ETH,
    '45 00 0046 0005 0000 40 2f 225f', // IPv4: total 70, id 5, ttl 64, GRE, cksum
    ADDRS,
    flagsAndVersion, // GRE flags + version
    '6558', //          protocol type: Transparent Ethernet Bridging
    key, //             RFC 7637 key: 24-bit VSID + 8-bit FlowID
    INNER_ETH_ARP,
  );
}

function nvgreWarnings(pkt: ReturnType<typeof run>) {
  return layer(pkt, 'nvgre').warnings;
}

describe('nvgre decoder (RFC 7637)', () => {
  it('splits the key into VSID and FlowID and decodes the tenant frame two levels down', () => {
    const pkt = run(nvgre('2000', '3d59a4 7f')); // VSID 0x3d59a4, FlowID 0x7f
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'nvgre@1', 'eth@2', 'arp@2']);
    const n = layer(pkt, 'nvgre');
    expect([n.offset, n.length]).toEqual([38, 4]); // exactly the 4 key bytes
    expect(fieldsOf(n)).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 127 });
    expect(n.warnings).toBeNull();
    expect(fieldsOf(layer(pkt, 'gre'))['gre.key']).toBe(0x3d59a47f);
    expect(layer(pkt, 'eth', 2).offset).toBe(42);
    expect(layer(pkt, 'arp').offset).toBe(56);
    expect(pkt.layers.flatMap(codes)).toEqual([]);
  });

  it('warns nvgre.vsid_reserved for VSID 0', () => {
    const pkt = run(nvgre('2000', '000000 00'));
    expect(fieldsOf(layer(pkt, 'nvgre'))['nvgre.vsid']).toBe(0);
    expect(nvgreWarnings(pkt)).toEqual([
      { code: 'nvgre.vsid_reserved', severity: 'warn', message: 'VSID 0 is in the reserved range 0-4095' },
    ]);
  });

  it('warns nvgre.vsid_reserved for VSID 0xFFF, the top of the reserved range', () => {
    const pkt = run(nvgre('2000', '000fff 00'));
    expect(fieldsOf(layer(pkt, 'nvgre'))['nvgre.vsid']).toBe(0xfff);
    expect(nvgreWarnings(pkt)).toEqual([
      { code: 'nvgre.vsid_reserved', severity: 'warn', message: 'VSID 4095 is in the reserved range 0-4095' },
    ]);
  });

  it('accepts VSID 0x1000, the first unreserved one', () => {
    const pkt = run(nvgre('2000', '001000 00'));
    expect(fieldsOf(layer(pkt, 'nvgre'))['nvgre.vsid']).toBe(0x1000);
    expect(nvgreWarnings(pkt)).toBeNull();
  });

  it('notes VSID 0xFFFFFF as vendor-specific (and not as reserved)', () => {
    const pkt = run(nvgre('2000', 'ffffff 00'));
    expect(fieldsOf(layer(pkt, 'nvgre'))).toEqual({ 'nvgre.vsid': 0xffffff, 'nvgre.flow_id': 0 });
    expect(nvgreWarnings(pkt)).toEqual([
      { code: 'nvgre.vsid_vendor', severity: 'note', message: 'VSID 0xFFFFFF is vendor-specific' },
    ]);
  });

  it('warns about the C and S bits, with the key found after checksum+reserved', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 004e 0006 0000 40 2f 2256', // IPv4: total 78 = 20 + 16 GRE + 42
        ADDRS,
        'b000 6558', // GRE: C, K, S, version 0; TEB
        'f58a 0000', // GRE checksum (good, python3 RFC 1071) + Reserved1
        '3d59a4 00', // key: VSID 0x3d59a4, FlowID 0
        '00000001', //  sequence number 1
        INNER_ETH_ARP,
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'nvgre@1', 'eth@2', 'arp@2']);
    const g = layer(pkt, 'gre');
    expect([fieldsOf(g)['gre.checksum.status'], fieldsOf(g)['gre.sequence_number']]).toEqual([1, 1]);
    const n = layer(pkt, 'nvgre');
    expect([n.offset, n.length]).toEqual([42, 4]);
    expect(fieldsOf(n)).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 });
    expect(n.warnings).toEqual([
      { code: 'nvgre.c_bit_set', severity: 'warn', message: 'GRE checksum present (C bit set)' },
      { code: 'nvgre.s_bit_set', severity: 'warn', message: 'GRE sequence number present (S bit set)' },
    ]);
    expect(layer(pkt, 'eth', 2).offset).toBe(50);
  });

  it('warns nvgre.version for GRE version 2', () => {
    const pkt = run(nvgre('2002', '3d59a4 00'));
    const n = layer(pkt, 'nvgre');
    expect(fieldsOf(n)).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 });
    expect(n.warnings).toEqual([{ code: 'nvgre.version', severity: 'warn', message: 'GRE version 2, must be 0' }]);
  });

  it('warns nvgre.version for GRE version 1 and still reads the VSID from the key bytes', () => {
    // Flags 0x2001: K + version 1 with protocol 0x6558. The key bytes on the wire are 3d59a4 00,
    // so the VSID is 0x3d59a4 whatever the version; the only rule broken is the version.
    const pkt = run(nvgre('2001', '3d59a4 00'));
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'nvgre@1', 'eth@2', 'arp@2']);
    const n = layer(pkt, 'nvgre');
    expect(fieldsOf(n)).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 });
    expect(codes(n)).toEqual(['nvgre.version']);
  });

  it('warns nvgre.inner_vlan for an 802.1Q-tagged tenant frame, and still decodes the tag', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 004a 0007 0000 40 2f 2259', // IPv4: total 74 = 20 + 8 GRE + 46
        ADDRS,
        '2000 6558 3d59a4 00', //             GRE: K; TEB; VSID 0x3d59a4, FlowID 0
        'ffffffffffff 001dd8b71c02 8100', //  inner eth: dst, src, TPID 802.1Q
        '0064 0806', //                       tag: PCP 0, DEI 0, VID 100; type ARP
        ARP_BODY,
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'nvgre@1', 'eth@2', 'vlan@2', 'arp@2']);
    expect(nvgreWarnings(pkt)).toEqual([
      { code: 'nvgre.inner_vlan', severity: 'warn', message: 'inner frame carries a VLAN tag (ethertype 0x8100)' },
    ]);
    expect(fieldsOf(layer(pkt, 'vlan'))['vlan.id']).toBe(100);
    expect(fieldsOf(layer(pkt, 'arp'))['arp.opcode']).toBe(1);
  });

  it('warns nvgre.inner_vlan for an 802.1ad-tagged tenant frame', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 004a 0007 0000 40 2f 2259', // same IPv4 header: total 74
        ADDRS,
        '2000 6558 3d59a4 00',
        'ffffffffffff 001dd8b71c02 88a8', //  inner eth with TPID 802.1ad
        '0064 0806',
        ARP_BODY,
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'nvgre@1', 'eth@2', 'ieee8021ad@2', 'arp@2']);
    expect(codes(layer(pkt, 'nvgre'))).toEqual(['nvgre.inner_vlan']);
    expect(nvgreWarnings(pkt)?.[0].message).toBe('inner frame carries a VLAN tag (ethertype 0x88a8)');
  });

  it('treats 0x6558 without K as Ethernet over GRE: no nvgre layer, a note, the inner frame decoded', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 0042 0008 0000 40 2f 2260', // IPv4: total 66 = 20 + 4 GRE + 42
        ADDRS,
        '0000 6558', // GRE: no flags, version 0; TEB
        INNER_ETH_ARP,
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'eth@1', 'arp@1']);
    const g = layer(pkt, 'gre');
    expect(g.length).toBe(4);
    expect('gre.key' in fieldsOf(g)).toBe(false);
    expect(g.warnings).toEqual([
      {
        code: 'gre.teb_without_key',
        severity: 'note',
        message: 'Ethernet over GRE without a key: not NVGRE, no VSID',
      },
    ]);
    const inner = layer(pkt, 'eth', 1);
    expect(inner.offset).toBe(38);
    expect(fieldsOf(inner)).toEqual({ 'eth.dst': 0xffffffffffff, 'eth.src': 0x001dd8b71c02, 'eth.type': 0x0806 });
    expect(fieldsOf(layer(pkt, 'arp'))['arp.dst.proto_ipv4']).toBe(0x0a020002);
  });
});
