// Issue 17, point 1: every --json line has the same top level, of fixed types, whatever the
// capture, and schema/frame.schema.json says so; every fixture's output is checked against it.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_CASES } from '../golden/cases.js';
import { ROOT, runCli } from '../cli/spawn.js';
import { everyFixtureJson, FIXTURES } from './fixtures-json.js';

const TOP = ['file', 'number', 'time', 'len', 'caplen', 'tunnel', 'vsid', 'flow_id', 'pa_src', 'pa_dst', 'ca_src', 'ca_dst', 'ca_proto', 'severity', 'frame', 'layers', 'warnings'];

const schema = JSON.parse(readFileSync(`${ROOT}schema/frame.schema.json`, 'utf8')) as object;
const compiled = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const validate = (line: unknown): boolean => compiled(line);

type Line = Record<string, unknown> & { file: string; number: number; frame: Record<string, unknown> };
let text = '';
let lines: Line[] = [];
beforeAll(async () => {
  text = await everyFixtureJson();
  lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
});
const frame = (file: string, n: number): Line => lines.find((l) => l.file === `fixtures/${file}` && l.number === n)!;
/** The new keys of a line, without frame, layers and warnings. */
const top = (l: Line): Record<string, unknown> => Object.fromEntries(Object.entries(l).filter(([k]) => TOP.indexOf(k) < TOP.indexOf('frame')));

describe('the top level of --json (schema/frame.schema.json)', () => {
  it('every line of every fixture is valid against the schema', () => {
    expect(new Set(lines.map((l) => l.file))).toEqual(new Set(FIXTURES));
    const invalid = lines.filter((l) => !validate(l)).map((l) => `${l.file}#${l.number}: ${JSON.stringify(compiled.errors)}`);
    expect(invalid).toEqual([]);
  });

  it('every line of every fixture has every top-level key, in one order', () => {
    const wrong = lines.filter((l) => Object.keys(l).join() !== TOP.join()).map((l) => `${l.file}#${l.number}: ${Object.keys(l).join()}`);
    expect(wrong).toEqual([]);
    expect(schema).toMatchObject({ required: TOP });
  });

  it('the schema refuses a line that lacks a key, has one more, or a value of another type', () => {
    const good = frame('seed-ping.pcap', 1);
    expect(validate(good)).toBe(true);
    const { vsid: _, ...noVsid } = good;
    expect(validate(noVsid)).toBe(false);
    expect(validate({ ...good, host: 'a' })).toBe(false);
    expect(validate({ ...good, vsid: '4020644' })).toBe(false);
    expect(validate({ ...good, time: good.frame.time + '000' })).toBe(false);
    expect(validate({ ...good, tunnel: null })).toBe(false); // a line without a tunnel has no VSID
    expect(validate({ ...good, severity: 'warn' })).toBe(false); // no warning says so
  });

  it('the golden .ndjson files are these very lines (one capture alone names its file too)', () => {
    for (const { file, fixture, args } of GOLDEN_CASES.filter((c) => c.args.length === 1 && c.args[0] === '--json')) {
      const mine = text.split('\n').filter((l) => l.startsWith(`{"file":"fixtures/${fixture}",`));
      expect(mine.join('\n') + '\n', file + args.join(' ')).toBe(readFileSync(`${ROOT}test/golden/${file}`, 'utf8'));
    }
  });

  it('NVGRE: the VSID, FlowID, provider and customer addresses, the tenant protocol (seed-ping #1, 4020644 = 0x3D59A4)', () => {
    expect(top(frame('seed-ping.pcap', 1))).toEqual({
      file: 'fixtures/seed-ping.pcap', number: 1, time: '2013-07-19T08:00:00.000000Z', len: 116, caplen: 116,
      tunnel: 'nvgre', vsid: 4020644, flow_id: 0, pa_src: '172.16.0.2', pa_dst: '172.16.0.3', ca_src: '10.1.0.2', ca_dst: '10.2.0.2', ca_proto: 1, severity: null,
    });
  });

  it('IPv6 addresses as RFC 5952 text; ca_proto is IPv6\'s last Next Header (nvgre-ipv6 #17 TCP, #18 UDP)', () => {
    expect(top(frame('nvgre-ipv6.pcap', 17))).toMatchObject({ flow_id: 42, pa_src: 'fd00:16::2', pa_dst: 'fd00:16::3', ca_src: 'fd10::2', ca_dst: 'fd20::2', ca_proto: 6 });
    expect(top(frame('nvgre-ipv6.pcap', 18))).toMatchObject({ flow_id: 7, ca_proto: 17 });
  });

  it('VXLAN: the VNI is vsid, flow_id is null; NVGRE mirrored through ERSPAN is nvgre with its own PAs', () => {
    expect(top(frame('overlays.pcap', 1))).toMatchObject({ tunnel: 'vxlan', vsid: 5001, flow_id: null, pa_src: '172.16.0.2', ca_dst: '10.2.0.2' });
    expect(top(frame('overlays.pcap', 11))).toMatchObject({ tunnel: 'nvgre', vsid: 8793502, flow_id: 0, pa_src: '172.16.0.3', pa_dst: '172.16.0.2', ca_src: '10.2.0.2' });
  });

  it('no tunnel: all null; severity is the worst warning\'s (gre-nesting #2 error, rfc7637-violations #7 note)', () => {
    expect(top(frame('gre-nesting.pcap', 1))).toMatchObject({ tunnel: null, vsid: null, flow_id: null, pa_src: null, pa_dst: null, ca_src: null, ca_dst: null, ca_proto: null, severity: null });
    expect(frame('gre-nesting.pcap', 2).severity).toBe('error');
    expect(frame('rfc7637-violations.pcap', 7)).toMatchObject({ vsid: 16777215, severity: 'note' });
  });

  it('time is in microseconds whatever the capture\'s digits; frame.time keeps them (seed-ping-ns, pktmon)', () => {
    expect(frame('seed-ping-ns.pcap', 2)).toMatchObject({ time: '2013-07-19T08:00:00.000512Z', frame: { time: '2013-07-19T08:00:00.000512000Z' } });
    expect(frame('pktmon-seed.etl', 1).frame.time).toMatch(/\.\d{7}Z$/);
    expect(frame('pktmon-seed.etl', 1).time).toBe((frame('pktmon-seed.etl', 1).frame.time as string).slice(0, -2) + 'Z');
  });

  it('standard input is "-"', async () => {
    const r = await runCli(['--json', '-c', '1', '-'], { input: readFileSync(`${ROOT}fixtures/seed-ping.pcap`) });
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '-', number: 1, vsid: 4020644 });
  });
});
