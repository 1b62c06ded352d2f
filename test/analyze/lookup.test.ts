import { describe, expect, it } from 'vitest';
import { conflicts, type LookupRecord } from '../../src/analyze/lookup.js';

const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
const MAC_A = 0x001dd8b71c02;
const MAC_B = 0x001dd8b71c03;

function rec(vsid: number, ca: string, mac: number, pa: string, lastSec: number): LookupRecord {
  const seen = { sec: lastSec, nsec: 0, digits: 6 };
  return { vsid, ca: ip(ca), mac, pa: ip(pa), frames: 1, first: seen, last: seen, sources: new Set(['dst-side']) };
}

describe('lookup record conflicts', () => {
  it('none when every CA has one PA and one MAC, and every MAC one VSID', () => {
    expect(conflicts([rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 1), rec(8793502, '10.1.0.2', MAC_A, '172.16.0.2', 1)])).toEqual([]);
  });

  it('one CA in one VSID behind two PAs, records ordered by last seen', () => {
    const moved = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.9', 20);
    const before = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 10);
    expect(conflicts([moved, before])).toEqual([{ kind: 'ca_two_pas', vsid: 4020644, ca: ip('10.2.0.2'), records: [before, moved] }]);
  });

  it('the same CA behind two PAs in two different VSIDs is not a move (overlapping tenant address spaces)', () => {
    expect(conflicts([rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 1), rec(5000000, '10.2.0.2', MAC_A, '172.16.0.9', 1)])).toEqual([]);
  });

  it('one CA IP with two MACs in one VSID', () => {
    const a = rec(4020644, '10.2.0.2', MAC_A, '172.16.0.3', 1);
    const b = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.3', 2);
    expect(conflicts([b, a])).toEqual([{ kind: 'ca_two_macs', vsid: 4020644, ca: ip('10.2.0.2'), records: [a, b] }]);
  });

  it('one CA MAC under two VSIDs', () => {
    const a = rec(8793502, '10.1.0.2', MAC_A, '172.16.0.2', 5);
    const b = rec(5000000, '10.9.0.2', MAC_A, '172.16.0.2', 3);
    expect(conflicts([a, b])).toEqual([{ kind: 'mac_two_vsids', mac: MAC_A, records: [b, a] }]);
  });

  it('a CA that moved and changed MAC raises both', () => {
    const a = rec(4020644, '10.2.0.2', MAC_A, '172.16.0.3', 1);
    const b = rec(4020644, '10.2.0.2', MAC_B, '172.16.0.9', 2);
    expect(conflicts([a, b]).map((c) => c.kind)).toEqual(['ca_two_pas', 'ca_two_macs']);
  });
});
