import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { udp } from '../../src/decode/protocols/udp.js';
import { codes, expectTruncated, hex, layer, run, shape, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

// IPv4 and UDP checksums were computed with an independent RFC 1071 function in python3 (UDP over
// the pseudo-header 192.168.0.1, 192.168.0.2, 0, 17, UDP length), never with the project's code.
const ETH = '00155d000103 00155d000102 0800'; //            eth: dst, src, type IPv4
const IP32 = '45 00 0020 1c46 4000 40 11 9d33 c0a80001 c0a80002'; // IPv4: total 32, DF, ttl 64, UDP

/** RFC 768: source port 12345, destination port 53, length, checksum, then "test". */
function udpFrame(length: string, checksum: string): Uint8Array {
  return hex(ETH, IP32, '3039 0035', length, checksum, '74657374');
}

describe('udp decoder', () => {
  it('reads the header and verifies a good checksum', () => {
    const pkt = run(udpFrame('000c', '663a'));
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'udp@0', 'data@0']);
    const u = layer(pkt, 'udp');
    expect([u.offset, u.length]).toEqual([34, 8]);
    expect(fieldsOf(u)).toEqual({
      'udp.srcport': 12345,
      'udp.dstport': 53,
      'udp.length': 12,
      'udp.checksum': 0x663a,
      'udp.checksum.status': 1,
      'udp.stream': 0,
    });
    expect(u.warnings).toBeNull();
    const data = layer(pkt, 'data');
    expect([data.offset, data.length]).toEqual([42, 4]);
    expect(toHex(fieldsOf(data)['data.data'])).toBe('74657374');
  });

  it('reports a bad checksum with the value it should be', () => {
    const pkt = run(udpFrame('000c', '663b'));
    const u = layer(pkt, 'udp');
    expect(fieldsOf(u)['udp.checksum.status']).toBe(0);
    expect(u.warnings).toEqual([
      { code: 'udp.checksum_bad', severity: 'error', message: 'checksum 0x663b, should be 0x663a' },
    ]);
  });

  it('notes a zero checksum (not computed) with status 3, Not present, as tshark has it', () => {
    const pkt = run(udpFrame('000c', '0000'));
    const u = layer(pkt, 'udp');
    expect(fieldsOf(u)['udp.checksum']).toBe(0);
    expect(fieldsOf(u)['udp.checksum.status']).toBe(3);
    expect(u.warnings).toEqual([{ code: 'udp.checksum_zero', severity: 'note', message: 'no checksum (0x0000)' }]);
  });

  it('reports a length field larger than the IP payload', () => {
    const pkt = run(udpFrame('0010', '663a')); // says 16, IP carries 12
    const u = layer(pkt, 'udp');
    expect(fieldsOf(u)['udp.length']).toBe(16);
    expect(fieldsOf(u)['udp.checksum.status']).toBe(2); // which bytes to sum is unknown: not verified
    expect(u.warnings).toEqual([
      { code: 'udp.length_mismatch', severity: 'error', message: 'length field 16, the IP payload is 12 bytes' },
    ]);
    expect(fieldsOf(layer(pkt, 'data'))['data.len']).toBe(4);
  });

  it('reports a length field smaller than the IP payload and ends the payload there', () => {
    const pkt = run(udpFrame('000a', '663a')); // says 10: 2 payload bytes
    const u = layer(pkt, 'udp');
    expect(u.warnings).toEqual([
      { code: 'udp.length_mismatch', severity: 'error', message: 'length field 10, the IP payload is 12 bytes' },
    ]);
    const data = layer(pkt, 'data');
    expect([data.offset, data.length]).toEqual([42, 2]);
  });

  it('does not call the length of a first IPv4 fragment a mismatch, and leaves its checksum Unverified', () => {
    // The UDP length of a fragmented datagram is the whole datagram's (1000 here); the first
    // fragment carries only its start, so length > payload is expected, not an error.
    const pkt = run(
      hex(
        ETH,
        '45 00 0024 abcf 2000 40 11 2da6', // IPv4: total 36, id 0xabcf, MF set, offset 0, cksum (python3)
        'c0a80001 c0a80002',
        '3039 0035 03e8 beef', //             UDP: 12345 -> 53, length 1000, checksum of the whole datagram
        '0001020304050607', //                first 8 payload bytes
      ),
    );
    expect(codes(layer(pkt, 'ip'))).toEqual(['ip.fragment']);
    const u = layer(pkt, 'udp');
    expect(fieldsOf(u)['udp.length']).toBe(1000);
    expect(fieldsOf(u)['udp.checksum.status']).toBe(2);
    expect(codes(u)).toEqual([]);
  });

  it('flags fewer than 8 bytes as udp.truncated', () => {
    const d = hex('3039 0035 000c 66'); // 7 bytes
    const p = new Dissection();
    udp(d, 0, d.length, p);
    expectTruncated(p.layers[0], 'udp', 'udp.truncated', 7, 8, { 'udp.srcport': 12345, 'udp.dstport': 53 });
    expect(p.nextTable).toBeNull();
  });
});
