// The Wireshark 4 filter language beyond plain comparisons: sets, strings and bytes, contains and
// matches, slices, arithmetic, layers and quantifiers, frame fields, TCP flag bits, len(). Frame
// lists come from the fixture spec (see evaluate.test.ts's header; tshark 4.0 agrees, see
// test/tshark/filters.test.ts). tenant-mix's frame n is stamped 2013-07-19 08:01:00 UTC + (n-1) * 0.1 s.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/decode/packet.js';
import { FilterError, parseFilter } from '../../src/filter/parse.js';
import { cases, filterFrames, loadPackets, range } from './helpers.js';

let ping: Packet[];
let mix: Packet[];
let v6: Packet[];

beforeAll(async () => {
  ping = await loadPackets('seed-ping.pcap');
  mix = await loadPackets('tenant-mix.pcap');
  v6 = await loadPackets('nvgre-ipv6.pcap');
});

const ODD = [1, 3, 5, 7];
const EVEN = [2, 4, 6, 8];
const ALL_PING = range(1, 8);

cases('sets: in {a, b}, ranges, not in', () => mix, [
  ['ip.src in {10.2.0.2, 10.9.9.9}', [5, 9]],
  ['tcp.port in {80, 443}', [4, 5, 6, 7]],
  ['tcp.port in {1..100}', [4, 5, 6, 7]],
  ['udp.port in {53..53, 9}', [8, 9]],
  ['tcp.port not in {80}', [1, 2, 3, 8, 9]],
  ['nvgre.vsid in {4020644}', [2, 4, 6, 7, 8]],
  ['ip.src in {10.0.0.0/8}', range(4, 9)],
]);

cases('the issue\'s tenant filter', () => ping, [
  ['ip.dst#2 in {10.2.0.2, 10.9.9.9} && icmp.type == 8', ODD],
  ['nvgre.vsid == "4020644"', ODD],
]);

cases('strings, bytes, contains, matches', () => mix, [
  // Frame 7's 18 bytes of TCP payload are an HTTP request: "GET / HTTP/1.0\r\n\r\n".
  ['tcp contains "GET"', [7]],
  ['tcp contains 47:45:54', [7]],
  ['tcp matches "get.*http"', [7]],
  ['tcp matches "(?-i)get"', []],
  ['tcp ~ "HTTP/1\\\\.0"', [7]],
  ['frame.protocols == "eth:ethertype:arp"', [1]],
  ['frame.protocols contains "udp"', [8, 9]],
  ['eth.src == 00:1d:d8:b7:1c:02', [2, 4, 6, 7, 8]],
]);

cases('slices over addresses and protocols', () => mix, [
  ['eth.src[0:3] == 00:1d:d8', range(2, 9)],
  ['ip.src[-1:] == 02', [2, 4, 5, 6, 7, 8, 9]],
  ['ip.src[0-1] == 0a:01', [4, 6, 7, 8]],
  ['ip.src[1] == 01', [4, 6, 7, 8]],
  ['ip.src[0:2] == 0a01', [4, 6, 7, 8]],
  ['tcp[0:2] == c0:00', [4, 6, 7]],
  ['ip[0] == 45', range(2, 9)],
]);

cases('arithmetic and bitwise &', () => mix, [
  ['gre.key & 0xff == 42', [4, 5, 6, 7]],
  ['tcp.flags & 0x12 == 0x12', [5]],
  ['tcp.srcport - 1 == 79', [5]],
  ['tcp.len * 2 == 36', [7]],
  ['gre.key + 1 == 0x3d59a42b', [4, 6, 7]],
]);

// tenant-mix: every IP header has TTL 128; frame 4 is 100 bytes, its outer ip.len 86, its inner 44.
cases('arithmetic binds as tshark 4.0: unary minus, then * / %, then + -, then &', () => mix, [
  ['ip.ttl + 1 * 2 == 130', range(2, 9)],
  ['frame.len - 1 * 2 == 98', [4]],
  ['ip.ttl & 0x0f + 1 == 1', []],
  ['ip.ttl + 1 & 0x0f == 1', range(2, 9)],
  ['-ip.ttl == -128', range(2, 9)],
  ['ip.ttl * -1 == -128', range(2, 9)],
  ['ip.ttl == 130 - 2', range(2, 9)],
  ['ip.ttl - 1 - 1 == 126', range(2, 9)],
]);

cases('field to field: some pair of occurrences, every pair with all', () => mix, [
  ['ip.src == ip.dst', []],
  ['ip.src != ip.dst', range(2, 9)],
  ['tcp.srcport < tcp.dstport', [5]],
  // Frame 4's inner 44 + 20 is below its 100 bytes, though the outer 86 + 20 is not.
  ['frame.len > ip.len + 20', range(4, 9)],
  ['ip.len + 20 < frame.len', range(4, 9)],
  ['ip.ttl#1 == ip.ttl#2', range(4, 9)],
  ['ip.src#1 == ip.src#2', []],
  ['all ip.src == ip.src', [2, 3]],
  ['eth.src[0:3] == eth.dst[0:3]', range(2, 9)],
  // Arithmetic over two fields combines every occurrence of one with every one of the other: 86 + 44.
  ['ip.len + ip.len == 130', [4]],
  ['tcp.srcport + tcp.dstport == 49232', [4, 5, 6, 7]],
  // An absent side matches nothing, != too.
  ['tcp.srcport != udp.srcport', []],
]);

cases('layers and quantifiers', () => mix, [
  ['ip.src#1 == 172.16.0.2', [2, 4, 6, 7, 8]],
  ['ip.src#2 == 10.1.0.2', [4, 6, 7, 8]],
  ['ip.src#3', []],
  ['any ip.src == 10.1.0.2', [4, 6, 7, 8]],
  ['all ip.src == 10.0.0.0/8', []],
  ['all ip.ttl >= 64', range(2, 9)],
  // Frame 2 (inner ARP) has only the outer 172.16.0.2.
  ['all ip.src != 10.1.0.2', [2, 3, 5, 9]],
]);

cases('the frame protocol, TCP flags, len()', () => mix, [
  ['frame', range(1, 9)],
  ['frame.number == 3', [3]],
  ['frame.number in {1, 9}', [1, 9]],
  ['frame.time_relative > 0.5', [7, 8, 9]],
  ['frame.time >= "2013-07-19 08:01:00.2 UTC"', range(3, 9)],
  ['frame.time < "Jul 19, 2013 08:01:00.300 UTC"', [1, 2, 3]],
  ['frame.time_epoch > 1374220860.3', range(5, 9)],
  ['frame.time_delta > 0.05', range(2, 9)],
  ['frame.cap_len < 64', [1]],
  ['tcp.flags.syn == 1', [4, 5]],
  ['tcp.flags.syn', [4, 5, 6, 7]],
  ['tcp.flags.ack == 1 && tcp.flags.push == 1', [7]],
  ['len(eth.src) == 6', range(1, 9)],
  ['len(ip.src) == 4', range(2, 9)],
  ['len(tcp) > 20', [4]],
]);

describe('frame.time_relative', () => {
  it('starts again with each capture, even after a one-frame capture (seed-ping: 0, 0.000512, 1 s ...)', () => {
    expect(filterFrames(mix.slice(0, 1), 'frame.time_relative == 0')).toEqual([1]);
    expect(filterFrames(ping.slice(0, 3), 'frame.time_relative == 1')).toEqual([3]);
  });
});

describe('ipv6.addr is either address', () => {
  it('matches exactly the frames ipv6.src or ipv6.dst does', () => {
    const some = filterFrames(v6, 'ipv6');
    expect(some.length).toBeGreaterThan(0);
    const addr = filterFrames(v6, 'ipv6.addr == fd00::/8');
    expect(addr).toEqual(filterFrames(v6, 'ipv6.src == fd00::/8 || ipv6.dst == fd00::/8'));
  });
});

describe('quoted strings', () => {
  it('undo C escapes: \\x47 is G, \\" a quote', () => {
    expect(filterFrames(mix, 'tcp contains "\\x47ET"')).toEqual([7]);
    expect(filterFrames(mix, 'tcp contains "\\107ET"')).toEqual([7]);
    const e = parseFilter('frame.protocols == "a\\"b\\\\c"');
    expect(e.type === 'compare' && e.operand.text).toBe('a"b\\c');
  });
});

function errorAt(src: string): [number, string] {
  try {
    parseFilter(src);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    return [(e as FilterError).column, (e as FilterError).message];
  }
  throw new Error(`no error for ${src}`);
}

describe('malformed uses: the caret at the fault', () => {
  it.each([
    ['tcp.port in {80 443}', 16, /expected ',' or '}'/],
    ['tcp.port in {80,', 16, /expected a value in the set/],
    ['tcp.port in 80', 12, /expected '\{'/],
    ['tcp.port in {}', 13, /expected a value/],
    // A comma needs a value after it (tshark 4.0: '"}" was unexpected in this context').
    ['tcp.port in {80,}', 16, /expected a value in the set, found '}'/],
    ['ip.src in {ip.dst,}', 18, /expected a value in the set, found '}'/],
    ['tcp.port in {80, 70000}', 17, /too big for tcp.port/],
    ['tcp contains "GET', 13, /no closing/],
    ['tcp contains "\\q"', 14, /unknown escape/],
    ['tcp matches GET', 12, /quoted regular expression/],
    ['tcp matches "("', 12, /not a regular expression/],
    ['tcp.port contains "a"', 9, /'contains' needs bytes or text/],
    ['eth.src[0:3 == 00', 12, /expected '\]'/],
    ['eth.src[a] == 00', 8, /byte range/],
    ['tcp.port[0] == 00', 8, /is a number/],
    ['ip.src#0 == 10.0.0.1', 7, /layer number/],
    ['ip.src + 1 == 3', 7, /not a number/],
    ['gre.key & == 3', 10, /expected a number/],
    ['eth.src[0:3]', 12, /expected a comparison/],
    ['len(eth.src == 6', 12, /expected '\)'/],
    ['data.data == 6g', 13, /data.data takes bytes/],
    ['frame.time > "yesterday"', 13, /frame.time takes a date/],
    ['ip in {1}', 3, /is a protocol/],
    ['ip.src == eth.src', 10, /^ip.src and eth.src are not of compatible types$/],
    ['frame.time_relative > frame.len', 22, /not of compatible types/],
    ['2 + ip.ttl == 66', 0, /left side of a comparison must be a field/],
    ['ip.ttl * 2 + 1 == 257', 18, /'257' is too big for ip.ttl/],
    ['ip.ttl + eth.src == 1', 9, /eth.src is not a number/],
  ])('%s: column %i', (src, column, message) => {
    const [col, msg] = errorAt(src);
    expect({ col, msg }).toEqual({ col: column, msg: expect.stringMatching(message) });
  });
});
