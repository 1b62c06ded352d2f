import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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
import { DIFFERENT_ON_PURPOSE, type Known, LEFT_OUT_BY_TSHARK, NOT_IN_TSHARK } from './known.js';

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
