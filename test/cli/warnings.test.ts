import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WARNINGS } from '../../src/decode/warnings.js';
import { ROOT, runCli } from './spawn.js';

/** `n` frames that raise nothing. */
const none = (n: number): string[][] => Array.from({ length: n }, () => []);

/**
 * What each anomaly fixture must raise, frame by frame, as proto:code. Written from the frame
 * comments in fixtures/anomalies.ts and fixtures/kinds.ts (each frame breaks one rule on purpose, or
 * none), not from output.
 */
const EXPECTED: Record<string, string[][]> = {
  'rfc7637-violations': [
    ['nvgre:nvgre.c_bit_set'],
    ['nvgre:nvgre.s_bit_set'],
    ['nvgre:nvgre.version'],
    ['nvgre:nvgre.vsid_reserved'],
    ['nvgre:nvgre.vsid_reserved'],
    [],
    ['nvgre:nvgre.vsid_vendor'],
    ['nvgre:nvgre.inner_vlan'],
    ['gre:gre.teb_without_key'],
  ],
  'bad-checksums': [
    ['ip:ip.checksum_bad'],
    ['ip:ip.checksum_zero'],
    ['icmp:icmp.checksum_bad'],
    ['tcp:tcp.checksum_bad'],
    ['tcp:tcp.checksum_offloaded'],
    ['udp:udp.checksum_bad'],
    ['udp:udp.checksum_zero'],
    ['udp:udp.checksum_offloaded'],
    ['gre:gre.checksum_bad'],
  ],
  lengths: [
    ['eth:eth.truncated'],
    ['vlan:vlan.truncated'],
    ['ip:ip.truncated'],
    ['ip:ip.version'],
    ['ip:ip.ihl_too_small'],
    ['ip:ip.total_length_too_small'],
    ['ip:ip.total_length_exceeds_capture'],
    ['gre:gre.truncated'],
    ['gre:gre.routing'],
    ['arp:arp.truncated'],
    ['icmp:icmp.truncated'],
    ['tcp:tcp.truncated'],
    ['tcp:tcp.data_offset_too_small'],
    ['udp:udp.truncated'],
    ['udp:udp.length_mismatch'],
    ['eth:eth.trailer'],
    ['ip:ip.fragment', 'nvgre:nvgre.outer_fragment'],
    ['ip:ip.fragment', 'ip:ip.reassembled', 'nvgre:nvgre.outer_fragment'], // the last piece completes the datagram: decoded whole here
  ],
  'gre-nesting': [[], ['frame:dissect.depth_exceeded']],
  'snaplen-64': Array.from({ length: 8 }, () => ['frame:frame.truncated']),
  'unknown-linktype': [['frame:link.unknown']],
  // fixtures/kinds.ts: the seed under other link types and NVGRE over IPv6 are clean throughout.
  'seed-ping-sll': none(8),
  'seed-ping-sll2': none(8),
  'seed-ping-raw': none(8),
  'seed-ping-raw4': none(8),
  'seed-ping-null': none(8),
  'nvgre-ipv6': none(21),
  // nvgre.outer_fragment on every piece whose NVGRE header is known: not on 5 (before its first) nor on the lost ones.
  fragments: [
    ['ip:ip.fragment', 'nvgre:nvgre.outer_fragment'],
    ['ip:ip.fragment', 'ip:ip.reassembled', 'nvgre:nvgre.outer_fragment'],
    ['ipv6:ipv6.fragment', 'nvgre:nvgre.outer_fragment'],
    ['ipv6:ipv6.fragment', 'ipv6:ip.reassembled', 'nvgre:nvgre.outer_fragment'],
    ['ip:ip.fragment'], // the last piece first
    ['ip:ip.fragment', 'ip:ip.reassembled', 'nvgre:nvgre.outer_fragment'],
    ['ip:ip.fragment', 'nvgre:nvgre.outer_fragment'],
    ['frame:ip.reassembly_dropped', 'ip:ip.fragment'], // 31 s after its first piece: that one expired
    ['ip:ip.fragment', 'ip:ip.reassembly_dropped'], // ends past byte 65535
    ['ip:ip.fragment', 'nvgre:nvgre.outer_fragment'],
    ['ip:ip.fragment', 'ip:ip.fragment_overlap', 'ip:ip.reassembled', 'nvgre:nvgre.outer_fragment'], // repeats 8 bytes, the same
    ['ip:ip.fragment', 'nvgre:nvgre.outer_fragment'],
    ['ip:ip.fragment', 'ip:ip.fragment_overlap_conflict'], // repeats 8 bytes, changed: the datagram is dropped
  ],
  // Too big for 1514 bytes without fragmenting (a jumbo underlay), and ICMP too-big: no warning.
  mtu: none(6),
  overlays: [...none(8), ['vxlan:vxlan.i_flag_unset'], ...none(5)],
  'truncated-headers': [
    ['ipv6:ipv6.truncated'],
    ['ipv6:ipv6.truncated'],
    ['ipv6:ipv6.version'],
    ['ipv6:ipv6.payload_length_exceeds_capture'],
    ['icmpv6:icmpv6.truncated'],
    ['icmpv6:icmpv6.checksum_bad'],
    ['vxlan:vxlan.truncated'],
    ['erspan:erspan.truncated'],
    ['erspan:erspan.truncated'],
    ['cmd:cmd.truncated'],
    ['ppp:ppp.truncated'],
  ],
  'sll-truncated': [['sll:sll.truncated']],
  'null-truncated': [['null:null.truncated']],
  // fixtures/netmon.ts: Network Monitor's own records and a Token Ring frame have no link type to decode.
  // Network Monitor's own records (network info, filter, NetEvent, ...) are not packets: data, no
  // warning; only frame 11, a medium that is not decoded, has one.
  'netmon-special.cap': [...none(10), ['frame:link.unknown']],
  // fixtures/etl.ts: the fifth request, dropped at the vSwitch, is the last of 26 appearances.
  'pktmon-seed.etl': [...none(25), ['pktmon:pktmon.drop']],
};

interface JsonWarning {
  proto: string;
  code: string;
  severity: string;
  message: string;
}

/** A fixture named without an extension is a .pcap. */
const fileOf = (fixture: string): string => (fixture.includes('.') ? fixture : `${fixture}.pcap`);

async function warningsOf(fixture: string): Promise<JsonWarning[][]> {
  const r = await runCli(['--json', `fixtures/${fileOf(fixture)}`]);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { warnings: JsonWarning[] }).warnings);
}

describe('the warnings catalogue', () => {
  it('every code is raised by some fixture frame', () => {
    const raised = new Set(Object.values(EXPECTED).flat(2).map((w) => w.split(':')[1]));
    expect([...raised].sort()).toEqual(Object.keys(WARNINGS).sort());
  });

  for (const [fixture, frames] of Object.entries(EXPECTED)) {
    it(`${fileOf(fixture)} raises exactly its warnings, on the right layer, with the catalogue's severity`, async () => {
      const got = await warningsOf(fixture);
      expect(got.map((ws) => ws.map((w) => `${w.proto}:${w.code}`))).toEqual(frames);
      for (const w of got.flat()) {
        expect(w.severity).toBe(WARNINGS[w.code as keyof typeof WARNINGS][0]);
        expect(w.message.length).toBeGreaterThan(0);
      }
    });
  }

  it('the summary ends with !code for each warning, #n naming which of several layers of its protocol', async () => {
    const r = await runCli(['-s', 'fixtures/bad-checksums.pcap']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/ len=116 !ip\.checksum_bad#1$/);
    expect(lines[4]).toMatch(/ !tcp\.checksum_offloaded$/);
  });

  it('the tree shows a warning inside the layer it concerns, with the values that broke the rule', async () => {
    const r = await runCli(['-c', '4', 'fixtures/rfc7637-violations.pcap']);
    const frame4 = r.stdout.split(/^(?=Frame )/m)[3].split('\n');
    const nvgre = frame4.findIndex((l) => l.startsWith('    NVGRE: VSID 0 (0x000000)'));
    const warning = frame4.indexOf('      ! warn nvgre.vsid_reserved: VSID 0 is in the reserved range 0-4095');
    const innerEth = frame4.findIndex((l) => l.startsWith('      Ethernet II:'));
    expect(nvgre).toBeGreaterThan(0);
    expect(warning).toBeGreaterThan(nvgre);
    expect(innerEth).toBeGreaterThan(warning);
  });

  it('checksum messages give the value there and the value that should be', async () => {
    const [[outer]] = await warningsOf('bad-checksums');
    // Frame 1's outer IPv4 checksum had its high byte (header byte 10) inverted after it was computed.
    expect(outer.message).toMatch(/^header checksum 0x[0-9a-f]{4}, should be 0x[0-9a-f]{4}$/);
    const [have, should] = outer.message.match(/0x[0-9a-f]{4}/g)!.map((h) => Number.parseInt(h, 16));
    expect(have ^ should).toBe(0xff00);
  });

  it('the README lists every code with its severity and meaning', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    for (const [code, [severity, text]] of Object.entries(WARNINGS)) {
      expect(readme).toContain(`| \`${code}\` | ${severity} | ${text} |`);
    }
  });
});

describe('--strict', () => {
  it('exits 1 on the RFC 7637 violations, 0 on the seed, 0 when only notes are raised', async () => {
    expect((await runCli(['--strict', '-q', 'fixtures/rfc7637-violations.pcap'])).code).toBe(1);
    expect((await runCli(['--strict', '-q', 'fixtures/seed-ping.pcap'])).code).toBe(0);
    expect((await runCli(['--strict', '-q', 'fixtures/snaplen-64.pcap'])).code).toBe(0);
    // Frame 6 (VSID 0x1000) is the one clean frame of the violations file.
    expect((await runCli(['--strict', '-q', '-Y', 'nvgre.vsid == 0x1000', 'fixtures/rfc7637-violations.pcap'])).code).toBe(0);
  });
});
