import { describe, expect, it } from 'vitest';
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ethernet,
  gre,
  icmpEcho,
  ipv4,
  ipv6,
  IPPROTO_GRE,
  IPPROTO_ICMP,
  IPPROTO_IPIP,
  IPPROTO_IPV6,
  IPPROTO_UDP,
  nvgre,
  udp,
} from '../../fixtures/lib/packets.js';
import { makePalette } from '../../src/format/palette.js';
import { formatSummary } from '../../src/format/summary.js';
import { run } from '../decode/helpers.js';

const MACS = { dst: '00:15:5d:00:01:03', src: '00:15:5d:00:01:02' };
const ping = (src: string, dst: string): Uint8Array =>
  ipv4({ src, dst, proto: IPPROTO_ICMP, id: 1, payload: icmpEcho({ type: 8, id: 1, seq: 1, payload: new Uint8Array(4) }) });
/** An IPv4 header whose checksum no longer matches: one bit of it flipped. */
function badChecksum(ip: Uint8Array): Uint8Array {
  const b = ip.slice();
  b[11] ^= 0x01;
  return b;
}
const SGR = /\x1b\[[0-9;]*m/g;

describe('summary warnings name their layer', () => {
  // IPv4 (#1) / GRE / IPv4 (#2) / NVGRE / Ethernet / IPv4 (#3) / ICMP: the outer and innermost checksums bad.
  const tenant = ethernet({ ...MACS, type: ETHERTYPE_IPV4, payload: badChecksum(ping('10.1.0.2', '10.2.0.2')) });
  const middle = ipv4({ src: '172.16.0.2', dst: '172.16.0.3', proto: IPPROTO_GRE, id: 2, payload: nvgre({ vsid: 0x100, flowId: 0, payload: tenant }) });
  const outer = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: IPPROTO_GRE, id: 3, payload: gre({ proto: ETHERTYPE_IPV4, payload: middle }) });
  const nested = run(ethernet({ ...MACS, type: ETHERTYPE_IPV4, payload: badChecksum(outer) }));

  it('three IPv4 headers: #1 and #3 say which; a protocol seen once (NVGRE) has no number', () => {
    const line = formatSummary(nested);
    expect(line).toMatch(/ 192\.0\.2\.1 -> 192\.0\.2\.2 GRE proto=0x0800 172\.16\.0\.2 -> 172\.16\.0\.3 vsid=256 \(0x000100\) flow=0 10\.1\.0\.2 -> 10\.2\.0\.2 ICMP /);
    expect(line).toMatch(/ len=\d+ !ip\.checksum_bad#1 !nvgre\.vsid_reserved !ip\.checksum_bad#3\n$/);
  });

  it('one IPv4 header: the code alone', () => {
    const line = formatSummary(run(ethernet({ ...MACS, type: ETHERTYPE_IPV4, payload: badChecksum(ping('10.1.0.2', '10.2.0.2')) })));
    expect(line).toMatch(/ len=\d+ !ip\.checksum_bad\n$/);
  });

  it('coloured by severity when colour is on (error red bold, warn yellow), and only the codes', () => {
    const coloured = formatSummary(nested, makePalette(1));
    expect(coloured).toContain(' \x1b[31m\x1b[1m!ip.checksum_bad#1\x1b[22m\x1b[39m \x1b[33m!nvgre.vsid_reserved\x1b[39m \x1b[31m\x1b[1m!ip.checksum_bad#3\x1b[22m\x1b[39m\n');
    expect(coloured.replace(SGR, '')).toBe(formatSummary(nested));
    expect(formatSummary(nested, makePalette(0))).not.toMatch(SGR);
  });
});

describe('IP carried straight in IP names the tunnel between the two address pairs', () => {
  const v4 = (proto: number, payload: Uint8Array): Uint8Array => ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto, id: 1, payload });
  const v6 = (nextHeader: number, payload: Uint8Array): Uint8Array => ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader, hopLimit: 64, payload });
  const dns = (src: string, dst: string): Uint8Array => udp({ src, dst, sport: 53000, dport: 53, payload: new Uint8Array(4) });
  const inner4 = ipv4({ src: '10.1.0.2', dst: '10.2.0.2', proto: IPPROTO_UDP, id: 2, payload: dns('10.1.0.2', '10.2.0.2') });
  const inner6 = ipv6({ src: 'fd10::2', dst: 'fd20::2', nextHeader: IPPROTO_UDP, hopLimit: 64, payload: dns('fd10::2', 'fd20::2') });
  const cases: [string, number, Uint8Array, string][] = [
    ['4in4', ETHERTYPE_IPV4, v4(IPPROTO_IPIP, inner4), '192.0.2.1 -> 192.0.2.2 4in4 10.1.0.2 -> 10.2.0.2 UDP 53000 -> 53'],
    ['6in4', ETHERTYPE_IPV4, v4(IPPROTO_IPV6, inner6), '192.0.2.1 -> 192.0.2.2 6in4 fd10::2 -> fd20::2 UDP 53000 -> 53'],
    ['4in6', ETHERTYPE_IPV6, v6(IPPROTO_IPIP, inner4), '2001:db8::1 -> 2001:db8::2 4in6 10.1.0.2 -> 10.2.0.2 UDP 53000 -> 53'],
    ['6in6', ETHERTYPE_IPV6, v6(IPPROTO_IPV6, inner6), '2001:db8::1 -> 2001:db8::2 6in6 fd10::2 -> fd20::2 UDP 53000 -> 53'],
  ];
  for (const [name, type, payload, words] of cases) {
    it(name, () => {
      expect(formatSummary(run(ethernet({ ...MACS, type, payload })))).toContain(`Z ${words} data=4 len=`);
    });
  }
});
