import { expect } from 'vitest';
import { newFrame, type Frame } from '../../src/capture/frame.js';
import { dissect } from '../../src/decode/dissect.js';
import type { Layer, Packet } from '../../src/decode/packet.js';
import { fieldsOf } from '../fields.js';

/**
 * Hand-written hex -> bytes. Each argument is one group of header bytes (so a test can put a
 * comment after each); spaces inside a group are ignored.
 */
export function hex(...groups: string[]): Uint8Array {
  const s = groups.join('').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new Error(`bad hex: ${s}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** ASCII text -> bytes, for expected payloads. */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Wraps bytes in an Ethernet (linktype 1) capture record; `origLen` > length means a snaplen cut. */
export function frameOf(data: Uint8Array, origLen = data.length): Frame {
  const f = newFrame();
  f.number = 1;
  f.data = data;
  f.caplen = data.length;
  f.origLen = origLen;
  f.linktype = 1;
  return f;
}

/** Dissects bytes as one Ethernet frame. */
export function run(data: Uint8Array, origLen = data.length): Packet {
  return dissect(frameOf(data, origLen));
}

/** `proto@depth` for every layer, in order: the shape of a dissection in one comparable value. */
export function shape(pkt: Packet): string[] {
  return pkt.layers.map((l) => `${l.proto}@${l.depth}`);
}

/** Warning codes of one layer (empty when it has none). */
export function codes(layer: Layer): string[] {
  return (layer.warnings ?? []).map((w) => w.code);
}

/** Every warning code in the packet, frame-level first, then layer by layer. */
export function allCodes(pkt: Packet): string[] {
  return [...(pkt.frameWarnings ?? []).map((w) => w.code), ...pkt.layers.flatMap(codes)];
}

/** The only layer of `proto` at `depth` (throws when there is not exactly one). */
export function layer(pkt: Packet, proto: string, depth?: number): Layer {
  const found = pkt.layers.filter((l) => l.proto === proto && (depth === undefined || l.depth === depth));
  if (found.length !== 1) throw new Error(`${found.length} ${proto} layers at depth ${depth}: ${shape(pkt).join(' ')}`);
  return found[0];
}

/** Same hex rendering for byte views, so failures show readable diffs. */
export function toHex(b: unknown): string {
  if (!(b instanceof Uint8Array)) return `not bytes: ${String(b)}`;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * The seed article's reference frame (fixtures/seed-ping.pcap frame 1, 116 bytes), one group per
 * header. Checksums 0xe143, 0xfcba and 0x4d5a were re-verified with an independent RFC 1071
 * function in python3 (not the project's code).
 */
export const REF = hex(
  '00155d000103 00155d000102 0800', //                       outer eth: dst, src, type IPv4
  '45 00 0066 0100 0000 80 2f e143 ac100002 ac100003', //    outer IPv4: v4 IHL5, tos 0, len 102, id 0x0100, no frag, ttl 128, proto 47, cksum, 172.16.0.2 -> 172.16.0.3
  '2000 6558 3d59a4 00', //                                  GRE: K only, ver 0, proto TEB; key = VSID 0x3d59a4 + FlowID 0
  '001dd8b71c03 001dd8b71c02 0800', //                       inner eth: dst, src, type IPv4
  '45 00 003c 2a00 0000 80 01 fcba 0a010002 0a020002', //    inner IPv4: len 60, id 0x2a00, ttl 128, proto 1, cksum, 10.1.0.2 -> 10.2.0.2
  '08 00 4d5a 0001 0001', //                                 ICMP: echo request, code 0, cksum, id 1, seq 1
  '6162636465666768696a6b6c6d6e6f7071727374757677 616263646566676869', // 32 bytes "abc...w" + "abc...i"
);

/**
 * Asserts `l` is the empty layer a decoder adds when its header is cut short: exactly one warning,
 * `code` at error severity, quoting the bytes present and the bytes needed.
 */
/** `fields`: what the cut header still gives (ports, a VLAN TCI), kept as decoding keeps what it can. */
export function expectTruncated(l: Layer, proto: string, code: string, avail: number, needs: number, fields = {}): void {
  expect([l.proto, l.length, fieldsOf(l)]).toEqual([proto, avail, fields]);
  expect(l.warnings).toHaveLength(1);
  expect([l.warnings?.[0].code, l.warnings?.[0].severity]).toEqual([code, 'error']);
  expect(l.warnings?.[0].message).toMatch(new RegExp(`^${avail} bytes, .* needs ${needs}$`));
}
