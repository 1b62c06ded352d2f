import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { ROOT, runCli } from '../cli/spawn.js';
import { disagreements, type JsonFrame, readFieldsTsv } from './compare.js';

// The .fields.tsv files are tshark 4.0's output on each fixture (see VERSION), recorded by
// `npm run record-tshark`: the checks run without tshark installed.
const recorded = readdirSync(`${ROOT}test/tshark`).filter((f) => f.endsWith('.fields.tsv'));

async function ourFrames(capture: string): Promise<JsonFrame[]> {
  const r = await runCli(['--json', capture]);
  expect(r.code).toBe(0);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonFrame);
}

const everyFrame = (n: number, why: string): Record<number, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [i + 1, why]));

/**
 * Frames of the anomaly fixtures where we differ from tshark on purpose, and why. The test also
 * checks that each of them still differs, so this list cannot go stale.
 */
const DIFFERENT_ON_PURPOSE: Record<string, Record<number, string>> = {
  lengths: {
    4: 'IPv4 header with version 6: we keep the fields we read, tshark shows none',
    5: 'IHL 4: we keep the fields we read, tshark shows none',
    6: 'total length 10 < header: we keep the header and decode on; tshark stops',
    7: 'IPv4 claims 200 bytes, 40 are there: the ICMP checksum stays Unverified; tshark sums what is there',
    13: 'TCP data offset 3: we keep flags, ack and checksum status; tshark stops after seq',
  },
  'gre-nesting': { 2: 'we stop after 8 nested tunnels (dissect.depth_exceeded); tshark follows all 9' },
  'snaplen-64': everyFrame(8, 'the inner IPv4 header is cut after 8 bytes: we do not half-decode it; tshark shows its ip.id'),
  fragments: {
    8: 'last piece 31 s after the first: we give up after 30 s (ip.reassembly_dropped) and show it as data; tshark has no timeout and reassembles',
    13: 'a piece overlapping the first with different bytes: we drop the datagram (ip.fragment_overlap_conflict, as RFC 5722 and Linux do); tshark flags the conflict and keeps the first bytes',
  },
  'sll-truncated': { 1: 'cooked header cut at 10 of 16 bytes: we do not half-decode it; tshark shows the packet type it read' },
  'truncated-headers': {
    1: 'IPv6 header cut at 20 of 40 bytes: we do not half-decode it; tshark shows next header, payload length and hop limit',
    2: 'routing header cut at 16 of its 24 bytes: we keep the base header only; tshark also shows routing type and segments left',
    3: 'an IPv4 packet labelled 0x86dd: we keep the IPv6 fields we read (ipv6.version); tshark shows none',
    4: 'IPv6 payload length 200, 40 bytes there: the ICMPv6 checksum stays Unverified; tshark sums what is there',
    5: '2 bytes of ICMPv6: we do not half-decode a header cut below 4 bytes; tshark shows type and code',
    8: 'ERSPAN type II header cut at 4 of 8 bytes: we do not half-decode it; tshark shows version and session id',
  },
};

describe('--json agrees with tshark on every fixture, field by field', () => {
  it('has a recording for every fixture', () => {
    const fixtures = readdirSync(`${ROOT}fixtures`).filter((f) => f.endsWith('.pcap'));
    expect(recorded.map((f) => f.replace('.fields.tsv', '.pcap')).sort()).toEqual(fixtures.sort());
  });

  for (const file of recorded) {
    const name = file.replace('.fields.tsv', '');
    it(name, async () => {
      const rows = readFieldsTsv(`${ROOT}test/tshark/${file}`);
      const frames = await ourFrames(`fixtures/${name}.pcap`);
      const expected = DIFFERENT_ON_PURPOSE[name] ?? {};
      const frameOf = (line: string): number => Number(/^frame (\d+)/.exec(line)?.[1]);
      const found = disagreements(rows, frames, (f) => FIELD_DEFS.has(f));
      expect(found.filter((line) => !(frameOf(line) in expected))).toEqual([]);
      expect([...new Set(found.map(frameOf))]).toEqual(Object.keys(expected).map(Number));
      expect(frames.length).toBeGreaterThan(0);
    });
  }
});

// Public third-party captures with tshark's recorded fields (../shared/captures, PROVENANCE.md there):
// every frame of every one must agree, including the 2015 trace's reassembled fragments.
const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
const AGREEING = [
  'nvgre_packetnet_gre_nvgre',
  'nvgre_ryu_gre_nvgre_option_inner-vlan',
  'nvgre-shaped_zeek_erspan-trace_real-2015_teb-key_outer-frags',
  'nvgre_pcapplusplus_GrePackets_mixed-gre', // pcapng with several interfaces, which tcpdump refuses
  'neighbour_erspan-ii_tcpdump_erspan-type-ii-1',
  'neighbour_gre-csum-key-seq-ipv4_ryu_gre_full_options',
  'neighbour_gre-ipv4-plain_zeek_gre-sample',
  'neighbour_gre-key-nonteb_tcpdump_various_gre',
  'neighbour_gre-teb-nokey_suricata-verify_bug-2576-01_temp6',
  'neighbour_vxlan_tcpdump_vxlan',
];

describe.skipIf(!existsSync(CAPTURES))(`--json agrees with tshark on public captures in ${CAPTURES}`, () => {
  for (const name of AGREEING) {
    it(name, async () => {
      const rows = readFieldsTsv(`${CAPTURES}/tshark/${name}.fields.tsv`);
      const frames = await ourFrames(`${CAPTURES}/${name}.pcap`);
      expect(disagreements(rows, frames, (f) => FIELD_DEFS.has(f))).toEqual([]);
    });
  }
});
if (!existsSync(CAPTURES)) console.warn(`skipped: no public captures at ${CAPTURES} (set NVGRE_CAPTURES)`);

describe('the comparison itself', () => {
  it('reports a changed value, a missing occurrence and a wrong VSID split', () => {
    const rows = [
      new Map([
        ['frame.number', ['1']],
        ['ip.src', ['172.16.0.2', '10.1.0.2']],
        ['gre.flags_and_version', ['0x2000']],
        ['gre.proto', ['0x6558']],
        ['gre.key', ['0x3d59a400']],
      ]),
    ];
    const frame: JsonFrame = {
      frame: { number: 1, len: 116 },
      layers: [
        { proto: 'ip', fields: { 'ip.src': '172.16.0.2' } },
        { proto: 'gre', fields: { 'gre.flags_and_version': 0x2000, 'gre.proto': 25944, 'gre.key': 0x3d59a400 } },
        { proto: 'nvgre', fields: { 'nvgre.vsid': 0x3d59a5, 'nvgre.flow_id': 0 } },
      ],
    };
    expect(disagreements(rows, [frame], (f) => FIELD_DEFS.has(f))).toEqual([
      'frame 1 ip.src: tshark ["172.16.0.2","10.1.0.2"] ours ["172.16.0.2"]',
      'frame 1 VSID/FlowID: from gre.key [4020644,0] ours [4020645,0]',
    ]);
  });

  it('takes the VSID from the first NVGRE key, behind GRE headers without a key or of another protocol', () => {
    // ERSPAN type I (GRE 0x88be, no key) around an NVGRE frame, then type II (S bit, no key).
    const row = (flags: string): Map<string, string[]> =>
      new Map([
        ['frame.number', ['1']],
        ['gre.flags_and_version', [flags, '0x2000']],
        ['gre.proto', ['0x88be', '0x6558']],
        ['gre.key', ['0x862d9e07']],
      ]);
    const frame = (vsid: number): JsonFrame => ({
      frame: { number: 1, len: 154 },
      layers: [
        { proto: 'gre', fields: { 'gre.flags_and_version': 0, 'gre.proto': 0x88be } },
        { proto: 'gre', fields: { 'gre.flags_and_version': 0x2000, 'gre.proto': 0x6558, 'gre.key': 0x862d9e07 } },
        { proto: 'nvgre', fields: { 'nvgre.vsid': vsid, 'nvgre.flow_id': 7 } },
      ],
    });
    expect(disagreements([row('0x0000')], [frame(0x862d9e)], () => false)).toEqual([]);
    expect(disagreements([row('0x1000')], [frame(0x862d9f)], () => false)).toEqual(['frame 1 VSID/FlowID: from gre.key [8793502,7] ours [8793503,7]']);
  });
});
