// tcp.stream, udp.stream and the relative tcp.seq / tcp.ack over fixtures/streams.pcap, whose
// frames fixtures/streams.ts lays out case by case; the values are worked out from that spec by
// tshark 4.0's rules (tshark agrees: test/tshark/agreement.test.ts compares every frame).
import { beforeAll, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/decode/conversations.js';
import type { Packet } from '../../src/decode/packet.js';
import { loadPackets } from '../filter/helpers.js';
import { fieldsOf } from '../fields.js';

let packets: Packet[];
beforeAll(async () => {
  packets = await loadPackets('streams.pcap');
});

const values = (key: string): (number | undefined)[][] =>
  packets.map((p) => p.layers.filter((l) => fieldsOf(l)[key] !== undefined).map((l) => fieldsOf(l)[key] as number));

describe('TCP conversations', () => {
  it('tcp.stream: numbered by first appearance, both directions one stream, a reused port pair with a new SYN a new one', () => {
    expect(values('tcp.stream').slice(0, 10)).toEqual([[0], [0], [1], [0], [1], [2], [3], [3], [0], [4]]);
  });

  it('tcp.seq: from the SYN (0), or from one before the first segment seen (1); past 2^32 it wraps', () => {
    expect(values('tcp.seq').slice(0, 10)).toEqual([[0], [0], [1], [1], [1], [0], [0], [0x20], [1], [0]]);
  });

  it("tcp.ack: from the other direction's base, or one before the first ACK number; as it is without the ACK flag", () => {
    // Frame 3 picks up a connection mid-way (ACK 9000: base 8999); frame 5 acknowledges 7003 of base 6999.
    expect(values('tcp.ack').slice(0, 10)).toEqual([[0], [1], [1], [1], [4], [12345], [0], [1], [1], [0]]);
  });

  it('tcp.seq_raw and tcp.ack_raw keep the numbers on the wire', () => {
    expect(values('tcp.seq_raw').slice(5, 8)).toEqual([[300], [0xfffffff0], [0x10]]);
    expect(values('tcp.ack_raw').slice(5, 8)).toEqual([[12345], [0], [77]]);
  });
});

describe('UDP conversations', () => {
  it("udp.stream: each UDP layer its own, VXLAN's and the tenant's; the tenant's conversation is one whatever carries it", () => {
    expect(values('udp.stream').slice(10)).toEqual([[0, 1], [2, 1], [1]]);
  });
});

describe('the conversation table', () => {
  // Conversations sit in buckets of a typed array that doubles past 1,024 of them (src/decode/conversations.ts).
  const SYN = 0x02;
  const ACK = 0x10;
  const host = (i: number): number => (0x0a000000 + i) >>> 0;

  it('keeps each stream and its sequence bases across the table doubling, with conversations alternating frame by frame', () => {
    const c = new Conversations();
    // 3,000 conversations (the table doubles twice), each opened by a SYN with its own base.
    for (let i = 0; i < 3000; i++) expect(c.tcp(host(i), 40000 + (i % 7), host(i + 1), 80, 1000 * i, 0, SYN).stream).toBe(i);
    // Every conversation in turn, from the far end (made before each doubling or after the last): each
    // its own stream; seq from one before the first seen (a base of 5000 + i), ack from its SYN's.
    for (let k = 1; k <= 2; k++) {
      for (let i = 0; i < 3000; i++) {
        const at = c.tcp(host(i + 1), 80, host(i), 40000 + (i % 7), 5000 + i + k, 1000 * i + k, ACK);
        if (at.stream !== i || at.seq !== k || at.ack !== k) expect({ conversation: i, ...at }).toEqual({ conversation: i, stream: i, seq: k, ack: k });
      }
    }
    expect(c.udp(host(5), 53, host(6), 53)).toBe(0);
    expect(c.udp(host(6), 53, host(5), 53)).toBe(0);
  });

  it('finds a conversation restarted on the same ports (a new SYN) before the old one, also once the table has doubled', () => {
    const c = new Conversations();
    expect(c.tcp(host(0), 1234, host(1), 80, 100, 0, SYN).stream).toBe(0);
    expect(c.tcp(host(0), 1234, host(1), 80, 900, 0, SYN).stream).toBe(1);
    for (let i = 2; i < 2100; i++) c.tcp(host(i), 1234, host(i + 5000), 80, 0, 0, SYN);
    expect({ ...c.tcp(host(1), 80, host(0), 1234, 7, 901, ACK) }).toEqual({ stream: 1, seq: 1, ack: 1 });
  });
});
