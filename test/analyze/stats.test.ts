// The per-subnet counts of --stats fed one frame at a time, as run() feeds them.
import { describe, expect, it } from 'vitest';
import { encapsulate, hostA, hostB, IpIds, tenantIp, type Vm, vm1, vm2 } from '../../fixtures/lib/hnv.js';
import { IPPROTO_UDP, udp } from '../../fixtures/lib/packets.js';
import { parseIpv4 } from '../../src/analyze/address.js';
import { Stats } from '../../src/analyze/stats.js';
import { newFrame } from '../../src/capture/frame.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';

/** Frames from vm1 to vm2 (one VSID) with these FlowIDs, counted. */
const statsOf = (flowIds: number[]): Stats => statsOfFrames(flowIds.map((flowId) => [vm1, vm2, flowId]));

/** UDP frames from one VM to another (in the second's VSID) with a FlowID each, counted. */
function statsOfFrames(frames: [Vm, Vm, number][]): Stats {
  const t = { outerIds: new IpIds(1), innerIds: new IpIds(1) };
  const stats = new Stats();
  const p = new Dissection();
  const frame = newFrame();
  frame.linktype = 1;
  for (const [from, to, flowId] of frames) {
    const inner = tenantIp(t, from, to, IPPROTO_UDP, udp({ src: from.ip, dst: to.ip, sport: 53000, dport: 53, payload: new Uint8Array(4) }));
    frame.data = encapsulate(t, from, to, flowId, inner);
    frame.caplen = frame.origLen = frame.data.length;
    frame.number++;
    stats.add(dissect(frame, p));
  }
  return stats;
}

describe('stats', () => {
  it('lists each FlowID once, at every bit of its 8 (0, 31 and 32 on either side of a word, 255), however often it recurs', () => {
    const [row] = statsOf([0, 31, 32, 255, 31, 0, 63, 64, 255, 1, 0]).rows('nvgre');
    expect(row.frames).toBe(11);
    expect([...row.flowIds].sort((a, b) => a - b)).toEqual([0, 1, 31, 32, 63, 64, 255]);
  });

  // Stats keeps the pairs each subnet found last in a direct-mapped cache (src/analyze/recent-pairs.ts).
  // Addresses 1024 apart in their low bits, and VSIDs 1024 apart, take the same slot: every frame
  // below evicts the one before, so a cache that answered for the wrong pair or subnet would show.
  const ip = (text: string): number => parseIpv4(text)!;
  const hostC = { ip: '172.16.4.2', mac: '00:15:5d:00:01:04' };
  const a: Vm = { ...vm1, ip: '10.1.0.2', host: hostA };
  const c: Vm = { ...vm1, ip: '10.1.4.2', host: hostC };
  const b: Vm = { ...vm2, ip: '10.1.0.9', vsid: 5000, host: hostB };
  const bOther: Vm = { ...b, vsid: 5000 + 1024 };
  const d: Vm = { ...b, ip: '10.1.4.9', host: { ip: '172.16.4.3', mac: '00:15:5d:00:01:05' } };

  it('counts two PA pairs and two CA pairs of a subnet that alternate frame by frame each as their own', () => {
    const stats = statsOfFrames([[a, b, 1], [c, b, 1], [a, b, 1], [c, b, 1], [a, b, 1]]);
    const [row] = stats.rows('nvgre');
    expect([...row.paPairs].map(([src, dsts]) => [src, [...dsts.keys()]])).toEqual([
      [ip(hostA.ip), [ip(hostB.ip)]],
      [ip(hostC.ip), [ip(hostB.ip)]],
    ]);
    expect(stats.underlay.rows().map((pair) => [pair.src, pair.dst, pair.frames])).toEqual([
      [ip(hostA.ip), ip(hostB.ip), 3],
      [ip(hostC.ip), ip(hostB.ip), 2],
    ]);
    expect([...row.caAddresses]).toEqual([ip(a.ip), ip(b.ip), ip(c.ip)]);
  });

  it('gives two subnets that alternate between the same PA and CA pairs each the pairs', () => {
    const rows = statsOfFrames([[a, b, 1], [a, bOther, 1], [a, b, 1], [a, bOther, 1]]).rows('nvgre');
    expect(rows.map((row) => [row.id, row.frames, [...row.paPairs.keys()], [...row.caAddresses]])).toEqual([
      [5000, 2, [ip(hostA.ip)], [ip(a.ip), ip(b.ip)]],
      [6024, 2, [ip(hostA.ip)], [ip(a.ip), ip(b.ip)]],
    ]);
  });

  it('counts the pairs from one address to two that alternate frame by frame each as their own', () => {
    const stats = statsOfFrames([[a, b, 1], [a, d, 1], [a, b, 1]]);
    const [row] = stats.rows('nvgre');
    expect([...row.paPairs].map(([src, dsts]) => [src, [...dsts.keys()]])).toEqual([[ip(hostA.ip), [ip(hostB.ip), ip(d.host.ip)]]]);
    expect(stats.underlay.rows().map((pair) => pair.frames)).toEqual([2, 1]);
    expect([...row.caAddresses]).toEqual([ip(a.ip), ip(b.ip), ip(d.ip)]);
  });
});
