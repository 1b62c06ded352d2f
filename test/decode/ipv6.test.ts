import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dissect } from '../../src/decode/dissect.js';
import { frameOf } from './helpers.js';

// fixtures/nvgre-ipv6.pcap frame 9: NVGRE over IPv6 whose header is followed by hop-by-hop (8 bytes)
// and destination-options (8 bytes) headers before GRE. Records are found by walking the pcap.
function frame9(): Uint8Array {
  const file = readFileSync(new URL('../../fixtures/nvgre-ipv6.pcap', import.meta.url));
  let o = 24;
  for (let n = 1; n < 9; n++) o += 16 + file.readUInt32LE(o + 8);
  return Uint8Array.from(file.subarray(o + 16, o + 16 + file.readUInt32LE(o + 8)));
}

const PLEN = 14 + 4; // the payload length field: bytes 4-5 of the IPv6 header after 14 of Ethernet

describe('ipv6: a payload length that disagrees with the extension headers (found by fuzzing)', () => {
  it('payload length 0 after hop-by-hop is a jumbogram (RFC 2675): the payload runs to the end', () => {
    const d = frame9();
    d[PLEN] = 0;
    d[PLEN + 1] = 0;
    const pkt = dissect(frameOf(d));
    expect(pkt.layers.map((l) => l.proto)).toEqual(['eth', 'ipv6', 'gre', 'nvgre', 'eth', 'ip', 'icmp']);
    expect(pkt.layers.every((l) => l.length >= 0 && l.offset + l.length <= d.length)).toBe(true);
  });

  it('a payload length smaller than the extension headers is ipv6.truncated, and nothing past them is decoded', () => {
    const d = frame9();
    d[PLEN] = 0;
    d[PLEN + 1] = 12; // hop-by-hop (8) fits, destination options (8 more) do not
    const pkt = dissect(frameOf(d));
    expect(pkt.layers.map((l) => l.proto)).toEqual(['eth', 'ipv6']);
    const ipv6 = pkt.layers[1];
    expect(ipv6.length).toBe(52); // 40 + the 12 bytes the payload length gives
    expect(ipv6.warnings).toEqual([{ code: 'ipv6.truncated', severity: 'error', message: 'extension header 60 at byte 48 runs past the payload length, 12' }]);
  });
});
