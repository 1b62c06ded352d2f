// Early rejection (--vsid, --flow-id, --pa decided before the tenant's layers are decoded) must keep
// exactly the frames that selects() keeps after a full decode, and must actually stop decoding.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection, type Layer, type Packet } from '../../src/decode/packet.js';
import { earlyRejection, type Selection, selects } from '../../src/filter/select.js';
import { ip, loadPackets } from './helpers.js';
import { fieldsFrom, fieldsOf } from '../fields.js';
import type { FieldValue } from '../../src/decode/fields.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const captures = readdirSync(FIXTURES).filter((n) => /\.(pcap|pcapng)$/.test(n));

/** Frames kept when decoding stops at the first sign of rejection. */
function keptEarly(packets: Packet[], sel: Selection): number[] {
  const p = new Dissection(null);
  p.rejects = earlyRejection(sel);
  return packets
    .filter((pkt) => {
      const again = dissect(pkt.frame, p);
      return !p.rejected && selects(sel, again);
    })
    .map((pkt) => pkt.frame.number);
}

/** Selections from what the capture carries: each VSID, FlowID and outer address, and ones it lacks. */
function selectionsOf(packets: Packet[]): Selection[] {
  const out: Selection[] = [{ vsids: [12345] }, { vsids: [], flowIds: [255] }, { vsids: [], pas: [ip('192.0.2.99')] }];
  for (const pkt of packets) {
    for (const l of pkt.layers) {
      if (l.proto === 'nvgre') {
        out.push({ vsids: [fieldsOf(l)['nvgre.vsid'] as number] }, { vsids: [], flowIds: [fieldsOf(l)['nvgre.flow_id'] as number] });
        out.push({ vsids: [fieldsOf(l)['nvgre.vsid'] as number], pas: [ip('172.16.0.2')] });
      }
      if (l.proto === 'ip' && l.depth === 0) out.push({ vsids: [], pas: [fieldsOf(l)['ip.src'] as number] });
    }
  }
  // Repeated options (any of the values), the value present first or last: each one must be tried.
  const anyOf = out.flatMap((sel) => [
    ...(sel.vsids?.length === 1 ? [{ vsids: [12345, sel.vsids[0]] }, { vsids: [sel.vsids[0], 12345] }] : []),
    ...(sel.flowIds?.length === 1 ? [{ flowIds: [255, sel.flowIds[0]] }, { flowIds: [sel.flowIds[0], 255] }] : []),
    ...(sel.pas?.length === 1 ? [{ pas: [ip('192.0.2.99'), sel.pas[0]] }, { pas: [sel.pas[0], ip('192.0.2.99')] }] : []),
  ]);
  return [...out, ...anyOf];
}

describe('early rejection', () => {
  it('is off without --vsid, --flow-id or --pa', () => {
    expect(earlyRejection({ vsids: [] })).toBeNull();
    expect(earlyRejection({ vsids: [], cas: [ip('10.1.0.2')] })).toBeNull();
  });

  it('stops at the NVGRE header of a VSID not asked for, and decodes the asked one whole', async () => {
    const [request, reply] = await loadPackets('seed-ping.pcap');
    const p = new Dissection(null);
    p.rejects = earlyRejection({ vsids: [8793502] });
    const rejected = dissect(request.frame, p);
    expect(p.rejected).toBe(true);
    expect(rejected.layers.map((l) => l.proto)).toEqual(['eth', 'ip', 'gre', 'nvgre']);
    const kept = dissect(reply.frame, p);
    expect(p.rejected).toBe(false);
    expect(kept.layers.map((l) => l.proto)).toEqual(['eth', 'ip', 'gre', 'nvgre', 'eth', 'ip', 'icmp']);
  });

  it('--pa waits for the last provider header: one inside an ICMP error at depth 0 counts', () => {
    const layer = (proto: Layer['proto'], depth: number, fields: Record<string, FieldValue> = {}): Layer => ({
      proto, offset: 0, length: 0, depth, fields: fieldsFrom(fields), warnings: null, cut: false, reassembled: false, learntFrom: 0,
    });
    const rejects = earlyRejection({ vsids: [], pas: [ip('172.16.0.3')] })!;
    const stack: Layer[] = [];
    const steps: [Layer, boolean][] = [
      [layer('eth', 0), false],
      [layer('ip', 0, { 'ip.src': ip('192.0.2.1'), 'ip.dst': ip('172.16.0.2') }), false],
      [layer('icmp', 0), false],
      [layer('ip', 0, { 'ip.src': ip('172.16.0.2'), 'ip.dst': ip('172.16.0.3') }), false], // the quoted packet
      [layer('gre', 0), false],
      [layer('nvgre', 1, { 'nvgre.vsid': 1, 'nvgre.flow_id': 0 }), false],
    ];
    for (const [l, expected] of steps) {
      stack.push(l);
      expect(rejects(stack), `after ${l.proto}`).toBe(expected);
    }
    const other = earlyRejection({ vsids: [], pas: [ip('198.51.100.7')] })!;
    expect(other(stack.slice(0, 5))).toBe(false); // still outside the tunnel: more provider headers may come
    expect(other(stack)).toBe(true);
  });

  it.each(captures)('%s: keeps exactly the frames a full decode selects', async (name) => {
    const packets = await loadPackets(name);
    for (const sel of selectionsOf(packets)) {
      const full = packets.filter((pkt) => selects(sel, pkt)).map((pkt) => pkt.frame.number);
      expect(keptEarly(packets, sel), JSON.stringify(sel)).toEqual(full);
    }
  });
});
