import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/decode/packet.js';
import { tcp } from '../../src/decode/protocols/tcp.js';
import { ascii, expectTruncated, hex, layer, run, shape, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

// IPv4 and TCP checksums were computed with an independent RFC 1071 function in python3 (TCP over
// the pseudo-header 192.168.0.1, 192.168.0.2, 0, 6, TCP length), never with the project's code.
const ETH = '00155d000103 00155d000102 0800'; // eth: dst, src, type IPv4
const SRC_DST = 'c0a80001 c0a80002'; //          192.168.0.1 -> 192.168.0.2

/** A SYN as Linux sends it: MSS, SACK permitted, timestamps, NOP, window scale. */
function syn(checksum: string): Uint8Array {
  return hex(
    ETH,
    '45 00 003c 0001 4000 40 06 b967', // IPv4: total 60, id 1, DF, ttl 64, TCP, cksum
    SRC_DST,
    'c350 0050', //   RFC 9293: source port 50000, destination port 80
    '12345678', //    sequence number
    '00000000', //    acknowledgment number
    'a0 02', //       data offset 10 (40 bytes), reserved 0, flags SYN
    'faf0', //        window 64240
    checksum, //      checksum (good: 0x9f0a)
    '0000', //        urgent pointer
    '020405b4', //    option 2: MSS 1460
    '0402', //        option 4: SACK permitted
    '080a 00000064 00000000', // option 8: timestamps TSval 100, TSecr 0
    '01', //          option 1: NOP
    '030307', //      option 3: window scale shift 7
  );
}

describe('tcp decoder', () => {
  it('reads the header and the MSS, window scale, SACK permitted and timestamp options', () => {
    const pkt = run(syn('9f0a'));
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'tcp@0']); // no payload: no data layer
    const t = layer(pkt, 'tcp');
    expect([t.offset, t.length]).toEqual([34, 40]);
    expect(fieldsOf(t)).toEqual({
      'tcp.srcport': 50000,
      'tcp.dstport': 80,
      // The capture's first segment, a SYN: stream 0, relative 0; no ACK flag, the ACK number as it is.
      'tcp.stream': 0,
      'tcp.seq': 0,
      'tcp.seq_raw': 0x12345678,
      'tcp.ack': 0,
      'tcp.ack_raw': 0,
      'tcp.hdr_len': 40,
      'tcp.flags': 0x002,
      'tcp.window_size_value': 64240,
      'tcp.checksum': 0x9f0a,
      'tcp.checksum.status': 1,
      'tcp.urgent_pointer': 0,
      'tcp.options.mss_val': 1460,
      'tcp.options.sack_perm': 1,
      'tcp.options.timestamp.tsval': 100,
      'tcp.options.timestamp.tsecr': 0,
      'tcp.options.wscale.shift': 7,
      'tcp.len': 0,
    });
    expect(t.warnings).toBeNull();
  });

  it('reports a bad checksum with the value it should be', () => {
    const pkt = run(syn('9f0b'));
    const t = layer(pkt, 'tcp');
    expect(fieldsOf(t)['tcp.checksum.status']).toBe(0);
    expect(t.warnings).toEqual([
      { code: 'tcp.checksum_bad', severity: 'error', message: 'checksum 0x9f0b, should be 0x9f0a' },
    ]);
  });

  it('reads PSH+ACK with a payload, which becomes a data layer', () => {
    const pkt = run(
      hex(
        ETH,
        '45 00 002d 0002 4000 40 06 b975', // IPv4: total 45 = 20 + 20 + 5
        SRC_DST,
        'c350 0050 12345679 0abcdef0', //     ports, seq, ack
        '50 18', //                           data offset 5, flags PSH (0x08) + ACK (0x10)
        '01f5 d2b1 0000', //                  window 501, checksum (python3), urgent 0
        '68656c6c6f', //                      "hello"
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'tcp@0', 'data@0']);
    const t = layer(pkt, 'tcp');
    expect(fieldsOf(t)).toEqual({
      'tcp.srcport': 50000,
      'tcp.dstport': 80,
      // Picked up mid-way: both directions' bases are one before the numbers seen, so 1 and 1.
      'tcp.stream': 0,
      'tcp.seq': 1,
      'tcp.seq_raw': 0x12345679,
      'tcp.ack': 1,
      'tcp.ack_raw': 0x0abcdef0,
      'tcp.hdr_len': 20,
      'tcp.flags': 0x018,
      'tcp.window_size_value': 501,
      'tcp.checksum': 0xd2b1,
      'tcp.checksum.status': 1,
      'tcp.urgent_pointer': 0,
      'tcp.len': 5,
    });
    expect(t.warnings).toBeNull();
    const data = layer(pkt, 'data');
    expect([data.offset, data.length]).toEqual([54, 5]);
    expect(toHex(fieldsOf(data)['data.data'])).toBe(toHex(ascii('hello')));
  });

  it('reads the flag bits above ACK: AE, CWR and ECE', () => {
    // byte 12 0x51: data offset 5, AE (lowest bit of the reserved nibble); byte 13 0xc2: CWR ECE SYN
    const d = hex('c350 0050 00000001 00000000', '51 c2', 'ffff 0000 0000');
    const p = new Dissection(); // no pseudo-header: checksum Unverified
    tcp(d, 0, d.length, p);
    expect(fieldsOf(p.layers[0])['tcp.flags']).toBe(0x1c2);
    expect(fieldsOf(p.layers[0])['tcp.checksum.status']).toBe(2);
    expect(p.layers[0].warnings).toBeNull();
  });

  it('skips unknown options and stops at end-of-options', () => {
    // data offset 9 (36 bytes), 16 option bytes: option 30 len 4 (unknown, skipped), MSS 536, EOL,
    // then bytes that would read as a 2-byte option and window scale 9 if parsing went on past EOL.
    const d = hex('c350 0050 00000001 00000000 90 02 ffff 0000 0000', '1e04 0000', '02040218', '00', '02 030309 000000');
    const p = new Dissection();
    tcp(d, 0, d.length, p);
    const f = fieldsOf(p.layers[0]);
    expect(f['tcp.options.mss_val']).toBe(536);
    expect('tcp.options.wscale.shift' in f).toBe(false);
    expect(f['tcp.hdr_len']).toBe(36);
  });

  it('rejects a data offset below 5 words', () => {
    const d = hex('c350 0050 00000001 00000000', '40 02', 'ffff 0000 0000');
    const p = new Dissection();
    tcp(d, 0, d.length, p);
    expect(p.layers[0].length).toBe(20);
    expect(p.layers[0].warnings).toEqual([
      { code: 'tcp.data_offset_too_small', severity: 'error', message: 'data offset 4 words, minimum is 5' },
    ]);
    expect(p.nextTable).toBeNull();
  });

  it('flags options cut off by the end of the bytes as tcp.truncated', () => {
    const d = hex('c350 0050 00000001 00000000', '60 02', 'ffff 0000 0000'); // offset 6: needs 24
    const p = new Dissection();
    tcp(d, 0, d.length, p);
    expect(p.layers[0].length).toBe(20);
    expect(p.layers[0].warnings).toEqual([
      { code: 'tcp.truncated', severity: 'error', message: '20 bytes, the TCP header with options needs 24' },
    ]);
  });

  it('flags fewer than 20 bytes as tcp.truncated', () => {
    const d = hex('c350 0050 00000001 00000000 50 02 ffff 0000 00'); // 19 bytes
    const p = new Dissection();
    tcp(d, 0, d.length, p);
    expectTruncated(p.layers[0], 'tcp', 'tcp.truncated', 19, 20, { 'tcp.srcport': 50000, 'tcp.dstport': 80 });
  });
});
