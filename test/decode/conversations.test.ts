// tcp.stream, udp.stream and the relative tcp.seq / tcp.ack over fixtures/streams.pcap, whose
// frames fixtures/streams.ts lays out case by case; the values are worked out from that spec by
// tshark 4.0's rules (tshark agrees: test/tshark/agreement.test.ts compares every frame).
import { beforeAll, describe, expect, it } from 'vitest';
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
