import { describe, expect, it } from 'vitest';
import type { LookupRecord } from '../../src/analyze/lookup.js';
import { PacketCount } from '../../src/analyze/packets.js';
import { comparePolicy, type Flow } from '../../src/analyze/policy.js';
import type { Policy } from '../../src/policy/model.js';
import { agreeing, ip, RD_BLUE, RD_RED, record, route } from './policy-fixture.js';

const MAC_1 = 0x001dd8b71c02;
const MAC_2 = 0x001dd8b71c03;
const at = (sec: number) => ({ sec, nsec: 0, digits: 6 });

/** A record as the wire rebuilds it, seen in frames `from`..`to` at those seconds. */
function wire(ca: string, vsid: number, mac: number, pa: string, from: number, to: number, frames = 2, file = 0): LookupRecord {
  const packets = new PacketCount();
  packets.add(undefined);
  return { vsid, ca: ip(ca), mac, pa: ip(pa), frames, packets, first: at(from), last: at(to), firstFrame: from, lastFrame: to, sources: new Set(['dst-side']), file };
}

/** Frames `from`..`to` at those seconds, in capture `file`. */
const seen = (from: number, to: number, file = 0, frames = 2) => ({ frames, firstFrame: from, lastFrame: to, first: at(from), last: at(to), file });

function flow(vsid: number, srcPa: string, dstPa: string, srcCa: string, dstCa: string, from: number, to: number): Flow {
  return { vsid, srcPa: ip(srcPa), dstPa: ip(dstPa), srcCa: ip(srcCa), dstCa: ip(dstCa), seen: seen(from, to) };
}

// The seed ping as --lookup rebuilds it: red-1 pings red-2, frames 1..8, one a second.
const SEED_WIRE = (): LookupRecord[] => [wire('10.2.0.2', 4020644, MAC_2, '172.16.0.3', 1, 7), wire('10.1.0.2', 8793502, MAC_1, '172.16.0.2', 2, 8)];
const SEED_FLOWS = (): Flow[] => [
  flow(4020644, '172.16.0.2', '172.16.0.3', '10.1.0.2', '10.2.0.2', 1, 7),
  flow(8793502, '172.16.0.3', '172.16.0.2', '10.2.0.2', '10.1.0.2', 2, 8),
];

const kinds = (p: Policy, w = SEED_WIRE(), f = SEED_FLOWS()) => comparePolicy(p, w, f).disagreements.map((d) => d.kind);

describe('holding the wire against the policy', () => {
  it('the seed ping and its policy agree: every row agree, no disagreement', () => {
    const c = comparePolicy(agreeing(), SEED_WIRE(), SEED_FLOWS());
    expect(c.rows.map((r) => [r.status, r.policy?.vmName])).toEqual([
      ['agree', 'red-2'],
      ['agree', 'red-1'],
    ]);
    expect(c.disagreements).toEqual([]);
    expect(c.agrees).toBe(true);
  });

  it('a stale PA: the wire PA, the policy PA, the frames of each (the policy one never seen)', () => {
    const p = agreeing();
    p.lookup[1] = record('10.2.0.2', 4020644, MAC_2, '172.16.0.9', 'red-2', 15);
    const c = comparePolicy(p, SEED_WIRE(), SEED_FLOWS());
    expect(c.rows[0]).toMatchObject({ status: 'differ', kinds: ['pa_differs'] });
    const d = c.disagreements[0];
    expect(d).toMatchObject({ kind: 'pa_differs', ca: ip('10.2.0.2'), vsid: 4020644, pa: ip('172.16.0.3'), policySeen: [], order: 'policy_pa_unseen' });
    expect(d.policy[0].pa).toBe(ip('172.16.0.9'));
    expect(d.seen).toEqual([seen(1, 7)]);
    // 172.16.0.3 is then a PA the policy does not know at all: the same fault, folded into the one line.
    expect(c.disagreements.map((x) => [x.kind, x.pa, x.unknownToPolicy])).toEqual([['pa_differs', ip('172.16.0.3'), true]]);
    expect(c.agrees).toBe(false);
  });

  it('a live migration: the CA behind both PAs, each with when it was seen', () => {
    const w = [...SEED_WIRE(), wire('10.2.0.2', 4020644, MAC_2, '172.16.0.9', 9, 11)];
    const c = comparePolicy(agreeing(), w, SEED_FLOWS());
    const d = c.disagreements.find((x) => x.kind === 'pa_differs')!;
    expect(d.pa).toBe(ip('172.16.0.9'));
    expect(d.seen).toEqual([seen(9, 11)]);
    expect(d.policySeen).toEqual([seen(1, 7)]);
    // The policy's PA until second 7, the other from second 9: it moved away, the policy does not have it.
    expect(d.order).toBe('moved_from_policy');
    expect(c.rows.map((r) => r.status)).toEqual(['agree', 'agree', 'differ']);
  });

  it("several captures: each capture's sightings apart, in file order, and the order of the move over all of them", () => {
    const p = agreeing();
    p.lookup[1] = record('10.2.0.2', 4020644, MAC_2, '172.16.0.9', 'red-2', 15);
    // Capture 0 (host A) saw 10.2.0.2 behind .3 then .9; capture 1 (host B) behind .3; capture 2 (host C) behind .9.
    const w = [
      wire('10.2.0.2', 4020644, MAC_2, '172.16.0.3', 1, 3, 2, 0),
      wire('10.2.0.2', 4020644, MAC_2, '172.16.0.3', 1, 3, 2, 1),
      wire('10.2.0.2', 4020644, MAC_2, '172.16.0.9', 5, 7, 2, 0),
      wire('10.2.0.2', 4020644, MAC_2, '172.16.0.9', 1, 3, 2, 2),
      { ...SEED_WIRE()[1], file: 2 },
    ];
    const c = comparePolicy(p, w, [], ['a.pcap', 'b.pcap', 'c.pcap']);
    expect(c.files).toEqual(['a.pcap', 'b.pcap', 'c.pcap']);
    expect(c.rows.map((r) => r.status)).toEqual(['differ', 'differ', 'agree', 'agree', 'agree']);
    expect(c.disagreements).toHaveLength(1);
    const d = c.disagreements[0];
    expect(d.seen).toEqual([seen(1, 3, 0), seen(1, 3, 1)]);
    expect(d.policySeen).toEqual([seen(5, 7, 0), seen(1, 3, 2)]);
    // .3 last at second 3 in any capture, .9 first at second 1 in host C's: both in use at once.
    expect(d.order).toBe('both_at_once');
    const later = comparePolicy(p, w.map((r) => (r.pa === ip('172.16.0.9') ? { ...r, first: at(r.firstFrame + 10), last: at(r.lastFrame + 10) } : r)), []);
    expect(later.disagreements[0].order).toBe('moved_to_policy');
  });

  it('a wrong VSID: its VSID unknown to the policy is the same fault, folded in', () => {
    const w = [wire('10.2.0.2', 5000000, MAC_2, '172.16.0.3', 1, 7), SEED_WIRE()[1]];
    const f = [flow(5000000, '172.16.0.2', '172.16.0.3', '10.1.0.2', '10.2.0.2', 1, 7), SEED_FLOWS()[1]];
    const c = comparePolicy(agreeing(), w, f);
    expect(c.disagreements.map((d) => [d.kind, d.vsid, d.unknownToPolicy])).toEqual([['vsid_differs', 5000000, true]]);
  });

  it('a PA unknown to the policy with no record naming another is still its own disagreement', () => {
    const f = [...SEED_FLOWS(), flow(4020644, '172.16.0.66', '172.16.0.3', '10.1.0.2', '10.2.0.2', 30, 31)];
    const c = comparePolicy(agreeing(), SEED_WIRE(), f);
    expect(c.disagreements.map((d) => [d.kind, d.pa])).toEqual([['pa_unknown', ip('172.16.0.66')]]);
  });

  it('a wrong VSID: the frames carry one the policy does not give the CA', () => {
    const w = [wire('10.2.0.2', 5000000, MAC_2, '172.16.0.3', 1, 7), SEED_WIRE()[1]];
    const c = comparePolicy(agreeing(), w, SEED_FLOWS());
    expect(c.rows[0]).toMatchObject({ status: 'differ', kinds: ['vsid_differs'] });
    expect(c.rows[0].policy?.vsid).toBe(4020644);
    expect(c.disagreements[0]).toMatchObject({ kind: 'vsid_differs', ca: ip('10.2.0.2'), vsid: 5000000 });
    // The policy's record for 10.2.0.2 is accounted for by that row: not "policy only".
    expect(c.rows.some((r) => r.status === 'policy only')).toBe(false);
  });

  it('a MAC that differs from the policy', () => {
    const p = agreeing();
    p.lookup[0] = record('10.1.0.2', 8793502, 0x001dd8b71c99, '172.16.0.2', 'red-1', 1);
    expect(kinds(p)).toEqual(['mac_differs']);
  });

  it('a policy without MACs (Get-PACAMapping has them, a CSV may not) compares no MAC', () => {
    const p = agreeing();
    p.lookup[0] = record('10.1.0.2', 8793502, null, '172.16.0.2', null, 1);
    expect(kinds(p)).toEqual([]);
  });

  it('a CA, a VSID and a PA on the wire the policy does not know: wire only', () => {
    const w = [...SEED_WIRE(), wire('10.3.0.7', 7777777, 0x001dd8b71c07, '172.16.0.7', 20, 21)];
    const f = [...SEED_FLOWS(), flow(7777777, '172.16.0.2', '172.16.0.7', '10.1.0.2', '10.3.0.7', 20, 21)];
    const c = comparePolicy(agreeing(), w, f);
    expect(c.rows[2]).toMatchObject({ status: 'wire only', policy: null, kinds: ['ca_unknown'] });
    expect(c.disagreements.map((d) => d.kind)).toEqual(['ca_unknown', 'vsid_unknown', 'pa_unknown', 'vsid_no_rdid']);
  });

  it('a CA that only sends is named by its conversations', () => {
    const f = [...SEED_FLOWS(), flow(4020644, '172.16.0.2', '172.16.0.3', '10.1.0.66', '10.2.0.2', 30, 31)];
    const c = comparePolicy(agreeing(), SEED_WIRE(), f);
    expect(c.disagreements.map((d) => [d.kind, d.ca])).toEqual([['ca_unknown', ip('10.1.0.66')]]);
  });

  it('a PA that is not one of the provider addresses, when they were given', () => {
    const p = agreeing();
    p.providers = [{ pa: ip('172.16.0.2'), ifIndex: 4, prefixLength: 24, vlanId: 0, state: 'Preferred', mac: null, source: { file: 'pa.txt', line: 1 } }];
    const c = comparePolicy(p, SEED_WIRE(), SEED_FLOWS());
    expect(c.disagreements.map((d) => [d.kind, d.pa])).toEqual([['pa_not_provider', ip('172.16.0.3')]]);
    expect(c.disagreements[0].seen).toMatchObject([{ frames: 4, firstFrame: 1, lastFrame: 8 }]);
  });

  it('tenant isolation: source and destination VSIDs in different routing domains', () => {
    const p = agreeing();
    p.routes = [route(RD_RED, 8793502, 1), route(RD_BLUE, 4020644, 2)];
    const c = comparePolicy(p, SEED_WIRE(), SEED_FLOWS());
    expect(c.disagreements.map((d) => [d.kind, d.srcCa, d.ca, d.vsid, d.rdids])).toEqual([
      ['rdid_crossed', ip('10.1.0.2'), ip('10.2.0.2'), 4020644, [RD_RED, RD_BLUE]],
      ['rdid_crossed', ip('10.2.0.2'), ip('10.1.0.2'), 8793502, [RD_BLUE, RD_RED]],
    ]);
  });

  it('tenant isolation: a VSID in no routing domain, when routes were given; none asked without routes', () => {
    const p = agreeing();
    p.routes = [route(RD_RED, 8793502, 1)];
    expect(kinds(p)).toEqual(['vsid_no_rdid']);
    p.routes = [];
    expect(kinds(p)).toEqual([]);
  });

  it('Unusable, Unsynchronized and a Rule other than TranslationMethodEncap where NVGRE was seen', () => {
    const p = agreeing();
    p.lookup[0] = record('10.1.0.2', 8793502, MAC_1, '172.16.0.2', 'red-1', 1, { unusable: true, unsynchronized: true, rule: 'TranslationMethodNat' });
    const c = comparePolicy(p, SEED_WIRE(), SEED_FLOWS());
    expect(c.rows[1]).toMatchObject({ status: 'differ', kinds: ['unusable', 'unsynchronized', 'rule_not_encap'] });
  });

  it('policy records the capture never shows are listed apart and change no answer', () => {
    const p = agreeing();
    p.lookup.push(record('10.2.0.9', 4020644, null, '172.16.0.3', 'red-9', 30, { unusable: true }));
    const c = comparePolicy(p, SEED_WIRE(), SEED_FLOWS());
    expect(c.rows.map((r) => r.status)).toEqual(['agree', 'agree', 'policy only']);
    expect(c.rows[2].policy?.vmName).toBe('red-9');
    expect(c.agrees).toBe(true);
  });

  it('two records for one CA and VSID (two hosts\' exports): the one naming the wire\'s PA answers', () => {
    const p = agreeing();
    p.lookup.push(record('10.2.0.2', 4020644, MAC_2, '172.16.0.9', 'red-2', 40));
    expect(comparePolicy(p, SEED_WIRE(), SEED_FLOWS()).rows.map((r) => r.status)).toEqual(['agree', 'agree']);
  });
});
