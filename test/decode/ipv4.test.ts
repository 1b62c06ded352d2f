import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { ipv4 } from '../../src/decode/protocols/ipv4.js';
import { WARNINGS } from '../../src/decode/warnings.js';
import { makePalette } from '../../src/format/palette.js';
import { formatTree } from '../../src/format/tree.js';
import { codes, expectTruncated, frameOf, hex, layer, run, shape, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

const PLAIN = makePalette(0);

// RFC 791 header fields, one group each: ver/IHL, TOS, total length, id, flags+fragment offset,
// TTL, protocol, header checksum, source, destination. Header checksums below were computed with
// an independent RFC 1071 function in python3, never with the project's code.
const SRC_DST = 'c0a80001 c0a80002'; // 192.168.0.1 -> 192.168.0.2
// UDP 12345 -> 53, length 12, checksum 0x663a (python3 RFC 1071 over the pseudo-header), "test".
const UDP_12 = '3039 0035 000c 663a 74657374';

/** Runs the IPv4 decoder alone on `d` (an IPv4 header at offset 0). */
function decode(d: Uint8Array): Dissection {
  const p = new Dissection();
  ipv4(d, 0, d.length, p);
  return p;
}

describe('ipv4 decoder', () => {
  it('reads every field of a good header and hands [IHL*4, total length) on by protocol', () => {
    const d = hex('45', '00', '0020', '1c46', '4000', '40', '11', '9d33', SRC_DST, UDP_12);
    const p = decode(d);
    expect(p.layers).toHaveLength(1);
    const l = p.layers[0];
    expect([l.proto, l.offset, l.length, l.depth]).toEqual(['ip', 0, 20, 0]);
    expect(fieldsOf(l)).toEqual({
      'ip.version': 4,
      'ip.hdr_len': 20,
      'ip.dsfield': 0,
      'ip.len': 32,
      'ip.id': 0x1c46,
      'ip.flags': 0x2, // DF, as tshark: the 3-bit field (0x2 DF, 0x1 MF), not the byte 0x40
      'ip.flags.rb': 0,
      'ip.flags.df': 1,
      'ip.flags.mf': 0,
      'ip.frag_offset': 0,
      'ip.ttl': 64,
      'ip.proto': 17,
      'ip.checksum': 0x9d33,
      'ip.checksum.status': 1,
      'ip.src': 0xc0a80001,
      'ip.dst': 0xc0a80002,
    });
    expect(l.warnings).toBeNull();
    expect([p.nextTable, p.nextKey, p.nextOffset, p.nextEnd, p.nextTunnel]).toEqual(['ip.proto', 17, 20, 32, false]);
    // Pseudo-header partial sum: c0a8 + 0001 + c0a8 + 0002 = 0x18153 -> folded 0x8154.
    expect(p.pseudoSum).toBe(0x8154);
  });

  it('reads DS field, TTL and the reserved/MF flag bits', () => {
    // TOS 0xb8 (DSCP EF), flags 0xa000 = reserved bit + MF, offset 0; checksum deliberately 0x0000.
    const d = hex('45', 'b8', '0020', '0001', 'a000', '01', '11', '0000', SRC_DST, UDP_12);
    const l = decode(d).layers[0];
    expect(fieldsOf(l)['ip.dsfield']).toBe(0xb8);
    expect(fieldsOf(l)['ip.ttl']).toBe(1);
    expect(fieldsOf(l)['ip.flags']).toBe(0x5); // reserved 0x4 + MF 0x1, as tshark's ip.flags
    expect(fieldsOf(l)['ip.flags.rb']).toBe(1);
    expect(fieldsOf(l)['ip.flags.df']).toBe(0);
    expect(fieldsOf(l)['ip.flags.mf']).toBe(1);
  });

  it('reports a bad header checksum with the value it should be', () => {
    const d = hex('45 00 0020 1c46 4000 40 11', '9d34', SRC_DST, UDP_12); // correct value is 0x9d33
    const p = decode(d);
    const l = p.layers[0];
    expect(fieldsOf(l)['ip.checksum']).toBe(0x9d34);
    expect(fieldsOf(l)['ip.checksum.status']).toBe(0);
    expect(l.warnings).toEqual([
      { code: 'ip.checksum_bad', severity: 'error', message: 'header checksum 0x9d34, should be 0x9d33' },
    ]);
    // A bad checksum does not stop decoding.
    expect([p.nextTable, p.nextKey, p.nextOffset, p.nextEnd]).toEqual(['ip.proto', 17, 20, 32]);
  });

  it('reports a zero header checksum as Bad, as tshark, with the ip.checksum_zero note saying why that is likely harmless', () => {
    const d = hex('45 00 0020 1c46 4000 40 11', '0000', SRC_DST, UDP_12);
    const l = decode(d).layers[0];
    expect(fieldsOf(l)['ip.checksum']).toBe(0);
    expect(fieldsOf(l)['ip.checksum.status']).toBe(0); // Bad: tshark 4.0 with checking on says so too
    expect(l.warnings).toEqual([
      { code: 'ip.checksum_zero', severity: 'note', message: 'header checksum 0x0000, should be 0x9d33: zero, as left for checksum offload to fill in' },
    ]);
    // The tree's status line and the note say the same: wrong as captured, and why.
    const tree = formatTree({ frame: frameOf(d), layers: [l], frameWarnings: null, reassembled: null }, PLAIN);
    expect(tree).toContain('    Checksum Status: Bad\n');
    expect(tree).toContain('    ! note ip.checksum_zero: header checksum 0x0000, should be 0x9d33: zero, as left for checksum offload to fill in\n');
    expect(WARNINGS['ip.checksum_zero'][1]).toMatch(/^IPv4 header checksum is zero: Bad as captured/);
  });

  it('rejects IHL < 5 with ip.ihl_too_small and goes no further', () => {
    const d = hex('44', '00 0020 1c46 4000 40 11 9d33', SRC_DST, UDP_12); // IHL 4 = 16 bytes
    const p = decode(d);
    const l = p.layers[0];
    expect([l.length, fieldsOf(l)['ip.hdr_len']]).toEqual([20, 16]);
    expect(l.warnings).toEqual([
      {
        code: 'ip.ihl_too_small',
        severity: 'error',
        message: 'header length field is 4 words (16 bytes), minimum is 5',
      },
    ]);
    expect(p.nextTable).toBeNull();
  });

  it('does not report a checksum status of Bad for a header it never checked', () => {
    // The checksum of each header below is the one correct for the base header; the decoder stops
    // before summing (IHL < 5, version 6, options cut off), so the status can only be Unverified.
    for (const d of [
      hex('44', '00 0020 1c46 4000 40 11 9d33', SRC_DST, UDP_12),
      hex('65', '00 0020 1c46 4000 40 11 9d33', SRC_DST, UDP_12),
      hex('46 00 0024 1c47 4000 40 11 082a', SRC_DST, '9404'),
    ]) {
      const l = decode(d).layers[0];
      expect(l.warnings?.map((w) => w.code).some((c) => c.startsWith('ip.checksum'))).toBe(false);
      expect(fieldsOf(l)['ip.checksum.status'], toHex(d.subarray(0, 1))).toBe(2);
    }
  });

  it('rejects a version other than 4', () => {
    const d = hex('65', '00 0020 1c46 4000 40 11 9d33', SRC_DST, UDP_12);
    const p = decode(d);
    expect(fieldsOf(p.layers[0])['ip.version']).toBe(6);
    expect(codes(p.layers[0])).toEqual(['ip.version']);
    expect(p.layers[0].warnings?.[0].message).toBe('version field is 6, not 4');
    expect(p.nextTable).toBeNull();
  });

  it('flags fewer than 20 bytes as ip.truncated', () => {
    const d = hex('45 00 0020 1c46 4000 40 11 9d33 c0a80001 c0a800'); // 19 bytes
    const p = decode(d);
    expectTruncated(p.layers[0], 'ip', 'ip.truncated', 19, 20);
    expect(p.nextTable).toBeNull();
  });

  it('flags options cut off by the end of the bytes as ip.truncated', () => {
    const d = hex('46 00 0024 1c47 4000 40 11 082a', SRC_DST, '9404'); // IHL 6 needs 24, 22 given
    const p = decode(d);
    expect(p.layers[0].length).toBe(22);
    expect(p.layers[0].warnings).toEqual([
      { code: 'ip.truncated', severity: 'error', message: '22 bytes, the IPv4 header with options needs 24' },
    ]);
    expect(p.nextTable).toBeNull();
  });

  it('reports a total length smaller than the header and hands on the rest of the bytes', () => {
    // Total length 16 < 20; checksum 0x9d43 is correct for this header (python3 RFC 1071).
    const d = hex('45 00', '0010', '1c46 4000 40 11', '9d43', SRC_DST, UDP_12);
    const p = decode(d);
    const l = p.layers[0];
    expect(fieldsOf(l)['ip.checksum.status']).toBe(1);
    expect(l.warnings).toEqual([
      {
        code: 'ip.total_length_too_small',
        severity: 'error',
        message: 'total length 16 is less than the 20-byte header',
      },
    ]);
    expect([p.nextTable, p.nextKey, p.nextOffset, p.nextEnd]).toEqual(['ip.proto', 17, 20, 32]);
    expect(p.pseudoSum).toBe(-1); // not a whole datagram: transport checksums unverifiable
  });

  it('reports a total length beyond the bytes on the wire (no snaplen cut)', () => {
    // Total length 100 with 32 bytes present; checksum 0x9cef correct for this header (python3).
    const d = hex('45 00', '0064', '1c46 4000 40 11', '9cef', SRC_DST, UDP_12);
    const p = decode(d);
    const l = p.layers[0];
    expect(fieldsOf(l)['ip.len']).toBe(100);
    expect(fieldsOf(l)['ip.checksum.status']).toBe(1);
    expect(l.warnings).toEqual([
      {
        code: 'ip.total_length_exceeds_capture',
        severity: 'error',
        message: 'total length 100, only 32 bytes on the wire',
      },
    ]);
    expect([p.nextOffset, p.nextEnd]).toEqual([20, 32]);
    expect(p.pseudoSum).toBe(-1);
  });

  it('keeps options as bytes and starts the payload after them', () => {
    // IHL 6 (24 bytes): RFC 2113 Router Alert option 94 04 0000. Total 36; checksum 0x082a (python3).
    const d = hex('46 00 0024 1c47 4000 40 11 082a', SRC_DST, '94040000', UDP_12);
    const p = decode(d);
    const l = p.layers[0];
    expect([l.length, fieldsOf(l)['ip.hdr_len'], fieldsOf(l)['ip.len']]).toEqual([24, 24, 36]);
    expect(toHex(fieldsOf(l)['ip.options'])).toBe('94040000');
    expect(fieldsOf(l)['ip.checksum.status']).toBe(1);
    expect(l.warnings).toBeNull();
    expect([p.nextOffset, p.nextEnd]).toEqual([24, 36]);
  });

  it('has no ip.options field without options', () => {
    const d = hex('45 00 0020 1c46 4000 40 11 9d33', SRC_DST, UDP_12);
    expect('ip.options' in fieldsOf(decode(d).layers[0])).toBe(false);
  });
});

describe('ipv4 fragments (through dissect)', () => {
  const ETH = '00155d000103 00155d000102 0800'; // eth: dst, src, type IPv4

  it('shows a non-first fragment payload as data, with the ip.fragment note', () => {
    const pkt = run(
      hex(
        ETH,
        // IPv4: len 36, id 0xabcd, flags 0 + offset 0xb9 (185 * 8 = 1480), ttl 64, UDP, cksum 0x4cef (python3)
        '45 00 0024 abcd 00b9 40 11 4cef',
        SRC_DST,
        '00112233445566778899aabbccddeeff', // 16 bytes from the middle of a UDP datagram
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'data@0']);
    const ip = layer(pkt, 'ip');
    expect([fieldsOf(ip)['ip.flags'], fieldsOf(ip)['ip.flags.mf'], fieldsOf(ip)['ip.frag_offset']]).toEqual([0, 0, 185]); // 0x00b9: 185 units of 8 bytes = byte 1480, in tshark 4's units
    expect(fieldsOf(ip)['ip.checksum.status']).toBe(1);
    expect(ip.warnings).toEqual([
      { code: 'ip.fragment', severity: 'note', message: 'fragment at offset 1480, the last one (id 0xabcd)' },
    ]);
    const data = layer(pkt, 'data');
    expect([data.offset, data.length, fieldsOf(data)['data.len']]).toEqual([34, 16, 16]);
  });

  it('decodes the transport header of a first fragment (MF) but leaves its checksum Unverified', () => {
    const pkt = run(
      hex(
        ETH,
        // IPv4: len 48, id 0xabce, MF set + offset 0, ttl 64, TCP, cksum 0x2da6 (python3)
        '45 00 0030 abce 2000 40 06 2da6',
        SRC_DST,
        // TCP: 50000 -> 80, seq, ack, offset 5, PSH+ACK, window 501, checksum of the whole
        // (unseen) segment, urgent 0
        'c350 0050 12345679 0abcdef0 5018 01f5 beef 0000',
        '0001020304050607', // the first 8 payload bytes
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'tcp@0', 'data@0']);
    const ip = layer(pkt, 'ip');
    expect([fieldsOf(ip)['ip.flags'], fieldsOf(ip)['ip.flags.mf'], fieldsOf(ip)['ip.frag_offset']]).toEqual([0x1, 1, 0]);
    expect(ip.warnings).toEqual([
      { code: 'ip.fragment', severity: 'note', message: 'fragment at offset 0, more follow (id 0xabce)' },
    ]);
    const tcp = layer(pkt, 'tcp');
    expect(fieldsOf(tcp)['tcp.checksum']).toBe(0xbeef);
    expect(fieldsOf(tcp)['tcp.checksum.status']).toBe(2);
    expect(tcp.warnings).toBeNull();
    expect(fieldsOf(tcp)['tcp.len']).toBe(8);
  });

  it('nests IP-in-IP (protocol 4) one tunnel level deeper', () => {
    const pkt = run(
      hex(
        ETH,
        // outer IPv4: len 40, id 0, ttl 64, proto 4 (IPv4), cksum 0x66d0 (python3), 10.0.0.1 -> 10.0.0.2
        '45 00 0028 0000 0000 40 04 66d0 0a000001 0a000002',
        // inner IPv4: len 20, ttl 64, proto 253 (experimental), cksum 0x65e7 (python3), 10.0.0.3 -> 10.0.0.4
        '45 00 0014 0000 0000 40 fd 65e7 0a000003 0a000004',
      ),
    );
    // The inner datagram has no payload bytes, so no data layer follows it.
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'ip@1']);
    expect(pkt.layers[2].offset).toBe(34);
    expect(fieldsOf(pkt.layers[2])['ip.src']).toBe(0x0a000003);
    expect(pkt.layers.flatMap(codes)).toEqual([]);
  });
});
