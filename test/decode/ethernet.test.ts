import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { ethernet } from '../../src/decode/protocols/ethernet.js';
import { ieee8021ad, vlan } from '../../src/decode/protocols/vlan.js';
import { describeLayer } from '../../src/format/describe.js';
import { codes, expectTruncated, hex, layer, run, shape, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

// ARP request body (RFC 826) used as the payload behind the tags: Ethernet/IPv4, op 1,
// 00:15:5d:00:01:02 172.16.0.2 asks for 172.16.0.3.
const ARP_REQ = '0001 0800 06 04 0001 00155d000102 ac100002 000000000000 ac100003';

describe('ethernet decoder', () => {
  it('reads destination, source and type, and hands the rest to the ethertype table', () => {
    const d = hex(
      '00155d000103', // destination 00:15:5d:00:01:03
      'a0b1c2d3e4f5', // source a0:b1:c2:d3:e4:f5 (top bit set: checks the 48-bit value stays exact)
      '0800', //         type IPv4
      '45000014', //     first bytes of whatever follows
    );
    const p = new Dissection();
    ethernet(d, 0, d.length, p);
    expect(p.layers).toHaveLength(1);
    const l = p.layers[0];
    expect([l.proto, l.offset, l.length, l.depth]).toEqual(['eth', 0, 14, 0]);
    expect(fieldsOf(l)).toEqual({ 'eth.dst': 0x00155d000103, 'eth.src': 0xa0b1c2d3e4f5, 'eth.type': 0x0800 });
    expect(l.warnings).toBeNull();
    expect([p.nextTable, p.nextKey, p.nextOffset, p.nextEnd, p.nextTunnel]).toEqual(['ethertype', 0x0800, 14, 18, false]);
  });

  it('decodes at a non-zero offset within [offset, end)', () => {
    const d = hex('ffff', '00155d000103 00155d000102 0806', 'eeee');
    const p = new Dissection();
    ethernet(d, 2, 16, p);
    const l = p.layers[0];
    expect([l.offset, l.length]).toEqual([2, 14]);
    expect(fieldsOf(l)['eth.type']).toBe(0x0806);
    expect([p.nextOffset, p.nextEnd]).toEqual([16, 16]);
  });

  it('flags fewer than 14 bytes as eth.truncated and names no next protocol', () => {
    const d = hex('00155d000103 00155d000102 08'); // 13 bytes: the type is cut in half
    const p = new Dissection();
    ethernet(d, 0, d.length, p);
    expect(p.layers).toHaveLength(1);
    expectTruncated(p.layers[0], 'eth', 'eth.truncated', 13, 14);
    expect(p.nextTable).toBeNull();
  });

  it('shows an 802.3 length (< 0x0600) as eth.len and the payload as data', () => {
    const pkt = run(
      hex(
        '0180c2000000 00155d000102', // dst (STP group address), src
        '0006', //                      802.3 length 6
        'aaaa03000000', //              6 bytes of LLC/SNAP
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'data@0']);
    expect(fieldsOf(pkt.layers[0])).toEqual({ 'eth.dst': 0x0180c2000000, 'eth.src': 0x00155d000102, 'eth.len': 6 });
    expect(fieldsOf(pkt.layers[1])['data.len']).toBe(6);
    expect(toHex(fieldsOf(pkt.layers[1])['data.data'])).toBe('aaaa03000000');
  });

  it('ends an unknown ethertype in a data layer holding every remaining byte', () => {
    const pkt = run(
      hex(
        '00155d000103 00155d000102', // dst, src
        '88b5', //                      IEEE 802 local experimental ethertype 1: no decoder
        '0102030405060708', //          8 payload bytes
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'data@0']);
    expect(fieldsOf(pkt.layers[0])['eth.type']).toBe(0x88b5);
    const data = pkt.layers[1];
    expect([data.offset, data.length]).toEqual([14, 8]);
    expect(fieldsOf(data)['data.len']).toBe(8);
    expect(toHex(fieldsOf(data)['data.data'])).toBe('0102030405060708');
    expect(pkt.frameWarnings).toBeNull();
  });

  it('does not hand Ethernet padding after a short IPv4 packet to the IP payload', () => {
    // RFC 894 minimum frame: 46 bytes of header+IP+UDP are padded with 14 zero bytes to 60.
    // IPv4 checksum 0x9d33 and UDP checksum 0x663a computed with an independent RFC 1071
    // function in python3 (UDP over the pseudo-header 192.168.0.1, 192.168.0.2, 17, 12).
    const pkt = run(
      hex(
        '00155d000103 00155d000102 0800', //                  eth: dst, src, IPv4
        '45 00 0020 1c46 4000 40 11 9d33 c0a80001 c0a80002', // IPv4: len 32, id 0x1c46, DF, ttl 64, UDP, cksum, 192.168.0.1 -> .2
        '3039 0035 000c 663a', //                             UDP: 12345 -> 53, length 12, cksum
        '74657374', //                                        payload "test"
        '0000000000000000000000000000', //                    14 bytes of Ethernet padding
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'udp@0', 'data@0']);
    const udp = layer(pkt, 'udp');
    expect(codes(udp)).toEqual([]); // padding counted in would be a length mismatch and a bad checksum
    expect(fieldsOf(udp)['udp.checksum.status']).toBe(1);
    const data = layer(pkt, 'data');
    expect([data.offset, data.length, fieldsOf(data)['data.len']]).toEqual([42, 4, 4]);
    expect(toHex(fieldsOf(data)['data.data'])).toBe('74657374');
    expect(codes(layer(pkt, 'ip'))).toEqual([]);
  });
});

describe('802.1Q / 802.1ad tags', () => {
  it('decodes an 802.1Q tag: PCP, DEI, VID and the inner type', () => {
    const pkt = run(
      hex(
        'ffffffffffff 00155d000102', // eth: broadcast dst, src
        '8100', //                      TPID 802.1Q
        'a064', //                      TCI: PCP 5 (101), DEI 0, VID 100 (0x064)
        '0806', //                      inner type ARP
        ARP_REQ,
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'vlan@0', 'arp@0']);
    const tag = layer(pkt, 'vlan');
    expect([tag.offset, tag.length]).toEqual([14, 4]);
    expect(fieldsOf(tag)).toEqual({ 'vlan.priority': 5, 'vlan.dei': 0, 'vlan.id': 100, 'vlan.etype': 0x0806 });
    expect(layer(pkt, 'arp').offset).toBe(18);
  });

  it('decodes an 802.1ad S-tag followed by an 802.1Q C-tag (QinQ)', () => {
    const pkt = run(
      hex(
        'ffffffffffff 00155d000102', // eth: dst, src
        '88a8', //                      TPID 802.1ad
        '70c8', //                      S-tag TCI: PCP 3 (011), DEI 1, VID 200 (0x0c8)
        '8100', //                      next TPID 802.1Q
        '0ffe', //                      C-tag TCI: PCP 0, DEI 0, VID 4094
        '0806', //                      inner type ARP
        ARP_REQ,
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ieee8021ad@0', 'vlan@0', 'arp@0']);
    expect(fieldsOf(pkt.layers[0])['eth.type']).toBe(0x88a8);
    expect(fieldsOf(layer(pkt, 'ieee8021ad'))).toEqual({
      'ieee8021ad.priority': 3,
      'ieee8021ad.dei': 1,
      'ieee8021ad.id': 200,
      'ieee8021ad.etype': 0x8100,
    });
    const c = layer(pkt, 'vlan');
    expect(c.offset).toBe(18);
    expect(fieldsOf(c)).toEqual({ 'vlan.priority': 0, 'vlan.dei': 0, 'vlan.id': 4094, 'vlan.etype': 0x0806 });
    expect(layer(pkt, 'arp').offset).toBe(22);
  });

  it('reads an 802.3 length after an 802.1Q tag as vlan.len, as tshark, and the payload as data', () => {
    const pkt = run(
      hex(
        '01000ccccccd 00155d000102', // eth: dst (Cisco PVST+), src
        '8100', //                      TPID 802.1Q
        '04bd', //                      TCI: PCP 0, DEI 0, VID 1213
        '0006', //                      802.3 length 6, not an ethertype
        'aaaa03000000', //              6 bytes of LLC/SNAP
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'vlan@0', 'data@0']);
    expect(fieldsOf(layer(pkt, 'vlan'))).toEqual({ 'vlan.priority': 0, 'vlan.dei': 0, 'vlan.id': 1213, 'vlan.len': 6 });
    expect(toHex(fieldsOf(layer(pkt, 'data'))['data.data'])).toBe('aaaa03000000');
    expect(describeLayer(layer(pkt, 'vlan'))).toBe('802.1Q VLAN: ID 1213, PCP 0, 802.3 length 6');
  });

  it('keeps a small type after an 802.1ad tag as its type, as tshark does', () => {
    const pkt = run(hex('ffffffffffff 00155d000102', '88a8', '70c8', '0006', 'aaaa03000000'));
    expect(shape(pkt)).toEqual(['eth@0', 'ieee8021ad@0', 'data@0']);
    expect(fieldsOf(layer(pkt, 'ieee8021ad'))['ieee8021ad.etype']).toBe(6);
  });

  it('flags a tag cut short as vlan.truncated (both tag kinds)', () => {
    for (const [decoder, proto] of [
      [vlan, 'vlan'],
      [ieee8021ad, 'ieee8021ad'],
    ] as const) {
      const d = hex('a064 08'); // 3 bytes of a 4-byte tag
      const p = new Dissection();
      decoder(d, 0, d.length, p);
      // TCI 0xa064 = PCP 5 (101), DEI 0, VID 0x064 = 100; the type is cut off.
      expectTruncated(p.layers[0], proto, 'vlan.truncated', 3, 4, { [`${proto}.priority`]: 5, [`${proto}.dei`]: 0, [`${proto}.id`]: 100 });
      expect(p.nextTable).toBeNull();
    }
  });
});
