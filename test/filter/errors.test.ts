// Malformed filters: every error is a FilterError whose column is the 0-based index where the
// caret goes. Columns are counted by hand from the expression text.
import { describe, expect, it } from 'vitest';
import { FilterError, parseFilter } from '../../src/filter/parse.js';

function errorOf(src: string): FilterError {
  try {
    parseFilter(src);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    return e as FilterError;
  }
  throw new Error(`no error for ${JSON.stringify(src)}`);
}

function expectError(src: string, column: number, message?: RegExp | string): void {
  const e = errorOf(src);
  expect({ src, column: e.column }).toEqual({ src, column });
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
}

describe('missing or misplaced values', () => {
  it('an operator where a value should be: `nvgre.vsid == == 3` at the second ==', () => {
    expectError('nvgre.vsid == == 3', 14, /expected a value/);
  });

  it('a missing value at the end: the caret goes at the end', () => {
    expectError('nvgre.vsid ==', 13, /expected a value/);
    expectError('nvgre.vsid == ', 14, /expected a value/);
    expectError('ip.src == 1.2.3.4 && tcp.port >', 31, /expected a value/);
  });

  it('a parenthesis where a value should be', () => {
    expectError('ip.src == )', 10, /expected a value/);
    expectError('(ip.src ==)', 10, /expected a value/);
  });
});

describe('unknown names', () => {
  it('an unknown field at the start', () => {
    expectError('foo.bar', 0, "'foo.bar' is neither a field nor a protocol name");
  });

  it('an unknown field later on: column of the name', () => {
    expectError('ip.src == 10.0.0.1 && foo.bar == 3', 22, "'foo.bar' is neither a field nor a protocol name");
    expectError('!(arp || ip.sorc)', 9, "'ip.sorc' is neither a field nor a protocol name");
  });

  it('frame is not a protocol of the filter language', () => {
    expectError('frame', 0, "'frame' is neither a field nor a protocol name");
  });

  it('a literal where a field name should be', () => {
    expectError('10.0.0.1 == ip.src', 0, "'10.0.0.1' is neither a field nor a protocol name");
  });
});

describe("literals of the wrong kind for the field", () => {
  it('an IPv4 octet above 255', () => {
    expectError('ip.src == 10.0.0.300', 10, /10\.0\.0\.300/);
  });

  it('a MAC address for an IPv4 field', () => {
    expectError('ip.src == 00:11:22:33:44:55', 10, /00:11:22:33:44:55/);
  });

  it('an IPv4 address for a MAC field', () => {
    expectError('eth.src == 10.0.0.1', 11, /10\.0\.0\.1/);
  });

  it('addresses for a number field', () => {
    expectError('nvgre.vsid == 10.0.0.1', 14);
    expectError('nvgre.vsid == 00:11:22:33:44:55', 14);
  });

  it('malformed literals', () => {
    expectError('ip.src == 10.0.0', 10);
    expectError('ip.src == 10.0.0.0/33', 10);
    expectError('ip.src == 10.0.0.0/', 10);
    expectError('ip.src == 10.0.0.0/8/8', 10);
    expectError('nvgre.vsid == 10.0.0.0/8', 14);
    expectError('eth.src == 00:11:22:33:44', 11);
    expectError('tcp.port == 0x', 12);
    expectError('nvgre.vsid == abc', 14);
  });

  it('the bad literal in the second comparison', () => {
    expectError('nvgre.vsid == 3 && ip.dst == 10.2.0.256', 29);
  });
});

describe('parentheses', () => {
  it('an unclosed parenthesis: the caret at the end', () => {
    expectError('(nvgre.vsid == 1', 16, /\)/);
    expectError('((ip)', 5, /\)/);
  });

  it("an unexpected ')' after a complete expression", () => {
    expectError('ip.src == 1.2.3.4 )', 18, /\)/);
    expectError('ip)', 2, /\)/);
  });

  it('empty parentheses', () => {
    expectError('()', 1);
  });
});

describe('unexpected characters and tokens', () => {
  it('a character outside the language', () => {
    expectError('ip.src == $', 10, /\$/);
    expectError('ip && $x', 6, /\$/);
    expectError('$', 0, /\$/);
  });

  it('single & and = are not operators', () => {
    expectError('ip & tcp', 3, /&/);
    expectError('ip.src = 1.2.3.4', 7, /=/);
  });

  it('two terms with nothing between them', () => {
    expectError('ip tcp', 3);
    expectError('ip.src == 1.2.3.4 == 5', 18);
  });

  it('a dangling logical operator', () => {
    expectError('&& ip', 0);
    expectError('ip &&', 5);
    expectError('ip ||  ', 7);
    expectError('!', 1);
    expectError('ip && !', 7);
  });
});

describe('comparing a protocol', () => {
  it('`ip == 3`: the caret at the operator', () => {
    expectError('ip == 3', 3, /protocol/);
    expectError('arp && nvgre != 0', 13, /protocol/);
  });
});

describe('empty input', () => {
  it('nothing at all', () => {
    expectError('', 0);
  });

  it('only whitespace: the caret at the end', () => {
    expectError('   ', 3);
  });
});
