// Generated filters as deep or as long as scripts make them (issue 13, point 10): they must parse
// and evaluate without overflowing the call stack, or fail as a FilterError with a column. The
// expected frames come from the seed fixture's spec: odd frames VSID 4020644, even 8793502.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/decode/packet.js';
import { FilterError, parseFilter } from '../../src/filter/parse.js';
import { filterFrames, loadPackets } from './helpers.js';

let ping: Packet[];
beforeAll(async () => {
  ping = await loadPackets('seed-ping.pcap');
});

const ODD = [1, 3, 5, 7];
const ALL = [1, 2, 3, 4, 5, 6, 7, 8];
const vsidList = (n: number, last: number): string =>
  [...Array.from({ length: n - 1 }, (_, i) => `nvgre.vsid == ${5000 + i}`), `nvgre.vsid == ${last}`].join(' || ');

describe('deep and long filters', () => {
  it('3,000 || terms (a generated VSID list): the last term decides', () => {
    expect(filterFrames(ping, vsidList(3000, 4020644))).toEqual(ODD);
    expect(filterFrames(ping, vsidList(3000, 1))).toEqual([]);
  });

  it('3,000 && factors', () => {
    expect(filterFrames(ping, Array(3000).fill('nvgre.flow_id == 0').join(' && '))).toEqual(ALL);
    expect(filterFrames(ping, `${Array(2999).fill('nvgre').join(' && ')} && nvgre.vsid == 4020644`)).toEqual(ODD);
  });

  it('2,500 and 50,000 nested parentheses around one test', () => {
    for (const n of [2500, 50000]) {
      expect(filterFrames(ping, `${'('.repeat(n)}nvgre.vsid == 4020644${')'.repeat(n)}`)).toEqual(ODD);
    }
  });

  it("10,000 and 10,001 '!': an even count keeps the test, an odd one negates it", () => {
    expect(filterFrames(ping, `${'!'.repeat(10000)}nvgre.vsid == 8793502`)).toEqual([2, 4, 6, 8]);
    expect(filterFrames(ping, `${'!'.repeat(10001)}nvgre.vsid == 8793502`)).toEqual(ODD);
  });

  it('5,000 levels of !(a && ...) alternate: every level of negation counts', () => {
    // !(nvgre && !(nvgre && ... X)): 5,000 negations, an even number, leave X.
    const x = 'nvgre.vsid == 4020644';
    expect(filterFrames(ping, `${'!(nvgre && '.repeat(5000)}${x}${')'.repeat(5000)}`)).toEqual(ODD);
    expect(filterFrames(ping, `${'!(nvgre && '.repeat(4999)}${x}${')'.repeat(4999)}`)).toEqual([2, 4, 6, 8]);
  });

  it("50,000 unclosed '(': a syntax error at the end, not a stack overflow", () => {
    const src = '('.repeat(50000);
    let err: unknown;
    try {
      parseFilter(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).column).toBe(50000);
    expect((err as FilterError).message).toBe('expected a field name, found the end');
  });

  it("50,000 '(' around a test, one ')' short: names the '(' left open, the first", () => {
    let err: unknown;
    try {
      parseFilter(`${'('.repeat(50000)}nvgre${')'.repeat(49999)}`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).column).toBe(50000 + 5 + 49999);
    expect((err as FilterError).message).toBe("expected ')' to close the '(' at column 1");
  });
});
