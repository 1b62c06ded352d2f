// Issue 17, points 3 and 4: captures by the hundred in one command. Every frame names its file and
// keeps its file's number, a broken file is one line and exit 2 while the others print whole, and
// --lookup over the hosts' captures is one table naming the host capture of each observation.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './spawn.js';

const lines = (s: string): string[] => s.trimEnd().split('\n');
const HOSTS = ['fixtures/host-a.pcap', 'fixtures/host-b.pcap', 'fixtures/host-c.pcap'];

describe('--lookup over the hosts\' captures: one table, the capture of each observation', () => {
  it('names the host capture that saw each CA behind each PA, and when', async () => {
    const r = await runCli(['--lookup', ...HOSTS]);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout).filter((l) => l.startsWith('│ 10.')).map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
    // CA, VSID, PA, capture, frames, first seen: host B saw 10.2.0.2 before the move, host C after, host A both.
    expect(rows.map((c) => [c[0], c[1], c[3], c[4], c[5], c[6]])).toEqual([
      ['10.2.0.2', '4020644 (0x3D59A4)', '172.16.0.3', 'fixtures/host-a.pcap', '2', '2013-07-19T10:00:00.000000Z'],
      ['10.2.0.2', '4020644 (0x3D59A4)', '172.16.0.3', 'fixtures/host-b.pcap', '2', '2013-07-19T10:00:00.000000Z'],
      ['10.2.0.2', '4020644 (0x3D59A4)', '172.16.0.9', 'fixtures/host-a.pcap', '2', '2013-07-19T10:00:10.000000Z'],
      ['10.2.0.2', '4020644 (0x3D59A4)', '172.16.0.9', 'fixtures/host-c.pcap', '2', '2013-07-19T10:00:10.000000Z'],
      ['10.1.0.2', '8793502 (0x862D9E)', '172.16.0.2', 'fixtures/host-a.pcap', '4', '2013-07-19T10:00:00.000512Z'],
      ['10.1.0.2', '8793502 (0x862D9E)', '172.16.0.2', 'fixtures/host-b.pcap', '2', '2013-07-19T10:00:00.000512Z'],
      ['10.1.0.2', '8793502 (0x862D9E)', '172.16.0.2', 'fixtures/host-c.pcap', '2', '2013-07-19T10:00:10.000512Z'],
    ]);
    expect(lines(r.stdout)[1]).toMatch(/│ ProviderAddress │ Capture +│ Frames │/);
    expect(lines(r.stdout).slice(-2)).toEqual([
      '7 lookup records from the 3 captures',
      '! CA 10.2.0.2 in VSID 4020644 (0x3D59A4) is behind 2 PAs: ' +
        '172.16.0.3 (fixtures/host-a.pcap, fixtures/host-b.pcap; last seen 2013-07-19T10:00:01.000000Z), ' +
        '172.16.0.9 (fixtures/host-a.pcap, fixtures/host-c.pcap; last seen 2013-07-19T10:00:11.000000Z): a live migration, or a stale lookup record',
    ]);
  });

  it('--json: each record starts with its "file"', async () => {
    const r = await runCli(['--lookup', '--json', 'fixtures/host-b.pcap', 'fixtures/host-c.pcap']);
    const out = JSON.parse(r.stdout) as { records: Record<string, unknown>[]; conflicts: { records: unknown[] }[] };
    expect(out.records.map((x) => [x.file, x.customer_address, x.provider_address, x.frames])).toEqual([
      ['fixtures/host-b.pcap', '10.2.0.2', '172.16.0.3', 2],
      ['fixtures/host-c.pcap', '10.2.0.2', '172.16.0.9', 2],
      ['fixtures/host-b.pcap', '10.1.0.2', '172.16.0.2', 2],
      ['fixtures/host-c.pcap', '10.1.0.2', '172.16.0.2', 2],
    ]);
    expect(Object.keys(out.records[0])[0]).toBe('file');
    expect(out.conflicts[0].records).toHaveLength(2);
  });

  it('one capture alone has no Capture column and no "file" key', async () => {
    const [text, json] = await Promise.all([runCli(['--lookup', 'fixtures/host-a.pcap']), runCli(['--lookup', '--json', 'fixtures/host-a.pcap'])]);
    expect(lines(text.stdout)[1]).not.toContain('Capture');
    expect(text.stdout).toContain('3 lookup records from the capture\n');
    expect(Object.keys((JSON.parse(json.stdout) as { records: object[] }).records[0])).not.toContain('file');
  });
});

describe('--stats over several captures', () => {
  it('one row per VSID over them all, the captures it was in, first and last seen whatever the order of the files', async () => {
    // tenant-mix (08:01:00.1-08:01:00.8) is given before seed-ping (08:00:00-08:00:03.000512).
    const r = await runCli(['--stats', '--json', 'fixtures/tenant-mix.pcap', 'fixtures/seed-ping.pcap']);
    const out = JSON.parse(r.stdout) as { vsids: { vsid: number; files: string[]; frames: number; first: string; last: string }[] };
    expect(out.vsids.map((v) => [v.vsid, v.files, v.frames, v.first, v.last])).toEqual([
      // tenant-mix frames 2, 4, 6, 7, 8 and the seed's 4 requests
      [4020644, ['fixtures/tenant-mix.pcap', 'fixtures/seed-ping.pcap'], 9, '2013-07-19T08:00:00.000000Z', '2013-07-19T08:01:00.700000Z'],
      // tenant-mix frames 3, 5, 9 and the seed's 4 replies
      [8793502, ['fixtures/tenant-mix.pcap', 'fixtures/seed-ping.pcap'], 7, '2013-07-19T08:00:00.000512Z', '2013-07-19T08:01:00.800000Z'],
    ]);
    const text = await runCli(['--stats', 'fixtures/host-b.pcap', 'fixtures/host-c.pcap', 'fixtures/tenant-mix.pcap']);
    expect(lines(text.stdout)[1]).toContain('│ CA count │ Captures │ First ');
    expect(lines(text.stdout)[3]).toMatch(/^│ 4020644 │ .* │ 2 +│ 3 +│ 2013-07-19T08:01:00\.100000Z │ 2013-07-19T10:00:11\.000000Z │/);
  });
});

describe('a broken capture among good ones', () => {
  it('--json: its one error line, exit 2, every good file printed whole, numbers their own', async () => {
    const r = await runCli(['--json', 'fixtures/host-b.pcap', 'fixtures/broken/truncated-record-body.pcap', 'fixtures/host-c.pcap']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['nvgre-dissect: fixtures/broken/truncated-record-body.pcap: at byte 436: record 4 body cut off after 50 of 116 bytes']);
    const got = lines(r.stdout).map((l) => JSON.parse(l) as { file: string; frame: { number: number } }).map((o) => `${o.file}#${o.frame.number}`);
    expect(got).toEqual([
      ...[1, 2, 3, 4].map((n) => `fixtures/host-b.pcap#${n}`),
      ...[1, 2, 3].map((n) => `fixtures/broken/truncated-record-body.pcap#${n}`),
      ...[1, 2, 3, 4].map((n) => `fixtures/host-c.pcap#${n}`),
    ]);
  });
});

/** The seed capture with every record's seconds moved by `shift`: each file's frames are its own. */
function shifted(seed: Uint8Array, shift: number): Uint8Array {
  const out = new Uint8Array(seed); // a copy, at offset 0 of its own buffer
  const view = new DataView(out.buffer);
  for (let at = 24; at < out.length; at += 16 + view.getUint32(at + 8, true)) view.setUint32(at, view.getUint32(at, true) + shift, true);
  return out;
}

describe('500 captures in one command', () => {
  const FILES = 500;
  let dir = '';
  let paths: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nvgre-fleet-'));
    const seed = readFileSync(`${ROOT}fixtures/seed-ping.pcap`);
    paths = Array.from({ length: FILES }, (_, i) => {
      const path = join(dir, `host-${String(i).padStart(3, '0')}.pcap`);
      writeFileSync(path, shifted(seed, i * 3600));
      return path;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every file\'s 8 frames come out, in order, exactly once, each with its file\'s own time', async () => {
    const r = await runCli(['-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', ...paths]);
    expect(r.code).toBe(0);
    const got = lines(r.stdout);
    expect(got).toHaveLength(FILES * 8);
    // The seed's frames are 08:00:00 + (n-1)/2 s (+512 µs for replies), file i an hour later per i.
    const t0 = Date.UTC(2013, 6, 19, 8) / 1000;
    const expected = paths.flatMap((_, i) =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${n}\t${t0 + i * 3600 + Math.floor((n - 1) / 2)}.${n % 2 === 0 ? '000512' : '000000'}000`),
    );
    expect(got).toEqual(expected);
  });

  it('--json names each frame\'s file; --stats and --lookup merge them all', async () => {
    const [json, stats, lookup] = await Promise.all([
      runCli(['--json', ...paths]),
      runCli(['--stats', '--json', ...paths]),
      runCli(['--lookup', '--json', ...paths]),
    ]);
    const files = lines(json.stdout).map((l) => (JSON.parse(l) as { file: string }).file);
    expect(files).toEqual(paths.flatMap((p) => Array<string>(8).fill(p)));
    const s = JSON.parse(stats.stdout) as { totals: { frames_read: number }; vsids: { frames: number }[] };
    expect([s.totals.frames_read, ...s.vsids.map((v) => v.frames)]).toEqual([4000, 2000, 2000]);
    // Two records per host capture: 10.2.0.2 behind 172.16.0.3 and 10.1.0.2 behind 172.16.0.2.
    const l = JSON.parse(lookup.stdout) as { records: { file: string }[]; conflicts: unknown[] };
    expect(l.records).toHaveLength(2 * FILES);
    expect(new Set(l.records.map((x) => x.file)).size).toBe(FILES);
    expect(l.conflicts).toEqual([]);
  });
});
