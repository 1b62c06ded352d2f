import { describe, expect, it } from 'vitest';
import { newFrame } from '../../src/capture/frame.js';
import { dissect, MAX_TUNNEL_DEPTH } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';
import { REF, allCodes, ascii, codes, frameOf, hex, layer, run, shape, toHex } from './helpers.js';
import { fieldsOf } from '../fields.js';

const REF_SHAPE = ['eth@0', 'ip@0', 'gre@0', 'nvgre@1', 'eth@2', 'ip@2', 'icmp@2'];

describe('dissect: the seed reference frame', () => {
  const pkt = run(REF);

  it('yields eth ip gre (depth 0), nvgre (1), eth ip icmp (2), and nothing else', () => {
    expect(REF.length).toBe(116);
    expect(shape(pkt)).toEqual(REF_SHAPE);
    expect(pkt.layers.map((l) => [l.offset, l.length])).toEqual([
      [0, 14],
      [14, 20],
      [34, 8],
      [38, 4], // nvgre: exactly the 4 key bytes inside the GRE header
      [42, 14],
      [56, 20],
      [76, 8],
    ]);
    expect(pkt.frameWarnings).toBeNull();
    expect(allCodes(pkt)).toEqual([]);
    expect(pkt.frame.data).toBe(REF);
  });

  it('decodes the outer Ethernet and IPv4 headers', () => {
    expect(fieldsOf(pkt.layers[0])).toEqual({ 'eth.dst': 0x00155d000103, 'eth.src': 0x00155d000102, 'eth.type': 0x0800 });
    expect(fieldsOf(pkt.layers[1])).toEqual({
      'ip.version': 4,
      'ip.hdr_len': 20,
      'ip.dsfield': 0,
      'ip.len': 102,
      'ip.id': 0x0100,
      'ip.flags': 0,
      'ip.flags.rb': 0,
      'ip.flags.df': 0,
      'ip.flags.mf': 0,
      'ip.frag_offset': 0,
      'ip.ttl': 128,
      'ip.proto': 47,
      'ip.checksum': 0xe143,
      'ip.checksum.status': 1,
      'ip.src': 0xac100002, // 172.16.0.2
      'ip.dst': 0xac100003, // 172.16.0.3
    });
  });

  it('decodes GRE and the NVGRE VSID / FlowID', () => {
    expect(fieldsOf(pkt.layers[2])).toEqual({
      'gre.flags_and_version': 0x2000,
      'gre.flags.checksum': 0,
      'gre.flags.routing': 0,
      'gre.flags.key': 1,
      'gre.flags.sequence_number': 0,
      'gre.flags.version': 0,
      'gre.proto': 0x6558,
      'gre.key': 0x3d59a400,
    });
    expect(fieldsOf(pkt.layers[3])).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 });
    expect(4020644).toBe(0x3d59a4);
  });

  it('decodes the tenant Ethernet, IPv4 and ICMP echo request', () => {
    expect(fieldsOf(pkt.layers[4])).toEqual({ 'eth.dst': 0x001dd8b71c03, 'eth.src': 0x001dd8b71c02, 'eth.type': 0x0800 });
    const ip = fieldsOf(pkt.layers[5]);
    expect([ip['ip.len'], ip['ip.id'], ip['ip.ttl'], ip['ip.proto']]).toEqual([60, 0x2a00, 128, 1]);
    expect([ip['ip.checksum'], ip['ip.checksum.status']]).toEqual([0xfcba, 1]);
    expect([ip['ip.src'], ip['ip.dst']]).toEqual([0x0a010002, 0x0a020002]); // 10.1.0.2 -> 10.2.0.2
    const icmp = fieldsOf(pkt.layers[6]);
    expect([icmp['icmp.type'], icmp['icmp.code'], icmp['icmp.ident'], icmp['icmp.seq']]).toEqual([8, 0, 1, 1]);
    expect([icmp['icmp.checksum'], icmp['icmp.checksum.status']]).toEqual([0x4d5a, 1]);
    expect(icmp['data.len']).toBe(32);
    expect(toHex(icmp['data.data'])).toBe(toHex(ascii('abcdefghijklmnopqrstuvwabcdefghi')));
  });

  it('gives the same result when one Dissection is reused across frames', () => {
    const p = new Dissection();
    const bad = REF.slice(0, 40); // leaves warnings and a half-decoded stack behind
    dissect(frameOf(bad, 116), p);
    const again = dissect(frameOf(REF), p);
    expect(shape(again)).toEqual(REF_SHAPE);
    expect(again.frameWarnings).toBeNull();
    expect(allCodes(again)).toEqual([]);
    expect(fieldsOf(again.layers[6])['icmp.checksum.status']).toBe(1);
  });
});

describe('dissect: cut frames', () => {
  it('notes frame.truncated when caplen < origLen and does not call the IPv4 lengths lies', () => {
    const pkt = run(REF.subarray(0, 100), 116);
    expect(pkt.frameWarnings).toEqual([
      { code: 'frame.truncated', severity: 'note', message: '100 of 116 bytes captured (snaplen)' },
    ]);
    expect(shape(pkt)).toEqual(REF_SHAPE);
    expect(allCodes(pkt)).toEqual(['frame.truncated']);
    const icmp = layer(pkt, 'icmp');
    expect(fieldsOf(icmp)['icmp.checksum.status']).toBe(2); // 16 of 32 data bytes: cannot be verified
    expect(fieldsOf(icmp)['data.len']).toBe(16);
  });

  it('calls the same lengths lies when the frame on the wire was that short', () => {
    const pkt = run(REF.subarray(0, 100)); // caplen = origLen = 100
    expect(pkt.frameWarnings).toBeNull();
    expect(pkt.layers[1].warnings).toEqual([
      { code: 'ip.total_length_exceeds_capture', severity: 'error', message: 'total length 102, only 86 bytes on the wire' },
    ]);
    expect(pkt.layers[5].warnings).toEqual([
      { code: 'ip.total_length_exceeds_capture', severity: 'error', message: 'total length 60, only 44 bytes on the wire' },
    ]);
  });

  /** The layers each prefix length can hold, from the header sizes: 14, 20, 8 (GRE+key), 14, 20, 8. */
  function expectedShape(n: number): string[] {
    if (n < 14) return ['eth@0']; // eth.truncated
    if (n < 34) return REF_SHAPE.slice(0, 2); // outer ip, truncated below 34
    if (n < 42) return REF_SHAPE.slice(0, 3); // gre, truncated below 42 (K needs 8 bytes)
    if (n < 56) return REF_SHAPE.slice(0, 5); // nvgre + a (truncated) tenant eth
    if (n < 76) return REF_SHAPE.slice(0, 6);
    return REF_SHAPE; // icmp, truncated below 84
  }

  for (const snaplen of [true, false]) {
    it(`never throws on any prefix of the reference frame (${snaplen ? 'snaplen cut' : 'short on the wire'})`, () => {
      for (let n = 0; n <= REF.length; n++) {
        const data = REF.slice(0, n);
        let pkt: ReturnType<typeof run> | undefined;
        expect(() => {
          pkt = run(data, snaplen ? REF.length : n);
        }, `prefix ${n}`).not.toThrow();
        expect(shape(pkt!), `prefix ${n}`).toEqual(expectedShape(n));
        // Every layer stays inside the captured bytes.
        for (const l of pkt!.layers) expect(l.offset + l.length, `prefix ${n} ${l.proto}`).toBeLessThanOrEqual(n);
        // The layers that were complete keep their values.
        if (n >= 42) expect(fieldsOf(layer(pkt!, 'nvgre'))['nvgre.vsid']).toBe(4020644);
        if (n >= 34) expect(fieldsOf(pkt!.layers[1])['ip.checksum.status']).toBe(1);
        if (!snaplen) {
          // Short on the wire: the header cut by the end says so (every n < 84 cuts one, see
          // expectedShape). Under a snaplen cut, frame.truncated below already says it.
          const last = pkt!.layers[pkt!.layers.length - 1];
          expect(codes(last).some((c) => c.endsWith('.truncated')), `prefix ${n}`).toBe(n < 84);
        }
        expect(pkt!.frameWarnings?.map((w) => w.code) ?? [], `prefix ${n}`).toEqual(
          snaplen && n < REF.length ? ['frame.truncated'] : [],
        );
      }
    });
  }
});

describe('dissect: endings', () => {
  it('ends an unknown IP protocol in a data layer', () => {
    const pkt = run(
      hex(
        '00155d000103 00155d000102 0800', //                   eth: dst, src, IPv4
        '45 00 0018 0003 0000 40 fd f892 c0a80001 c0a80002', // IPv4: total 24, ttl 64, proto 253, cksum (python3 RFC 1071)
        'cafebabe', //                                         4 payload bytes
      ),
    );
    expect(shape(pkt)).toEqual(['eth@0', 'ip@0', 'data@0']);
    expect(fieldsOf(layer(pkt, 'ip'))['ip.proto']).toBe(253);
    const data = layer(pkt, 'data');
    expect([data.offset, data.length, fieldsOf(data)['data.len']]).toEqual([34, 4, 4]);
    expect(toHex(fieldsOf(data)['data.data'])).toBe('cafebabe');
    expect(allCodes(pkt)).toEqual([]);
  });

  it('shows a frame of an unknown link type as data with link.unknown', () => {
    const f = newFrame();
    f.data = hex('0102030405');
    f.caplen = 5;
    f.origLen = 5;
    f.linktype = 147; // LINKTYPE_USER0
    const pkt = dissect(f);
    expect(shape(pkt)).toEqual(['data@0']);
    expect(pkt.frameWarnings).toEqual([
      { code: 'link.unknown', severity: 'warn', message: 'link type 147 is not decoded' },
    ]);
  });
});

describe('dissect: tunnel nesting cap', () => {
  // GRE in GRE: each level is an IPv4 header (10.0.0.1 -> 10.0.0.2, ttl 64, proto 47, id 0) and a
  // 4-byte GRE header (no flags, version 0, protocol IPv4). Total lengths shrink by 24 per level;
  // the header checksums were computed with an independent RFC 1071 function in python3.
  const LEVELS = [
    '45 00 00f0 0000 0000 40 2f 65dd 0a000001 0a000002 0000 0800', // total 240
    '45 00 00d8 0000 0000 40 2f 65f5 0a000001 0a000002 0000 0800', // total 216
    '45 00 00c0 0000 0000 40 2f 660d 0a000001 0a000002 0000 0800', // total 192
    '45 00 00a8 0000 0000 40 2f 6625 0a000001 0a000002 0000 0800', // total 168
    '45 00 0090 0000 0000 40 2f 663d 0a000001 0a000002 0000 0800', // total 144
    '45 00 0078 0000 0000 40 2f 6655 0a000001 0a000002 0000 0800', // total 120
    '45 00 0060 0000 0000 40 2f 666d 0a000001 0a000002 0000 0800', // total 96
    '45 00 0048 0000 0000 40 2f 6685 0a000001 0a000002 0000 0800', // total 72
    '45 00 0030 0000 0000 40 2f 669d 0a000001 0a000002 0000 0800', // total 48
  ];
  // innermost: IPv4 total 24, proto 253 (experimental, undecoded), 4 payload bytes
  const INNERMOST = '45 00 0018 0000 0000 40 fd 65e7 0a000001 0a000002 cafebabe';
  const ETH = '00155d000103 00155d000102 0800';

  it('is 8', () => {
    expect(MAX_TUNNEL_DEPTH).toBe(8);
  });

  it('follows 8 nested GRE tunnels to the end', () => {
    const pkt = run(hex(ETH, ...LEVELS.slice(1), INNERMOST));
    const expected = ['eth@0'];
    for (let k = 0; k < 8; k++) expected.push(`ip@${k}`, `gre@${k}`);
    expected.push('ip@8', 'data@8');
    expect(shape(pkt)).toEqual(expected);
    expect(pkt.frameWarnings).toBeNull();
    expect(allCodes(pkt)).toEqual([]);
    expect(fieldsOf(layer(pkt, 'data'))['data.len']).toBe(4);
  });

  it('stops the 9th nested tunnel with dissect.depth_exceeded and shows its payload as data', () => {
    const pkt = run(hex(ETH, ...LEVELS, INNERMOST));
    const expected = ['eth@0'];
    for (let k = 0; k < 9; k++) expected.push(`ip@${k}`, `gre@${k}`);
    expected.push('data@8');
    expect(shape(pkt)).toEqual(expected);
    expect(pkt.frameWarnings).toEqual([
      { code: 'dissect.depth_exceeded', severity: 'error', message: 'more than 8 nested tunnels' },
    ]);
    expect(pkt.layers.flatMap(codes)).toEqual([]);
    const data = layer(pkt, 'data');
    expect([data.offset, data.length, fieldsOf(data)['data.len']]).toEqual([14 + 9 * 24, 24, 24]); // innermost IP + payload
  });
});
