import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { icmp } from '../../src/decode/protocols/icmp.js';
import { REF, ascii, codes, expectTruncated, hex, layer, run, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

// RFC 792 header: type, code, checksum, then 4 type-specific bytes (echo: identifier, sequence).
describe('icmp decoder', () => {
  it('decodes the reference echo request with a good checksum', () => {
    const pkt = run(REF);
    const i = layer(pkt, 'icmp');
    expect([i.offset, i.length, i.depth]).toEqual([76, 8, 2]);
    expect(fieldsOf(i)['icmp.type']).toBe(8);
    expect(fieldsOf(i)['icmp.code']).toBe(0);
    expect(fieldsOf(i)['icmp.checksum']).toBe(0x4d5a);
    expect(fieldsOf(i)['icmp.checksum.status']).toBe(1);
    expect(fieldsOf(i)['icmp.ident']).toBe(1);
    expect(fieldsOf(i)['icmp.seq']).toBe(1);
    expect(fieldsOf(i)['data.len']).toBe(32);
    expect(toHex(fieldsOf(i)['data.data'])).toBe(toHex(ascii('abcdefghijklmnopqrstuvwabcdefghi')));
    expect(i.warnings).toBeNull();
  });

  it('reports a bad checksum with the value it should be', () => {
    const d = REF.slice();
    d[79] = 0x5b; // ICMP checksum (bytes 78-79) 0x4d5a -> 0x4d5b; headers before it unchanged
    const pkt = run(d);
    const i = layer(pkt, 'icmp');
    expect(fieldsOf(i)['icmp.checksum']).toBe(0x4d5b);
    expect(fieldsOf(i)['icmp.checksum.status']).toBe(0);
    expect(i.warnings).toEqual([
      { code: 'icmp.checksum_bad', severity: 'error', message: 'checksum 0x4d5b, should be 0x4d5a' },
    ]);
    expect(pkt.layers.filter((l) => l.proto !== 'icmp').flatMap(codes)).toEqual([]);
  });

  it('has no identifier or sequence for a destination unreachable, and hands on the quoted datagram', () => {
    // type 3 code 3 (port unreachable), checksum 0x2fec (python3 RFC 1071), 4 unused bytes,
    // then 8 bytes standing in for the quoted datagram (RFC 792: its IP header and 8 bytes).
    const d = hex('03 03 2fec', '00000000', '0011223344556677');
    const p = new Dissection();
    p.pseudoSum = 0; // as the IPv4 decoder leaves it for a whole datagram
    icmp(d, 0, d.length, p);
    const i = p.layers[0];
    expect(fieldsOf(i)).toEqual({
      'icmp.type': 3,
      'icmp.code': 3,
      'icmp.checksum': 0x2fec,
      'icmp.checksum.status': 1,
    });
    // The quote is decoded as IPv4, one level deeper, and known to be incomplete.
    expect([p.nextTable, p.nextKey, p.nextOffset, p.nextEnd, p.nextTunnel]).toEqual(['ethertype', 0x0800, 8, 16, true]);
    expect(p.incomplete).toBe(true);
  });

  it('leaves the checksum Unverified when the carrying datagram is not whole', () => {
    const d = hex('03 03 2fed', '00000000', '0011223344556677'); // even a wrong checksum
    const p = new Dissection(); // pseudoSum -1: no whole datagram
    icmp(d, 0, d.length, p);
    expect(fieldsOf(p.layers[0])['icmp.checksum.status']).toBe(2);
    expect(p.layers[0].warnings).toBeNull();
  });

  it('has no data fields for a bare 8-byte message', () => {
    const d = hex('00 00 ffff 0000 0000'); // echo reply id 0 seq 0, checksum 0xffff (~0)
    const p = new Dissection();
    p.pseudoSum = 0;
    icmp(d, 0, d.length, p);
    expect(fieldsOf(p.layers[0])).toEqual({
      'icmp.type': 0,
      'icmp.code': 0,
      'icmp.checksum': 0xffff,
      'icmp.checksum.status': 1,
      'icmp.ident': 0,
      'icmp.seq': 0,
    });
  });

  it('flags fewer than 8 bytes as icmp.truncated', () => {
    const d = hex('08 00 4d5a 0001 00');
    const p = new Dissection();
    icmp(d, 0, d.length, p);
    expectTruncated(p.layers[0], 'icmp', 'icmp.truncated', 7, 8);
  });
});
