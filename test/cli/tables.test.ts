// --stats and --lookup tables (issue 13, point 7): fitted to a terminal's width, compact rows,
// headers that say what they hold, VXLAN counted. A terminal is an in-process stdout with
// isTTY and columns set, as Node sets them on a tty.
import { readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type Options, run } from '../../src/cli/run.js';
import { CAPTURES, HAVE_CAPTURES, ROOT, runCli } from './spawn.js';

const ZEEK_2015 = `${CAPTURES}/nvgre-shaped_zeek_erspan-trace_real-2015_teb-key_outer-frags.pcap`;
const VXLAN = `${CAPTURES}/neighbour_vxlan_tcpdump_vxlan.pcap`;

/** Runs --stats or --lookup with stdout a terminal `columns` wide. */
async function onTerminal(columns: number, view: 'stats' | 'lookup', file: string): Promise<string> {
  let text = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, cb): void {
        text += chunk.toString('utf8');
        cb();
      },
    }),
    { isTTY: true, columns },
  );
  const opts = {
    captures: [file.startsWith("/") ? file : `${ROOT}${file}`],
    color: 0,
    mode: 'tree',
    stats: view === 'stats',
    lookup: view === 'lookup',
    hex: false,
    quiet: false,
    strict: false,
    reassemble: true,
    selection: { vsids: [] },
  } as Options;
  const code = await run(opts, { stdin: Readable.from([]), stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }) });
  expect(code).toBe(0);
  return text;
}

const widest = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));

describe('tables on a terminal fit its width', () => {
  it('--stats at 80 columns: the README example, times, Hex and Notes left out and said so', async () => {
    const text = await onTerminal(80, 'stats', 'fixtures/seed-ping.pcap');
    const expected = [
      '┌─────────┬────────┬───────┬─────────┬──────────────────────┬───────┬──────────┐',
      '│ VSID    │ Frames │ Bytes │ FlowIDs │ PA pairs             │ CA    │ Warnings │',
      '│         │        │       │ seen    │                      │ count │          │',
      '├─────────┼────────┼───────┼─────────┼──────────────────────┼───────┼──────────┤',
      '│ 4020644 │ 4      │ 464   │ 0       │ 172.16.0.2 ->        │ 2     │ 0        │',
      '│         │        │       │         │ 172.16.0.3           │       │          │',
      '│ 8793502 │ 4      │ 464   │ 0       │ 172.16.0.3 ->        │ 2     │ 0        │',
      '│         │        │       │         │ 172.16.0.2           │       │          │',
      '└─────────┴────────┴───────┴─────────┴──────────────────────┴───────┴──────────┘',
      '(left out to fit 80 columns: Hex, First, Last, Notes; --json has them)',
      '┌──────────────────────────┬────────┬─────────┬────────────┬─────────┬─────────┐',
      '│ PA pair                  │ Frames │ Largest │ Fragmented │ Over    │ ICMP    │',
      '│                          │        │ frame   │            │ 1514    │ too big │',
      '├──────────────────────────┼────────┼─────────┼────────────┼─────────┼─────────┤',
      '│ 172.16.0.2 -> 172.16.0.3 │ 4      │ 116     │ 0          │ 0       │ 0       │',
      '│ 172.16.0.3 -> 172.16.0.2 │ 4      │ 116     │ 0          │ 0       │ 0       │',
      '└──────────────────────────┴────────┴─────────┴────────────┴─────────┴─────────┘',
      'frames read: 8, shown: 8 (NVGRE: 8, other: 0), warnings: 0, notes: 0',
      '',
    ].join('\n');
    expect(text).toBe(expected);
    expect(readFileSync(`${ROOT}README.md`, 'utf8')).toContain(`At 80 columns:\n\n\`\`\`\n$ COLUMNS=80 nvgre-dissect --stats fixtures/seed-ping.pcap\n${expected}\`\`\``);
  });

  it('--stats at 120 columns keeps Hex and Notes, one line a row', async () => {
    const text = await onTerminal(120, 'stats', 'fixtures/seed-ping.pcap');
    expect(widest(text)).toBeLessThanOrEqual(120);
    expect(text).toContain('│ 4020644 │ 0x3D59A4 │ 4      │ 464   │ 0            │ 172.16.0.2 -> 172.16.0.3 │ 2        │ 0        │ 0     │\n');
    expect(text).toContain('(left out to fit 120 columns: First, Last; --json has them)\n');
  });

  it.skipIf(!HAVE_CAPTURES)('--lookup at 80 columns on the 2015 Zeek trace: every table line fits, the Source legend goes with its column', async () => {
    const text = await onTerminal(80, 'lookup', ZEEK_2015);
    const table = text.slice(0, text.indexOf('\n4 lookup records'));
    expect(widest(table)).toBeLessThanOrEqual(80);
    expect(table).toContain('(left out to fit 80 columns: First seen, Last seen, Source; --json has them)');
    expect(text).not.toContain('Source: dst-side');
    expect(table.split('\n').slice(0, 3)).toEqual([
      '┌───────────────┬──────────────────┬───────────────────┬──────────────┬────────┐',
      '│ Customer      │ VirtualSubnetID  │ MACAddress        │ Provider     │ Frames │',
      '│ Address       │                  │                   │ Address      │        │',
    ]);
  });

  it('--lookup at 160 columns is the full table, as in a pipe', async () => {
    const text = await onTerminal(160, 'lookup', 'fixtures/seed-ping.pcap');
    expect(text).toBe((await runCli(['--lookup', 'fixtures/seed-ping.pcap'])).stdout);
  });
});

describe('tables in a pipe', () => {
  it('keep their full width, one line a row, no rule between rows (64 VSIDs would be 68 lines, not 132)', async () => {
    const r = await runCli(['--stats', 'fixtures/seed-ping.pcap']);
    const lines = r.stdout.split('\n');
    // Per table top, head, rule under it, 2 rows, bottom (VSIDs, then PA pairs); totals, and the final newline.
    expect(lines.length).toBe(14);
    expect(lines[1]).toBe(
      '│ VSID    │ Hex      │ Frames │ Bytes │ FlowIDs seen │ PA pairs                 │ CA count │ First                       │ Last                        │ Warnings │ Notes │',
    );
    expect(lines.filter((l) => l.startsWith('├'))).toHaveLength(2);
  });
});

describe('what the columns count', () => {
  it('Warnings (warn, error) and Notes apart: rfc7637-violations breaks one rule a frame, 6 warnings and 2 notes', async () => {
    // c, s, version, VSID 0, VSID 4095, inner VLAN: warn; VSID 0xFFFFFF, TEB without a key: note.
    const r = await runCli(['--stats', 'fixtures/rfc7637-violations.pcap']);
    expect(r.stdout).toContain(' 0x3D59A4 │ 4      │ 476   │ 0            │ 172.16.0.2 -> 172.16.0.3 │ 2        │');
    expect(r.stdout).toMatch(/│ 16777215 │ 0xFFFFFF │ .* │ 0 {8}│ 1 {5}│\n/);
    expect(r.stdout.endsWith('frames read: 9, shown: 9 (NVGRE: 8, other: 1), warnings: 6, notes: 2\n')).toBe(true);
    const json = JSON.parse((await runCli(['--stats', '--json', 'fixtures/rfc7637-violations.pcap'])).stdout);
    // warnings keeps counting notes too, as before notes was added.
    expect(json.totals).toMatchObject({ warnings: 8, notes: 2 });
  });

  it.skipIf(!HAVE_CAPTURES)('VXLAN gets rows by VNI: the tcpdump VXLAN capture is VNI 100, 10 frames (tshark: 2 x 92 + 8 x 148 bytes)', async () => {
    const r = await runCli(['--stats', VXLAN]);
    expect(r.stdout).toContain('│ VXLAN VNI │ Hex      │ Frames │ Bytes │ PA pairs ');
    expect(r.stdout).toMatch(/│ 100 {7}│ 0x000064 │ 10 {5}│ 1368 {2}│ 192\.168\.203\.1 -> 192\.168\.202\.1 │/);
    // Each frame's outer UDP checksum is 0 (RFC 7348 allows it): the note udp.checksum_zero.
    expect(r.stdout.endsWith('frames read: 10, shown: 10 (NVGRE: 0, VXLAN: 10, other: 0), warnings: 0, notes: 10\n')).toBe(true);
    const json = JSON.parse((await runCli(['--stats', '--json', VXLAN])).stdout);
    expect(json.vsids).toEqual([]);
    expect(json.vnis.map((v: { vni: number; frames: number; bytes: number }) => [v.vni, v.frames, v.bytes])).toEqual([[100, 10, 1368]]);
    expect(json.totals).toMatchObject({ nvgre_frames: 0, other_frames: 10, vxlan_frames: 10 });
  });
});
