import { describe, expect, it } from 'vitest';
import { ETHERTYPE_IPV4, ethernet, icmpEcho, ipv4, IPPROTO_ICMP } from '../../fixtures/lib/packets.js';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { displayValue } from '../../src/format/fields.js';
import { makePalette } from '../../src/format/palette.js';
import { formatTree } from '../../src/format/tree.js';
import { run } from '../decode/helpers.js';

const DATA = FIELD_DEFS.get('data.data')!;
const bytes = (n: number, at = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (at + i) & 0xff);

describe('byte previews in the tree', () => {
  it('show 16 bytes at most, one hex-dump row, then how many more', () => {
    expect(displayValue(DATA, bytes(300))).toBe(
      '000102030405060708090a0b0c0d0e0f "\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f" ... (284 more bytes)',
    );
  });

  it('stay short for any bytes: the 48 that reached 307 columns', () => {
    // Every byte escaped (\xHH) is the worst case for the text half; an IP datagram's 65535 bytes for the count.
    expect(displayValue(DATA, bytes(65535, 0x80)).length).toBe(32 + 2 + 16 * 4 + 1 + ' ... (65519 more bytes)'.length);
    expect(displayValue(DATA, bytes(48, 0x80))).toMatch(/^808182838485868788898a8b8c8d8e8f "(\\x[89][0-9a-f]){16}" \.\.\. \(32 more bytes\)$/);
  });

  it('16 bytes or fewer are shown whole; one left over is "1 more byte"', () => {
    expect(displayValue(DATA, new TextEncoder().encode('abcdefghijklmnop'))).toBe('6162636465666768696a6b6c6d6e6f70 "abcdefghijklmnop"');
    expect(displayValue(DATA, new TextEncoder().encode('ab"\\'))).toBe('6162225c "ab\\"\\\\"');
    expect(displayValue(DATA, bytes(17))).toMatch(/" \.\.\. \(1 more byte\)$/);
  });
});

describe('frames in the tree', () => {
  const frame = run(
    ethernet({
      dst: '00:15:5d:00:01:03',
      src: '00:15:5d:00:01:02',
      type: ETHERTYPE_IPV4,
      payload: ipv4({ src: '10.1.0.2', dst: '10.2.0.2', proto: IPPROTO_ICMP, id: 1, payload: icmpEcho({ type: 8, id: 1, seq: 1, payload: bytes(4) }) }),
    }),
  );

  it('end with a blank line, as tshark -V leaves, plain or coloured', () => {
    const plain = formatTree(frame, makePalette(0));
    // The bytes, then their length, as tshark -V lists data.data and [Length].
    expect(plain).toMatch(/\n    Data: 00010203 "\\x00\\x01\\x02\\x03"\n    Length: 4 bytes\n\n$/);
    expect(plain.indexOf('\n\n')).toBe(plain.length - 2);
    expect(formatTree(frame, makePalette(1)).endsWith('\n\n')).toBe(true);
  });
});
