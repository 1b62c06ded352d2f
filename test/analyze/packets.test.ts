// Counting a packet once by its PktGroupId: PacketCount splits each key at bit 30 and keeps the
// low parts as bits, 30 keys a leaf, the last leaf in hand: keys that share a low or a high part,
// or a leaf, must still count apart, and a leaf left must keep what it counted.
import { describe, expect, it } from 'vitest';
import { PacketCount, packetKey, SharedPackets } from '../../src/analyze/packets.js';
import type { PktmonConvertedInfo } from '../../src/capture/etw-packet.js';

const converted = (pktGroupId: number | bigint): PktmonConvertedInfo => ({
  provider: 'pktmon-pcapng',
  pktGroupId,
  dropped: false,
  interfaceId: 0,
  component: undefined,
  componentDescription: undefined,
  componentAddress: undefined,
});

/** [frames, packets] after adding `keys` in order, and which adds were new packets. */
function count(keys: (number | bigint | undefined)[]): { frames: number; packets: number; fresh: boolean[] } {
  const c = new PacketCount();
  const fresh = keys.map((k) => c.add(k));
  return { frames: c.frames, packets: c.packets, fresh };
}

describe('PacketCount: a packet seen at several components counted once', () => {
  it('keys equal in their low 30 bits, or in the bits above, are different packets', () => {
    const base = 562_949_953_421_313; // 2^49 + 1, as pktmon numbers them
    expect(count([base, base + 2 ** 30, base, base + 1, base + 2 ** 30, base + 1]).fresh).toEqual([true, true, false, true, false, false]);
  });

  it('keys of one leaf, of the next, and a leaf left and come back to', () => {
    const base = 562_949_953_421_310; // a multiple of 30: the first key of a leaf
    const keys = [0, 29, 30, 0, 59, 29, 60, 30, 61, 0].map((k) => base + k);
    expect(count(keys).fresh).toEqual([true, true, true, false, true, false, true, false, true, false]);
  });

  it('the split point itself and the largest exact number', () => {
    const top = Number.MAX_SAFE_INTEGER;
    expect(count([2 ** 30 - 1, 2 ** 30, 2 ** 30 - 1, top, top - 2 ** 30, top]).fresh).toEqual([true, true, false, true, true, false]);
  });

  it('bigint keys past 2^53 (and a later capture) never meet the number keys with the same low bits', () => {
    const big = 2n ** 63n + 5n;
    const second = packetKey(converted(5), 1);
    expect(second).toBe((1n << 64n) | 5n);
    expect(count([5, big, second, 5, big, second, 2n ** 53n + 5n]).fresh).toEqual([true, true, true, false, false, false, true]);
  });

  it('frames without a key are packets of their own; grouped says whether any had one', () => {
    const c = new PacketCount();
    expect([c.add(undefined), c.add(undefined), c.grouped]).toEqual([true, true, false]);
    expect([c.add(7), c.add(7), c.grouped, c.frames, c.packets]).toEqual([true, false, true, 4, 3]);
  });

  it('a copy counts on by itself: what the original counts later is new to it, and the reverse', () => {
    const a = new PacketCount();
    a.add(1);
    a.add(2 ** 40);
    const b = a.copy();
    expect([a.add(3), b.add(1), b.add(2 ** 40), b.add(3), a.add(3)]).toEqual([true, false, false, true, false]);
    expect([a.frames, a.packets, b.frames, b.packets]).toEqual([4, 3, 5, 3]);
  });

  it('a copy made while a leaf is in hand has what that leaf counted', () => {
    const a = new PacketCount();
    a.add(5);
    const b = a.copy();
    expect([b.add(5), b.add(6), a.add(6)]).toEqual([false, true, true]);
  });
});

describe('SharedPackets: each subnet counts a packet once, in slots all subnets share', () => {
  const base = 562_949_953_421_312; // 2^49, a multiple of the 64 keys a page holds

  it('interleaved subnets, each packet at three components: counted once in its own subnet only', () => {
    const shared = new SharedPackets();
    const [a, b] = [shared.count(), shared.count()];
    const fresh: boolean[] = [];
    for (let k = 0; k < 4; k++) for (let seen = 0; seen < 3; seen++) fresh.push((k % 2 === 0 ? a : b).add(base + k));
    expect(fresh).toEqual([true, false, false, true, false, false, true, false, false, true, false, false]);
    expect([a.frames, a.packets, b.frames, b.packets]).toEqual([6, 2, 6, 2]);
  });

  it('a packet in two subnets (its VSID rewritten) counts once in each, however they alternate', () => {
    const shared = new SharedPackets();
    const [a, b, c] = [shared.count(), shared.count(), shared.count()];
    expect([a.add(base + 5), b.add(base + 5), a.add(base + 5), b.add(base + 5), c.add(base + 5), c.add(base + 5)]).toEqual([true, true, false, false, true, false]);
  });

  it('keys on both sides of a page boundary, a page left and come back to, and the largest exact number', () => {
    const shared = new SharedPackets();
    const a = shared.count();
    const top = Number.MAX_SAFE_INTEGER;
    const keys = [63, 64, 0, 63, 64, 1000, 0, 1000].map((k) => base + k);
    expect([...keys.map((k) => a.add(k)), a.add(top), a.add(top - 64), a.add(top)]).toEqual([true, true, true, false, false, true, false, false, true, true, false]);
  });

  it('bigint keys (past 2^53, a later capture) never meet number keys with the same value or low bits', () => {
    const shared = new SharedPackets();
    const a = shared.count();
    const second = packetKey(converted(5), 1) as bigint;
    expect([a.add(5), a.add(5n), a.add(second), a.add(second + 64n), a.add(5), a.add(5n), a.add(second), a.add(2n ** 53n)]).toEqual([true, true, true, true, false, false, false, true]);
  });

  it('frames without a key are packets of their own', () => {
    const a = new SharedPackets().count();
    expect([a.add(undefined), a.add(undefined), a.add(7), a.add(7), a.frames, a.packets]).toEqual([true, true, true, false, 4, 3]);
  });
});
