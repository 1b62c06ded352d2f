import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { gre } from '../../src/decode/protocols/gre.js';
import { codes, expectTruncated, hex, layer, run, shape, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

// Every frame: outer Ethernet, then an IPv4 header carrying protocol 47 from 172.16.0.2 to
// 172.16.0.3 (ver/IHL, TOS, total length, id, flags/offset, TTL 64, proto 47, checksum, src, dst).
// All checksums (IPv4 header and GRE) were computed with an independent RFC 1071 function in
// python3, never with the project's code.
const ETH = '00155d000103 00155d000102 0800'; // eth: dst, src, type IPv4
const ADDRS = 'ac100002 ac100003';

/** GRE with C, K and S (RFC 2784 + RFC 2890) carrying 8 bytes of an undecoded protocol. */
function greCKS(checksum: string): Uint8Array {
  return hex(
    ETH,
    '45 00 002c 0004 0000 40 2f 227a', // IPv4: total 44 = 20 + 16 GRE + 8 payload
    ADDRS,
    'b000', //      GRE flags: C (0x8000), K (0x2000), S (0x1000), version 0
    '88b5', //      protocol type: IEEE local experimental (no decoder)
    checksum, //    RFC 2784 checksum over GRE header + payload (good value 0x0b61)
    '0000', //      Reserved1
    '0000abcd', //  RFC 2890 key
    '00000007', //  RFC 2890 sequence number
    '0102030405060708', // payload
  );
}

describe('gre decoder: RFC 2784 / RFC 2890', () => {
  it('reads C, K and S fields in RFC 2890 order and verifies a good checksum', () => {
    const pkt = run(greCKS('0b61'));
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'data@1']);
    const g = layer(pkt, 'gre');
    expect([g.offset, g.length, g.depth]).toEqual([34, 16, 0]);
    expect(fieldsOf(g)).toEqual({
      'gre.flags_and_version': 0xb000,
      'gre.flags.checksum': 1,
      'gre.flags.routing': 0,
      'gre.flags.key': 1,
      'gre.flags.sequence_number': 1,
      'gre.flags.version': 0,
      'gre.proto': 0x88b5,
      'gre.checksum': 0x0b61,
      'gre.checksum.status': 1,
      'gre.key': 0xabcd,
      'gre.sequence_number': 7,
    });
    expect(g.warnings).toBeNull();
    const data = layer(pkt, 'data');
    expect([data.offset, data.length, data.depth]).toEqual([50, 8, 1]);
    expect(toHex(fieldsOf(data)['data.data'])).toBe('0102030405060708');
  });

  it('reports a bad GRE checksum', () => {
    const pkt = run(greCKS('0b62'));
    const g = layer(pkt, 'gre');
    expect(fieldsOf(g)['gre.checksum']).toBe(0x0b62);
    expect(fieldsOf(g)['gre.checksum.status']).toBe(0);
    expect(g.warnings).toEqual([{ code: 'gre.checksum_bad', severity: 'error', message: 'checksum 0x0b62 does not match' }]);
    // the outer IPv4 header is untouched by the change
    expect(codes(layer(pkt, 'ip'))).toEqual([]);
  });

  it('does not call a checksum bad when the capture cut the frame (snaplen)', () => {
    const full = greCKS('0b61');
    const pkt = run(full.subarray(0, 54), full.length); // 58 bytes on the wire, 54 captured
    expect(pkt.frameWarnings?.map((w) => w.code)).toEqual(['frame.truncated']);
    const g = layer(pkt, 'gre');
    expect(codes(g)).toEqual([]);
    expect(fieldsOf(g)['gre.checksum']).toBe(0x0b61);
    expect(fieldsOf(g)['gre.checksum.status']).toBe(2); // Unverified, as ICMP/TCP/UDP (and Wireshark) say
  });

  it('leaves the checksum of GRE in a first IPv4 fragment Unverified (the payload is not all here)', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 002c 000c 2000 40 2f 0272', // IPv4: total 44, id 0x000c, MF set, offset 0
        ADDRS,
        'b000 88b5', //   GRE: C, K, S, proto 0x88b5
        'beef 0000', //   checksum of the whole (not captured here) GRE packet, Reserved1
        '0000abcd', //    key
        '00000007', //    sequence number
        '0102030405060708', // first 8 payload bytes; the rest is in later fragments
      ),
    );
    expect(codes(layer(pkt, 'ip'))).toEqual(['ip.fragment']);
    const g = layer(pkt, 'gre');
    expect(fieldsOf(g)['gre.checksum.status']).toBe(2);
    expect(codes(g)).toEqual([]);
  });

  it('warns about the R bit (RFC 1701 routing) and shows the rest as data at the same depth', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 0020 000b 0000 40 2f 227f', // IPv4: total 32
        ADDRS,
        '4000 0800', // GRE: R bit, proto IPv4
        '0000 0000', // checksum (present with R) + offset
        'deadbeef', //  routing information, not decoded
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'data@0']);
    const g = layer(pkt, 'gre');
    expect(g.length).toBe(8);
    expect(fieldsOf(g)['gre.flags.routing']).toBe(1);
    // RFC 1701: the checksum field is there with R too, as tshark shows it; only C makes it valid.
    expect([fieldsOf(g)['gre.checksum'], fieldsOf(g)['gre.checksum.status']]).toEqual([0, 2]);
    expect(g.warnings).toEqual([
      {
        code: 'gre.routing',
        severity: 'warn',
        message: 'flags 0x4000: source routing / recursion control are not decoded',
      },
    ]);
    expect(fieldsOf(layer(pkt, 'data'))['data.len']).toBe(4);
  });

  it('flags fewer than 4 bytes as gre.truncated', () => {
    const d = hex('2000 65');
    const p = new Dissection();
    gre(d, 0, d.length, p);
    expectTruncated(p.layers[0], 'gre', 'gre.truncated', 3, 4);
    expect(p.nextTable).toBeNull();
  });

  it('flags a key announced by K but cut off as gre.truncated, keeping the flags', () => {
    const d = hex('2000 6558', '3d59'); // K set: header needs 8, 6 present
    const p = new Dissection();
    gre(d, 0, d.length, p);
    const g = p.layers[0];
    expect(g.length).toBe(6);
    expect(fieldsOf(g)['gre.flags.key']).toBe(1);
    expect(fieldsOf(g)['gre.proto']).toBe(0x6558);
    expect('gre.key' in fieldsOf(g)).toBe(false);
    expect(g.warnings).toEqual([
      { code: 'gre.truncated', severity: 'error', message: '6 bytes, the GRE header with its flagged fields needs 8' },
    ]);
    expect(p.nextTable).toBeNull();
  });
});

describe('gre decoder: version 1 (PPTP, RFC 2637)', () => {
  it('splits the key into payload length and call id, and reads sequence and ack (A bit)', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 0028 0009 0000 40 2f 2279', // IPv4: total 40 = 20 + 16 GRE + 4 payload
        ADDRS,
        '3081', //      flags: K (0x2000), S (0x1000), A (0x0080), version 1
        '880b', //      protocol type PPP
        '0004', //      key high half: payload length 4
        '1a2b', //      key low half: call id 6699
        '00000002', //  sequence number 2
        '00000001', //  acknowledgment number 1
        'ff030021', //  PPP: address, control, protocol IPv4 (4 bytes)
      ),
    );
    // The payload is a whole PPP header (RFC 1661) naming IPv4, with no IPv4 packet behind it.
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'gre@0', 'ppp@1', 'ip@1']);
    const g = layer(pkt, 'gre');
    expect(g.length).toBe(16);
    expect(fieldsOf(g)).toEqual({
      'gre.flags_and_version': 0x3081,
      'gre.flags.checksum': 0,
      'gre.flags.routing': 0,
      'gre.flags.key': 1,
      'gre.flags.sequence_number': 1,
      'gre.flags.version': 1,
      'gre.proto': 0x880b,
      'gre.key.payload_length': 4,
      'gre.key.call_id': 6699,
      'gre.sequence_number': 2,
      'gre.ack_number': 1,
    });
    expect(g.warnings).toBeNull();
    const ppp = layer(pkt, 'ppp');
    expect([ppp.offset, ppp.length, fieldsOf(ppp)]).toEqual([50, 4, { 'ppp.address': 0xff, 'ppp.control': 0x03, 'ppp.protocol': 0x0021 }]);
  });

  it('has no acknowledgment number without the A bit', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 0024 000a 0000 40 2f 227c', // IPv4: total 36 = 20 + 12 GRE + 4 payload
        ADDRS,
        '3001 880b', //  flags: K, S, version 1; PPP
        '0004 1a2b', //  payload length 4, call id 6699
        '00000002', //   sequence number 2
        'ff030021', //   PPP payload
      ),
    );
    const g = layer(pkt, 'gre');
    expect(g.length).toBe(12);
    expect('gre.ack_number' in fieldsOf(g)).toBe(false);
    expect(fieldsOf(g)['gre.sequence_number']).toBe(2);
    expect(fieldsOf(g)['gre.key.call_id']).toBe(6699);
    const ppp = layer(pkt, 'ppp');
    expect([ppp.offset, ppp.length, fieldsOf(ppp)['ppp.protocol']]).toEqual([46, 4, 0x0021]);
  });
});
