import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const MIX = 'fixtures/tenant-mix.pcap';
/** Frame numbers of --summary output: its first word. */
const numbers = (summary: string): number[] => summary.trimEnd().split('\n').filter(Boolean).map((l) => Number(l.split(' ')[0]));

describe('--summary', () => {
  it('prints one line per frame; grep vsid=8793502 selects exactly the replies', async () => {
    const r = await runCli(['-s', SEED]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines.filter((l) => l.includes('vsid=8793502')).map((l) => Number(l.split(' ')[0]))).toEqual([2, 4, 6, 8]);
    expect(lines[0]).toBe(
      '1 2013-07-19T08:00:00.000000Z 172.16.0.2 -> 172.16.0.3 vsid=4020644 (0x3D59A4) flow=0 ' +
        '10.1.0.2 -> 10.2.0.2 ICMP Echo (ping) request id=1 seq=1 len=116',
    );
  });
});

describe('--json', () => {
  it('prints one parseable object per frame with the required keys', async () => {
    const r = await runCli(['--json', MIX]);
    const objs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(objs).toHaveLength(9);
    objs.forEach((o, i) => {
      expect(Object.keys(o).slice(-3)).toEqual(['frame', 'layers', 'warnings']);
      expect(o).toMatchObject({ file: MIX, number: i + 1, tunnel: i === 0 ? null : 'nvgre', severity: null });
      expect(Object.keys(o.frame)).toEqual(['number', 'time', 'len', 'caplen', 'linktype']);
      expect(o.frame.number).toBe(i + 1);
      for (const layer of o.layers) expect(Object.keys(layer)).toEqual(['proto', 'fields']);
      expect(o.warnings).toEqual([]);
    });
    expect(objs[0].layers.map((l: { proto: string }) => l.proto)).toEqual(['eth', 'arp']);
  });

  it('lists each frame of the seed as eth ip gre nvgre eth ip icmp', async () => {
    const r = await runCli(['--json', SEED]);
    for (const line of r.stdout.trimEnd().split('\n')) {
      expect(JSON.parse(line).layers.map((l: { proto: string }) => l.proto)).toEqual(['eth', 'ip', 'gre', 'nvgre', 'eth', 'ip', 'icmp']);
    }
  });
});

describe('filters keep file frame numbers and combine', () => {
  const cases: [string[], string, number[]][] = [
    [['--vsid', '0x862D9E'], SEED, [2, 4, 6, 8]],
    [['--vsid', '8793502'], SEED, [2, 4, 6, 8]],
    [['--vsid', '4020644', '--vsid', '0x862d9e'], SEED, [1, 2, 3, 4, 5, 6, 7, 8]],
    [['-Y', 'nvgre.vsid == 0x3d59a4 && ip.dst == 10.2.0.2'], SEED, [1, 3, 5, 7]],
    [['--flow-id', '42'], MIX, [4, 5, 6, 7]],
    [['--flow-id', '0x07'], MIX, [8, 9]],
    [['--pa', '172.16.0.3'], MIX, [2, 3, 4, 5, 6, 7, 8, 9]],
    [['--ca', '10.2.0.2'], MIX, [2, 3, 4, 5, 6, 7, 8, 9]],
    [['--ca', '172.16.0.2'], MIX, []],
    [['--vsid', '4020644', '--flow-id', '42', '-Y', 'tcp.len > 0'], MIX, [7]],
    [['-Y', '!nvgre'], MIX, [1]],
    [['-c', '3'], SEED, [1, 2, 3]],
    [['-c', '2', '--vsid', '0x862D9E'], SEED, [2, 4]],
  ];
  for (const [args, file, expected] of cases) {
    it(`${args.join(' ')} on ${file} -> ${JSON.stringify(expected)}`, async () => {
      const r = await runCli(['-s', ...args, file]);
      expect(numbers(r.stdout)).toEqual(expected);
      expect(r.code).toBe(expected.length > 0 ? 0 : 1);
    });
  }

  it('applies to --json and the tree too', async () => {
    const json = await runCli(['--json', '--vsid', '0x862D9E', SEED]);
    expect(json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).frame.number)).toEqual([2, 4, 6, 8]);
    const tree = await runCli(['--vsid', '0x862D9E', SEED]);
    expect(tree.stdout.match(/^Frame \d+/gm)).toEqual(['Frame 2', 'Frame 4', 'Frame 6', 'Frame 8']);
  });
});

describe('exit codes', () => {
  it('1 when a filter matches no frame (as grep does), with nothing printed', async () => {
    const r = await runCli(['--vsid', '12345', SEED]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });

  it('-q prints nothing and answers with the status', async () => {
    expect(await runCli(['-q', '--vsid', '4020644', SEED])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runCli(['-q', '--vsid', '4020645', SEED])).toEqual({ code: 1, stdout: '', stderr: '' });
  });

  it('2 with the expression and a caret under the error for a malformed -Y', async () => {
    const r = await runCli(['-Y', 'nvgre.vsid == == 3', SEED]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "nvgre-dissect: invalid filter: expected a value after '==', found '=='\n" +
        '  nvgre.vsid == == 3\n' +
        '                ^\n',
    );
  });

  it('a generated -Y of 3,000 || terms works; 50,000 unclosed ( is exit 2 with a caret, no stack trace', async () => {
    const terms = Array.from({ length: 3000 }, (_, i) => `nvgre.vsid == ${i === 2999 ? 8793502 : 5000 + i}`).join(' || ');
    const many = await runCli(['-s', '-Y', terms, SEED]);
    expect({ code: many.code, stderr: many.stderr, lines: many.stdout.split('\n').length - 1 }).toEqual({ code: 0, stderr: '', lines: 4 });
    const open = await runCli(['-Y', '('.repeat(50000), SEED]);
    expect(open.code).toBe(2);
    expect(open.stderr).toBe(
      `nvgre-dissect: invalid filter: expected a field name, found the end\n  ...${'('.repeat(36)}\n  ${' '.repeat(39)}^\n`,
    );
  });

  it('2 for a -Y number too big for its field', async () => {
    const r = await runCli(['-Y', 'ip.ttl == 300', SEED]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "nvgre-dissect: invalid filter: '300' is too big for ip.ttl, maximum 255\n  ip.ttl == 300\n            ^\n" });
  });

  it('2 for option values out of range and for conflicting modes', async () => {
    for (const args of [['--vsid', '0x1000000'], ['--vsid', 'blue'], ['--flow-id', '256'], ['--pa', '10.0.0.300'], ['-c', '0'], ['-s', '--json']]) {
      const r = await runCli([...args, SEED]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^nvgre-dissect: /);
    }
  });

  describe('--strict', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nvgre-strict-'));
    const seed = readFileSync(`${ROOT}${SEED}`);
    // Frame 1 starts at byte 24 + 16; its GRE key sits 38 bytes into the frame.
    const key = 24 + 16 + 38;

    it('exits 0 on the clean seed capture', async () => {
      expect((await runCli(['--strict', '-q', SEED])).code).toBe(0);
    });

    it('exits 1 when a shown frame has a warn-level warning (reserved VSID 0)', async () => {
      const bytes = Buffer.from(seed);
      bytes.fill(0, key, key + 3);
      const path = join(tmp, 'vsid0.pcap');
      writeFileSync(path, bytes);
      const r = await runCli(['--strict', '-s', path]);
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')[0]).toMatch(/vsid=0 \(0x000000\) .* !nvgre\.vsid_reserved$/);
      // The same capture without frame 1 on display is clean.
      expect((await runCli(['--strict', '-q', '--vsid', '8793502', path])).code).toBe(0);
    });

    it('exits 0 when the only warnings are notes (outer IPv4 checksum left 0 for offload)', async () => {
      const bytes = Buffer.from(seed);
      bytes.fill(0, 24 + 16 + 24, 24 + 16 + 26); // outer IPv4 header checksum
      const path = join(tmp, 'csum0.pcap');
      writeFileSync(path, bytes);
      const r = await runCli(['--strict', '-s', '-c', '1', path]);
      expect(r.stdout).toContain('!ip.checksum_zero');
      expect(r.code).toBe(0);
    });
  });
});

describe('--stats', () => {
  it('shows both VSIDs with 4 frames each, no escape codes in a pipe', async () => {
    const r = await runCli(['--stats', SEED]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toMatch(/│ 4020644 │ 0x3D59A4 │ 4 +│ 464 /);
    expect(r.stdout).toMatch(/│ 8793502 │ 0x862D9E │ 4 +│ 464 /);
  });

  it('--stats --json is one object, and filters narrow it', async () => {
    const r = await runCli(['--stats', '--json', '--vsid', '0x862D9E', SEED]);
    const stats = JSON.parse(r.stdout);
    expect(stats.vsids.map((v: { vsid: number; frames: number }) => [v.vsid, v.frames])).toEqual([[8793502, 4]]);
    expect(stats.totals).toEqual({ frames_read: 8, frames_shown: 4, nvgre_frames: 4, other_frames: 0, warnings: 0, vxlan_frames: 0, notes: 0 });
  });
});
