// The per-subnet counts of --stats fed one frame at a time, as run() feeds them.
import { describe, expect, it } from 'vitest';
import { encapsulate, IpIds, tenantIp, vm1, vm2 } from '../../fixtures/lib/hnv.js';
import { IPPROTO_UDP, udp } from '../../fixtures/lib/packets.js';
import { Stats } from '../../src/analyze/stats.js';
import { newFrame } from '../../src/capture/frame.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';

/** Frames from vm1 to vm2 (one VSID) with these FlowIDs, counted. */
function statsOf(flowIds: number[]): Stats {
  const t = { outerIds: new IpIds(1), innerIds: new IpIds(1) };
  const stats = new Stats();
  const p = new Dissection();
  const frame = newFrame();
  frame.linktype = 1;
  for (const flowId of flowIds) {
    const inner = tenantIp(t, vm1, vm2, IPPROTO_UDP, udp({ src: vm1.ip, dst: vm2.ip, sport: 53000, dport: 53, payload: new Uint8Array(4) }));
    frame.data = encapsulate(t, vm1, vm2, flowId, inner);
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
});
