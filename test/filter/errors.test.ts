// Malformed filters: every error is a FilterError whose column is the 0-based index where the
// caret goes. Columns are counted by hand from the expression text.
import { describe, expect, it } from 'vitest';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { FilterError, parseFilter } from '../../src/filter/parse.js';
import { SIZED_DECIMAL_FIELDS } from '../../src/filter/range.js';

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
    expectError('!(arp || ip.sorc)', 9, "'ip.sorc' is neither a field nor a protocol name (did you mean ip.src?)");
  });

  it('a typo gets the nearest names, as an option typo does', () => {
    expectError('ip.srcc == 1.2.3.4', 0, "'ip.srcc' is neither a field nor a protocol name (did you mean ip.src?)");
    expectError('frame.lenn > 3', 0, "'frame.lenn' is neither a field nor a protocol name (did you mean frame.len?)");
    expectError('tcp.flags.sin', 0, /did you mean tcp.flags.fin, tcp.flags.syn\?/);
    expectError('zzzzzzzz', 0, "'zzzzzzzz' is neither a field nor a protocol name");
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

describe('numbers out of the field\'s range (refused, as tshark does: no frame could match)', () => {
  // Maxima from the fields' wire sizes: TTL and FlowID 8 bits, ports 16, VSID and VNI 24, the GRE key 32.
  it('one past the largest value, in decimal and hex, with the caret at the literal', () => {
    expectError('ip.ttl == 300', 10, "'300' is too big for ip.ttl, maximum 255");
    expectError('ip.ttl == 256', 10, "'256' is too big for ip.ttl, maximum 255");
    expectError('tcp.port == 70000', 12, "'70000' is too big for tcp.port, maximum 65535");
    expectError('udp.dstport >= 0x10000', 15, "'0x10000' is too big for udp.dstport, maximum 65535");
    expectError('nvgre.vsid == 99999999999', 14, "'99999999999' is too big for nvgre.vsid, maximum 16777215");
    expectError('nvgre.vsid == 0x1000000', 14, "'0x1000000' is too big for nvgre.vsid, maximum 16777215");
    expectError('vxlan.vni == 16777216', 13, "'16777216' is too big for vxlan.vni, maximum 16777215");
    expectError('nvgre.flow_id == 256', 17, "'256' is too big for nvgre.flow_id, maximum 255");
    expectError('gre.key == 4294967296', 11, "'4294967296' is too big for gre.key, maximum 4294967295");
    expectError('tcp.seq_raw == 4294967296', 15, "'4294967296' is too big for tcp.seq_raw, maximum 4294967295");
    expectError('ip.flags.df == 2', 15, "'2' is too big for ip.flags.df, maximum 1");
  });

  it('literals past 2^53 and 2^64 are too big, not rounded into range', () => {
    expectError('ip.ttl == 99999999999999999999999', 10, /too big for ip.ttl/);
    expectError('gre.key == 0xffffffffffffffffffff', 11, /too big for gre.key/);
    expectError('nvgre && tcp.len < 9007199254740993', 19, /too big for tcp.len/);
  });

  it('the table of 8- and 16-bit fields names only decimal fields that exist', () => {
    expect(SIZED_DECIMAL_FIELDS.filter((k) => FIELD_DEFS.get(k)?.kind !== 'dec')).toEqual([]);
  });

  it('the largest values themselves are taken', () => {
    for (const src of ['ip.ttl == 255', 'tcp.port == 65535', 'nvgre.vsid == 0xFFFFFF', 'gre.key == 4294967295', 'ip.flags.df == 1']) {
      expect(() => parseFilter(src), src).not.toThrow();
    }
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

describe('the gaps a tshark 4.0 user met (its answers recorded in test/tshark/filters.ts where it takes the filter)', () => {
  it('an IPv6 extension header is a presence test: compared, it is refused at the operator', () => {
    expectError('ipv6.fraghdr == 1', 13, "'ipv6.fraghdr' is a header inside a layer: test it alone, or compare one of its fields (-G fields lists them)");
    expect(parseFilter('ipv6.fraghdr && ipv6')).toMatchObject({ type: 'and', left: { type: 'present', field: { name: 'ipv6.fraghdr' } } });
  });
  it('true and false only for the plain booleans: tshark refuses them for flags (ip.flags.df == true)', () => {
    expect(parseFilter('frame.marked == False')).toMatchObject({ type: 'compare', operand: { value: 0 } });
    expect(parseFilter('frame.ignored == TRUE')).toMatchObject({ type: 'compare', operand: { value: 1 } });
    expectError('ip.flags.df == true', 15, "ip.flags.df takes a number (0 or 1), not 'true'");
    expectError('frame.marked == yes', 16, "frame.marked takes a number (0 or 1), not 'yes'");
  });
  it('=== and !== take a field on the right too, as == does', () => {
    expect(parseFilter('ip.src !== ip.dst')).toMatchObject({ type: 'fields', op: '!=', all: false });
    expect(parseFilter('ip.src === ip.dst')).toMatchObject({ type: 'fields', op: '==', all: true });
  });
});

describe("tshark 4.0's functions: refused where tshark refuses them", () => {
  it('max and min of fields of different types (tshark: "Arguments to \'max\' must have the same type")', () => {
    expectError('max(ip.ttl, icmp.seq) == 128', 12, 'the arguments of max() must be of one type: ip.ttl and icmp.seq are not');
  });
  it('lower() of a field that is no string (tshark: "Only string type fields can be used as parameter for lower()")', () => {
    expectError('lower(eth.src) == 1', 6, 'lower() does not take eth.src, a MAC address');
  });
  it('count() of two fields (tshark: "Function count can only accept 1 arguments"), len() of a function', () => {
    expectError('count(ip.src, ip.dst) == 1', 12, "expected ')' after count's argument");
    expectError('len(count(ip.src)) == 1', 4, "len() measures a field, not a function's value");
  });
  it('string() of a flag or a time (tshark: "String conversion for field ... is not supported"), a function of a function', () => {
    expectError('string(ip.flags.df) == "0"', 7, 'string() does not take ip.flags.df, a number (0 or 1)');
    expectError('string(frame.time_relative) == "1"', 7, 'string() does not take frame.time_relative, a number of seconds');
    expectError('upper(string(eth.src)) contains "1C"', 6, "upper() takes a field, not a function's value");
  });
});
