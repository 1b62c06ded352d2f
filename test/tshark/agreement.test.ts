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
    17: 'first fragment: we decode the GRE header and VSID it carries; tshark waits for reassembly',
    18: 'last fragment: tshark reassembles and decodes the datagram here; we show the piece as data',
  },
  'gre-nesting': { 2: 'we stop after 8 nested tunnels (dissect.depth_exceeded); tshark follows all 9' },
  'snaplen-64': everyFrame(8, 'the inner IPv4 header is cut after 8 bytes: we do not half-decode it; tshark shows its ip.id'),
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

// Public third-party captures with tshark's recorded fields (../shared/captures, PROVENANCE.md there).
// Only those whose every layer we decode today are listed; ERSPAN, VXLAN, pcapng, ICMP-quoted
// headers and reassembly come with the work on other capture kinds.
const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
const AGREEING = [
  'nvgre_packetnet_gre_nvgre',
  'nvgre_ryu_gre_nvgre_option_inner-vlan',
  'neighbour_gre-teb-nokey_suricata-verify_bug-2576-01_temp6',
  'neighbour_gre-csum-key-seq-ipv4_ryu_gre_full_options',
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
        ['gre.proto', ['0x6558']],
        ['gre.key', ['0x3d59a400']],
      ]),
    ];
    const frame: JsonFrame = {
      frame: { number: 1, len: 116 },
      layers: [
        { proto: 'ip', fields: { 'ip.src': '172.16.0.2' } },
        { proto: 'gre', fields: { 'gre.proto': 25944, 'gre.key': 0x3d59a400 } },
        { proto: 'nvgre', fields: { 'nvgre.vsid': 0x3d59a5, 'nvgre.flow_id': 0 } },
      ],
    };
    expect(disagreements(rows, [frame], (f) => FIELD_DEFS.has(f))).toEqual([
      'frame 1 ip.src: tshark ["172.16.0.2","10.1.0.2"] ours ["172.16.0.2"]',
      'frame 1 VSID/FlowID: from gre.key [4020644,0] ours [4020645,0]',
    ]);
  });
});
