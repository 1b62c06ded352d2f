import { describe, expect, it } from 'vitest';
import { annotate, PolicyNames } from '../../src/analyze/names.js';
import type { Layer, Packet } from '../../src/decode/packet.js';
import { agreeing, ip, RD_BLUE, RD_RED, record, route } from './policy-fixture.js';
import { fieldsFrom, fieldsOf } from '../fields.js';
import type { FieldValue } from '../../src/decode/fields.js';

const l = (proto: string, fields: Record<string, FieldValue>, depth: number): Layer =>
  ({ proto, offset: 0, length: 0, depth, fields: fieldsFrom(fields), warnings: null, cut: false, reassembled: false, learntFrom: 0 }) as Layer;

/** red-1 (10.1.0.2) pings red-2 (10.2.0.2): the frame carries red-2's VSID. */
function ping(vsid: number, src = '10.1.0.2', dst = '10.2.0.2'): Packet {
  return {
    frame: { number: 1 } as Packet['frame'],
    layers: [
      l('ip', { 'ip.src': ip('172.16.0.2'), 'ip.dst': ip('172.16.0.3') }, 0),
      l('gre', {}, 0),
      l('nvgre', { 'nvgre.vsid': vsid, 'nvgre.flow_id': 0 }, 0),
      l('eth', {}, 1),
      l('ip', { 'ip.src': ip(src), 'ip.dst': ip(dst) }, 1),
    ],
    frameWarnings: null,
    reassembled: null,
  };
}

const nvgreFields = (p: Packet) => fieldsOf(p.layers[2]);

describe('a policy\'s names on the NVGRE layer', () => {
  it('both VMs and the routing domain of the frame\'s VSID', () => {
    const p = ping(4020644);
    annotate(p, new PolicyNames(agreeing()));
    expect(nvgreFields(p)).toEqual({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0, 'nvgre.vm_src': 'red-1', 'nvgre.vm_dst': 'red-2', 'nvgre.rdid': RD_RED });
  });

  it('nothing the policy does not name: no key at all, not an empty one', () => {
    const p = ping(5000000, '10.9.0.1', '10.9.0.2');
    annotate(p, new PolicyNames(agreeing()));
    expect(nvgreFields(p)).toEqual({ 'nvgre.vsid': 5000000, 'nvgre.flow_id': 0 });
  });

  it('overlapping tenant address spaces: the CA\'s VM is the one in the frame\'s VSID, or in its routing domain', () => {
    // 10.1.0.2 is red-1 in VSID 8793502 (domain red) and blue-1 in VSID 6000001 (domain blue).
    const policy = agreeing();
    policy.lookup.push(record('10.1.0.2', 6000001, null, '172.16.0.5', 'blue-1', 40), record('10.2.0.2', 6000002, null, '172.16.0.5', 'blue-2', 50));
    policy.routes.push(route(RD_BLUE, 6000001, 3), route(RD_BLUE, 6000002, 4));
    const names = new PolicyNames(policy);
    expect([names.vm(ip('10.1.0.2'), 8793502), names.vm(ip('10.1.0.2'), 6000001)]).toEqual(['red-1', 'blue-1']);
    // A source CA: the frame carries the destination's VSID; the source's VM is the one in the same domain.
    expect([names.vm(ip('10.1.0.2'), 4020644), names.vm(ip('10.1.0.2'), 6000002)]).toEqual(['red-1', 'blue-1']);
    // Without routes nothing tells which of the two it is: no name rather than a guess.
    expect(new PolicyNames({ ...policy, routes: [] }).vm(ip('10.1.0.2'), 4020644)).toBeUndefined();
  });

  it('a frame without NVGRE is left as it is', () => {
    const p = ping(4020644);
    p.layers.splice(1, 2);
    const before = structuredClone(p.layers);
    annotate(p, new PolicyNames(agreeing()));
    expect(p.layers).toEqual(before);
  });
});
