import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { PROTO_TITLES } from '../../src/format/describe.js';
import { ROOT, runCli } from '../cli/spawn.js';
import {
  type Disagreement,
  decodedOnlyByTshark,
  disagreements,
  holdsPendingFirstFragment,
  type JsonFrame,
  PROTOCOLS,
  RECORDED,
  readFieldsTsv,
  TSHARK_NAMED,
} from './compare.js';

// The .fields.tsv files are tshark 4.0's output (see VERSION) on each fixture and, in captures/, on
// each public capture, recorded by `npm run record-tshark`: the checks run without tshark installed.
const TSHARK = `${ROOT}test/tshark`;
// Public third-party captures (../shared/captures, PROVENANCE.md there), never copied into the
// repository: tshark's answers for them are, in test/tshark/captures.
const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
const fixtures = readdirSync(`${ROOT}fixtures`).filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f));

async function ourFrames(capture: string): Promise<JsonFrame[]> {
  const r = await runCli(['--json', capture]);
  expect(r.code).toBe(0);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonFrame);
}

/**
 * Our fields tshark 4.0.17 does not have, and why: the recordings hold every other field we define
 * (record.sh asks for all), so a field added to a decoder fails here until it is recorded or listed.
 */
const NOT_IN_TSHARK: Record<string, string> = {
  'nvgre.vsid': 'tshark has no NVGRE dissector: checked against gre.key >> 8 instead',
  'nvgre.flow_id': 'tshark has no NVGRE dissector: checked against gre.key & 0xff instead',
  'ieee8021ad.etype': 'tshark shows the type after an 802.1ad tag with no field of its own',
  'ip.options': 'tshark has fields per option (ip.opt.type, ip.opt.len ...), none for the option bytes',
  'tcp.options.sack_perm': 'tshark marks the option as tcp.option_kind 4, with no field of its own',
  'ip.fragment.first_frame': 'tshark names the datagram by the frame that completes it (ip.reassembled_in, a second pass); one pass can name only its first fragment',
  'ipv6.fragment.first_frame': 'as ip.fragment.first_frame, over IPv6',
  // Not from the packet: names a --policy gives (src/analyze/names.ts), which no capture carries.
  'nvgre.vm_src': 'a VM name from --policy, not a header field',
  'nvgre.vm_dst': 'a VM name from --policy, not a header field',
  'nvgre.rdid': 'a routing domain from --policy, not a header field',
  // An ETW trace's metadata: tshark 4.0 reads no .etl (its etwdump extcap runs on Windows only).
  ...Object.fromEntries(
    [...FIELD_DEFS.keys()].filter((k) => k.startsWith('pktmon.') || k.startsWith('ndis.')).map((k) => [k, 'metadata of an ETW trace, which tshark 4.0 does not read']),
  ),
};

/**
 * Known differences of one capture, by tshark's frame numbers (0 is the frame count); `fields:
 * 'any'` covers a whole frame.
 */
interface Known {
  frames: readonly number[];
  fields: readonly string[] | 'any';
  why: string;
}

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const ICMP_TIMESTAMP = "ICMP echo data that begins with the sender's time: tshark shows those 8 bytes as icmp.data_time, we leave them in data";

/**
 * Where we differ from tshark on purpose, and why, by capture. The test also checks that each of
 * these still differs in each frame named and each field named, so this list cannot go stale.
 */
const DIFFERENT_ON_PURPOSE: Record<string, readonly Known[]> = {
  'lengths.pcap': [
    { frames: [3], fields: ['ip.version'], why: 'IPv4 header cut at 12 bytes: we do not half-decode it; tshark shows the version it read (0)' },
    { frames: [4], fields: 'any', why: 'IPv4 header with version 6: we keep the IPv4 fields we read; tshark decodes it as IPv6' },
    { frames: [5], fields: 'any', why: 'IHL 4: we keep every field of the header we read; tshark shows version and header length only' },
    { frames: [6], fields: 'any', why: 'total length 10 < header: we keep the header and decode on; tshark stops' },
    { frames: [7], fields: ['icmp.checksum.status'], why: 'IPv4 claims 200 bytes, 40 are there: the ICMP checksum stays Unverified; tshark sums what is there' },
    { frames: [9], fields: ['ip.version', 'data.len', 'data.data'], why: 'GRE R bit: we do not decode RFC 1701 routing and show the rest as data; tshark goes on to the payload' },
    { frames: [13], fields: 'any', why: 'TCP data offset 3: we keep flags, ack and checksum status; tshark stops after seq' },
  ],
  'gre-nesting.pcap': [{ frames: [2], fields: 'any', why: 'we stop after 8 nested tunnels (dissect.depth_exceeded); tshark follows all 9' }],
  'snaplen-64.pcap': [{ frames: upTo(8), fields: 'any', why: 'the inner IPv4 header is cut after 8 bytes: we do not half-decode it; tshark shows what it read' }],
  'fragments.pcap': [
    {
      frames: [8],
      fields: 'any',
      why: 'last piece 31 s after the first: we give up after 30 s (ip.reassembly_dropped) and show it as data; tshark has no timeout and reassembles',
    },
    {
      frames: [13],
      fields: 'any',
      why: 'a piece overlapping the first with different bytes: we drop the datagram (ip.fragment_overlap_conflict, as RFC 5722 and Linux do); tshark flags the conflict and keeps the first bytes',
    },
  ],
  'sll-truncated.pcap': [{ frames: [1], fields: 'any', why: 'cooked header cut at 10 of 16 bytes: we do not half-decode it; tshark shows the fields it read' }],
  'truncated-headers.pcap': [
    { frames: [1], fields: 'any', why: 'IPv6 header cut at 20 of 40 bytes: we do not half-decode it; tshark shows next header, payload length and hop limit' },
    { frames: [2], fields: 'any', why: 'routing header cut at 16 of its 24 bytes: we keep the base header only; tshark also shows routing type and segments left' },
    { frames: [3], fields: 'any', why: 'an IPv4 packet labelled 0x86dd: we keep the IPv6 fields we read (ipv6.version); tshark decodes it as IPv4' },
    { frames: [4], fields: ['icmpv6.checksum.status'], why: 'IPv6 payload length 200, 40 bytes there: the ICMPv6 checksum stays Unverified; tshark sums what is there' },
    { frames: [5], fields: 'any', why: '2 bytes of ICMPv6: we do not half-decode a header cut below 4 bytes; tshark shows type and code' },
    { frames: [7], fields: ['vxlan.flags'], why: 'VXLAN header cut at 4 of 8 bytes: we do not half-decode it; tshark shows the flags' },
    { frames: [8], fields: 'any', why: 'ERSPAN type II header cut at 4 of 8 bytes: we do not half-decode it; tshark shows version and session id' },
    { frames: [10], fields: 'any', why: 'Cisco MetaData header cut at 4 of 8 bytes: we do not half-decode it; tshark shows version, length and options' },
  ],
  'bad-checksums.pcap': [
    { frames: [5], fields: ['data.len', 'data.data'], why: 'a retransmitted TCP segment with a bad checksum: tshark hands its payload to nothing (tcp.payload only); we show it as data' },
  ],
  'multi-section.pcapng': [
    { frames: [0], fields: 'any', why: 'a custom block last: tshark counts it as frame 10; it is no packet and we skip it' },
    { frames: [7], fields: ['frame.time_epoch'], why: 'a simple packet block has no time: we show time 0 (1970), tshark none' },
  ],
  'seed-ping-nm1.cap': [{ frames: upTo(8), fields: ['frame.comment'], why: 'version 1.1 records local time with no zone: our comment says so, tshark says nothing' }],
  'seed-ping-nm20.cap': [{ frames: upTo(8), fields: ['frame.comment'], why: 'version 2.0 records local time with no zone: our comment says so, tshark says nothing' }],
  'netmon-special.cap': [
    { frames: [2, 3, 4, 5, 6, 7, 8], fields: ['frame.number'], why: 'tshark leaves out the records it skips (below), so its frame numbers fall behind ours' },
    {
      frames: [1, 6, 7],
      fields: ['frame.comment', 'data.len', 'data.data'],
      why: "Network Monitor's own records (filter, NetEvent, network info): our comment says what they are and the record is data; tshark decodes them as netmon_* protocols",
    },
    { frames: [2], fields: ['frame.comment'], why: 'the frame comment (Network Monitor title and description): tshark shows it in its netmon_header protocol, not as frame.comment' },
    { frames: [8], fields: ['frame.comment', 'data.len', 'data.data'], why: 'a Token Ring frame: we show it as data with a comment that says so; tshark decodes Token Ring and LLC' },
  ],
  // Public captures.
  'neighbour_gre-ipv4-plain_zeek_gre-sample': [{ frames: upTo(8), fields: ['data.len', 'data.data'], why: ICMP_TIMESTAMP }],
  neighbour_vxlan_tcpdump_vxlan: [{ frames: [1, 4, 5, 6, 7, 8, 9, 10], fields: ['data.len', 'data.data'], why: ICMP_TIMESTAMP }],
  'neighbour_gre-teb-nokey_suricata-verify_bug-2576-01_temp6': [
    { frames: [6, 8], fields: ['data.len', 'data.data'], why: 'segments of an HTTP response: tshark keeps their bytes for reassembly (tcp.payload only); we show them as data' },
  ],
};

/** Frames of ours that tshark does not show at all: they are left out before rows and frames are paired. */
const LEFT_OUT_BY_TSHARK: Record<string, { frames: readonly number[]; why: string }> = {
  'netmon-special.cap': { frames: [2, 8, 9], why: 'Network Monitor network info, DNS cache and payload header records (0xFFFD, 0xFFFE, 0xFFFC): tshark skips them' },
};

/** tshark protocols that we have a decoder for, by the names tshark uses. */
const OUR_PROTOCOLS = new Set(Object.keys(PROTO_TITLES));

/** What the known differences leave unexplained, and the known ones that no longer differ. */
function check(
  capture: string,
  found: Disagreement[],
  protocolsOf: (frame: number) => string[],
  pendingFirstFragment: (frame: number) => boolean = () => false,
): { unexplained: string[]; stale: string[] } {
  const known = DIFFERENT_ON_PURPOSE[capture] ?? [];
  const covers = (k: Known, d: Disagreement): boolean => k.frames.includes(d.frame) && (k.fields === 'any' || k.fields.includes(d.field));
  const unexplained = found
    .filter((d) => !known.some((k) => covers(k, d)))
    // Bytes tshark took apart as a protocol we have no decoder for (DNS, LLC ...) are not our data.
    .filter((d) => !(d.field.startsWith('data.') && protocolsOf(d.frame).length > 0))
    // A first fragment whose datagram is not complete yet: tshark shows its payload as data, we
    // decode what it holds (README, Reassembly); its layers are compared up to that IP header.
    .filter((d) => !(d.field.startsWith('data.') && pendingFirstFragment(d.frame)))
    .map((d) => d.line);
  const stale = known.flatMap((k) => [
    ...k.frames.filter((f) => !found.some((d) => d.frame === f && covers(k, d))).map((f) => `frame ${f} no longer differs: ${k.why}`),
    ...(k.fields === 'any' ? [] : k.fields.filter((field) => !found.some((d) => d.field === field && covers(k, d))).map((field) => `${field} no longer differs: ${k.why}`)),
  ]);
  return { unexplained, stale };
}

async function compareWithTshark(capture: string, tsv: string, path: string): Promise<void> {
  const rec = readFieldsTsv(tsv);
  const leftOut = LEFT_OUT_BY_TSHARK[capture]?.frames ?? [];
  const frames = (await ourFrames(path)).filter((f) => !leftOut.includes(f.frame.number));
  expect(frames.length).toBeGreaterThan(0);
  const found = disagreements(rec, frames);
  const result = check(
    capture,
    found,
    (frame) => (frame === 0 ? [] : decodedOnlyByTshark(rec.rows[frame - 1], OUR_PROTOCOLS)),
    (frame) => frame > 0 && frames[frame - 1] !== undefined && holdsPendingFirstFragment(frames[frame - 1]),
  );
  expect(result).toEqual({ unexplained: [], stale: [] });
}

describe('--json agrees with tshark on every fixture, field by field', () => {
  it('has a recording for every fixture, of every field both know', () => {
    const recorded = readdirSync(TSHARK).filter((f) => f.endsWith('.fields.tsv'));
    expect(recorded.map((f) => f.replace('.fields.tsv', '')).sort()).toEqual(fixtures.sort());
    const wanted = RECORDED.filter((f) => !(f in NOT_IN_TSHARK));
    for (const file of recorded) expect(readFieldsTsv(`${TSHARK}/${file}`).columns, file).toEqual(wanted);
  });

  for (const capture of fixtures) it(capture, () => compareWithTshark(capture, `${TSHARK}/${capture}.fields.tsv`, `fixtures/${capture}`));
});

/** Frames whose recorded `field` has an occurrence equal to `value` (tshark -Y 'field == value'). */
function tsharkMatches(tsv: string, field: string, value: number): number[] {
  return readFieldsTsv(tsv)
    .rows.filter((row) => (row.get(field) ?? []).some((v) => Number(v) === value))
    .map((row) => Number(row.get('frame.number')![0]));
}

async function ourMatches(filter: string, capture: string): Promise<number[]> {
  const r = await runCli(['-s', '-Y', filter, capture]);
  return r.stdout.split('\n').filter(Boolean).map((line) => Number(line.split(' ')[0]));
}

describe('-Y on ip.flags selects what tshark selects (the 3-bit field: 0x2 DF, 0x1 MF)', () => {
  it('ip.flags == 0x1 (MF) on fixtures/fragments.pcap', async () => {
    const expected = tsharkMatches(`${TSHARK}/fragments.pcap.fields.tsv`, 'ip.flags', 0x1);
    expect(expected).toEqual([1, 6, 7, 10, 12]);
    expect(await ourMatches('ip.flags == 0x1', 'fixtures/fragments.pcap')).toEqual(expected);
    expect(await ourMatches('ip.flags.mf == 1', 'fixtures/fragments.pcap')).toEqual(expected);
  });

  it.skipIf(!existsSync(CAPTURES))('ip.flags == 0x2 (DF) on the public Ryu NVGRE capture', async () => {
    const name = 'nvgre_ryu_gre_nvgre_option_inner-vlan';
    const expected = tsharkMatches(`${TSHARK}/captures/${name}.fields.tsv`, 'ip.flags', 0x2);
    expect(expected).toEqual([1]);
    expect(await ourMatches('ip.flags == 0x2', `${CAPTURES}/${name}.pcap`)).toEqual(expected);
  });
});

const publicRecorded = readdirSync(`${TSHARK}/captures`)
  .filter((f) => f.endsWith('.fields.tsv'))
  .map((f) => f.replace('.fields.tsv', ''));

describe.skipIf(!existsSync(CAPTURES))(`--json agrees with tshark on public captures in ${CAPTURES}`, () => {
  it('has a recording for every public capture, of every field both know', () => {
    const captures = readdirSync(CAPTURES).filter((f) => f.endsWith('.pcap'));
    expect(publicRecorded.map((name) => `${name}.pcap`).sort()).toEqual(captures.sort());
    const wanted = RECORDED.filter((f) => !(f in NOT_IN_TSHARK));
    for (const name of publicRecorded) expect(readFieldsTsv(`${TSHARK}/captures/${name}.fields.tsv`).columns, name).toEqual(wanted);
  });

  for (const name of publicRecorded) it(name, () => compareWithTshark(name, `${TSHARK}/captures/${name}.fields.tsv`, `${CAPTURES}/${name}.pcap`));
});
if (!existsSync(CAPTURES)) console.warn(`skipped: no public captures at ${CAPTURES} (set NVGRE_CAPTURES)`);

describe('the comparison itself', () => {
  const rec = (fields: Record<string, string[]>) => ({ columns: Object.keys(fields), rows: [new Map(Object.entries(fields))] });

  it('reports a changed value, a missing occurrence and a wrong VSID split', () => {
    const frame: JsonFrame = {
      frame: { number: 1, len: 116 },
      layers: [
        { proto: 'ip', fields: { 'ip.src': '172.16.0.2' } },
        { proto: 'gre', fields: { 'gre.flags_and_version': 0x2000, 'gre.proto': 25944, 'gre.key': 0x3d59a400 } },
        { proto: 'nvgre', fields: { 'nvgre.vsid': 0x3d59a5, 'nvgre.flow_id': 0 } },
      ],
    };
    const found = disagreements(
      rec({
        'frame.number': ['1'],
        'frame.len': ['98'],
        'ip.src': ['172.16.0.2', '10.1.0.2'],
        'gre.flags_and_version': ['0x2000'],
        'gre.proto': ['0x6558'],
        'gre.key': ['0x3d59a400'],
      }),
      [frame],
    );
    expect(found.map((d) => d.line)).toEqual([
      'frame 1 frame.len: tshark [98] ours [116]',
      'frame 1 ip.src: tshark ["172.16.0.2","10.1.0.2"] ours ["172.16.0.2"]',
      'frame 1 VSID/FlowID: from gre.key [4020644,0] ours [4020645,0]',
    ]);
  });

  it('compares values by meaning: hex and decimal, bytes with and without colons, ISO time and epoch', () => {
    const frame: JsonFrame = {
      frame: { number: 1, time: '2013-07-19T08:00:00.000512Z', len: 98 },
      layers: [
        { proto: 'ip', fields: { 'ip.version': 4, 'ip.flags': 2 } },
        { proto: 'ipv6', fields: { 'ipv6.version': 6 } },
        { proto: 'tcp', fields: { 'tcp.srcport': 80 } },
        { proto: 'data', fields: { 'data.len': 2, 'data.data': 'ab:cd' } },
      ],
    };
    const agreeing = {
      'frame.time_epoch': ['1374220800.000512000'],
      'ip.flags': ['0x02'],
      'ip.version': ['4', '6'], // tshark's IPv6 dissector sets ip.version too
      'tcp.payload': ['abcd'],
      'data.data': ['abcd'],
      [PROTOCOLS]: ['eth:ethertype:ip:ipv6:tcp:data'],
    };
    expect(disagreements(rec(agreeing), [frame])).toEqual([]);
    expect(disagreements(rec({ ...agreeing, 'ip.flags': ['0x40'], 'tcp.payload': ['abce'] }), [frame]).map((d) => d.line)).toEqual([
      'frame 1 ip.flags: tshark [64] ours [2]',
      'frame 1 tcp.payload: tshark ["abce"] ours ["abcd"]',
    ]);
    expect(Object.keys(TSHARK_NAMED)).toEqual(['tcp.payload']);
  });

  it('takes the VSID from the first NVGRE key, behind GRE headers without a key or of another protocol', () => {
    // ERSPAN type I (GRE 0x88be, no key) around an NVGRE frame, then type II (S bit, no key).
    const row = (flags: string) => rec({ 'gre.flags_and_version': [flags, '0x2000'], 'gre.proto': ['0x88be', '0x6558'], 'gre.key': ['0x862d9e07'] });
    const frame = (vsid: number): JsonFrame => ({
      frame: { number: 1, len: 154 },
      layers: [
        { proto: 'gre', fields: { 'gre.flags_and_version': 0, 'gre.proto': 0x88be } },
        { proto: 'gre', fields: { 'gre.flags_and_version': 0x2000, 'gre.proto': 0x6558, 'gre.key': 0x862d9e07 } },
        { proto: 'nvgre', fields: { 'nvgre.vsid': vsid, 'nvgre.flow_id': 7 } },
      ],
    });
    const flagsOnly = (found: Disagreement[]): string[] => found.filter((d) => d.field === 'nvgre').map((d) => d.line);
    expect(flagsOnly(disagreements(row('0x0000'), [frame(0x862d9e)]))).toEqual([]);
    expect(flagsOnly(disagreements(row('0x1000'), [frame(0x862d9f)]))).toEqual(['frame 1 VSID/FlowID: from gre.key [8793502,7] ours [8793503,7]']);
  });

  it('a known difference that no longer differs is reported stale, an unknown one unexplained', () => {
    const found: Disagreement[] = [{ frame: 2, field: 'ip.version', line: 'frame 2 ip.version: tshark [0] ours []' }];
    expect(check('lengths.pcap', found, () => [])).toEqual({
      unexplained: ['frame 2 ip.version: tshark [0] ours []'],
      stale: expect.arrayContaining([`frame 3 no longer differs: ${DIFFERENT_ON_PURPOSE['lengths.pcap'][0].why}`]),
    });
  });
});
