import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { arp } from '../../src/decode/protocols/arp.js';
import { expectTruncated, hex, layer, run, shape } from './helpers.js';
import { fieldsOf } from '../fields.js';

// RFC 826 packet: hardware type, protocol type, hardware size, protocol size, opcode, sender MAC,
// sender IPv4, target MAC, target IPv4.
describe('arp decoder', () => {
  it('decodes a request, and the Ethernet padding after it is no layer at all', () => {
    const pkt = run(
      hex(
        'ffffffffffff 00155d000102 0806', // eth: broadcast dst, src, type ARP
        '0001 0800 06 04', //                  Ethernet, IPv4, 6-byte MAC, 4-byte address
        '0001', //                             opcode 1: request
        '00155d000102 ac100002', //            sender 00:15:5d:00:01:02, 172.16.0.2
        '000000000000 ac100003', //            target MAC unknown, 172.16.0.3
        '000000000000000000000000000000000000', // 18 bytes of padding to the 60-byte minimum
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'arp@0']);
    const a = layer(pkt, 'arp');
    expect([a.offset, a.length]).toEqual([14, 28]);
    expect(fieldsOf(a)).toEqual({
      'arp.hw.type': 1,
      'arp.proto.type': 0x0800,
      'arp.hw.size': 6,
      'arp.proto.size': 4,
      'arp.opcode': 1,
      'arp.src.hw_mac': 0x00155d000102,
      'arp.src.proto_ipv4': 0xac100002,
      'arp.dst.hw_mac': 0,
      'arp.dst.proto_ipv4': 0xac100003,
    });
    expect(a.warnings).toBeNull();
    expect(pkt.frameWarnings).toBeNull();
  });

  it('decodes a reply', () => {
    const pkt = run(
      hex(
        '00155d000102 00155d000103 0806', // eth: dst, src, type ARP
        '0001 0800 06 04', //
        '0002', //                            opcode 2: reply
        '00155d000103 ac100003', //           sender 00:15:5d:00:01:03, 172.16.0.3
        '00155d000102 ac100002', //           target 00:15:5d:00:01:02, 172.16.0.2
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'arp@0']);
    const a = layer(pkt, 'arp');
    expect(fieldsOf(a)['arp.opcode']).toBe(2);
    expect(fieldsOf(a)['arp.src.hw_mac']).toBe(0x00155d000103);
    expect(fieldsOf(a)['arp.src.proto_ipv4']).toBe(0xac100003);
    expect(fieldsOf(a)['arp.dst.hw_mac']).toBe(0x00155d000102);
    expect(fieldsOf(a)['arp.dst.proto_ipv4']).toBe(0xac100002);
  });

  it('flags fewer than 8 bytes as arp.truncated', () => {
    const d = hex('0001 0800 06 04 00'); // 7 bytes
    const p = new Dissection();
    arp(d, 0, d.length, p);
    expectTruncated(p.layers[0], 'arp', 'arp.truncated', 7, 8);
  });

  it('flags a body shorter than 8 + 2 * (6 + 4) as arp.truncated, keeping the fixed fields', () => {
    const d = hex('0001 0800 06 04 0001', '00155d000102 ac100002'); // 8 + 10 = 18 of 28 bytes
    const p = new Dissection();
    arp(d, 0, d.length, p);
    const a = p.layers[0];
    expect(a.length).toBe(18);
    expect(fieldsOf(a)).toEqual({
      'arp.hw.type': 1,
      'arp.proto.type': 0x0800,
      'arp.hw.size': 6,
      'arp.proto.size': 4,
      'arp.opcode': 1,
    });
    expect(a.warnings).toEqual([
      { code: 'arp.truncated', severity: 'error', message: '18 bytes, this ARP packet needs 28' },
    ]);
  });
});
