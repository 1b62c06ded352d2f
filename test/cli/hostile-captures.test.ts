// Capture files a hostile-input pass made (issue 13, point 10), through the CLI: times no clock can
// show, times past year 9999, comments of 16 MiB in a small heap, and what each must print instead
// of a stack trace or raw text.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filetime, netmonBytes } from '../../fixtures/lib/netmon.js';
import { PcapngWriter } from '../../fixtures/lib/pcapng.js';
import { MODES } from './broken-files.js';
import { BIN, ROOT, runCli } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'nvgre-hostile-'));
const write = (name: string, bytes: Uint8Array): string => {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
};

describe('frame times', () => {
  // The file: seed-ping-nm20.cap with its first record's 64-bit delta set to 2^63 - 1 µs.
  const nm20 = new Uint8Array(readFileSync(`${ROOT}fixtures/seed-ping-nm20.cap`));
  new DataView(nm20.buffer).setBigUint64(128, (1n << 63n) - 1n, true);
  const huge = write('huge-delta.cap', nm20);

  for (const [mode, args] of MODES) {
    it(`a Network Monitor 2.0 delta of 2^63 - 1 µs: one line at the record, exit 2, no half line (${mode})`, async () => {
      const r = await runCli([...args, huge]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `nvgre-dissect: ${huge}: at byte 128: record 1 has a timestamp of 9224746257654 s from 1970, outside the years -271821 to 275760 that a clock can show\n`,
      );
    });
  }

  // 253402300800 s is 10000-01-01T00:00:00Z; 8.64e12 s is the last second a clock can show.
  const years = new PcapngWriter().section('le').interface({ linktype: 147, snaplen: 0, tsresol: 0 });
  for (const sec of [253_402_300_799n, 253_402_300_800n, 8_640_000_000_000n]) years.enhancedPacket({ iface: 0, ts: sec, data: new Uint8Array(4) });
  years.interface({ linktype: 147, snaplen: 0, tsresol: 0, tsoffset: -8_640_000_000_000 }).enhancedPacket({ iface: 1, ts: 0n, data: new Uint8Array(4) });
  const far = write('far-years.pcapng', years.finish());
  const TIMES = ['9999-12-31T23:59:59.000000Z', '+010000-01-01T00:00:00.000000Z', '+275760-09-13T00:00:00.000000Z', '-271821-04-20T00:00:00.000000Z'];

  it('years past 9999 and before 0 keep their seconds, in ISO 8601 expanded form, in tree, summary and JSON', async () => {
    const [tree, summary, json] = await Promise.all(MODES.map(([, args]) => runCli([...args, far])));
    for (const r of [tree, summary, json]) expect([r.code, r.stderr]).toEqual([0, '']);
    expect(tree.stdout.match(/^Frame \d+: \S+,/gm)).toEqual(TIMES.map((t, i) => `Frame ${i + 1}: ${t},`));
    expect(summary.stdout.trimEnd().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(TIMES.map((t, i) => `${i + 1} ${t}`));
    expect(json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).frame.time)).toEqual(TIMES);
  });
});

/** The CLI with a V8 heap of `heapMb` (as test/cli/memory.test.ts runs it): exit code and stdout. */
function runInHeap(heapMb: number, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('16 MiB of comments in one frame fit a 16 MB heap: cut to 65536 characters, with a note', () => {
  // One enhanced packet block (4 data bytes) with 255 comment options of 65532 bytes: 16711720 bytes,
  // built by hand (the fixture writer is slow at this size). Before, its text was decoded, escaped
  // and printed whole: 160 MB in the tree.
  const OPTIONS = 255;
  const SIZE = 65_532;
  const head = new PcapngWriter().section('le').interface({ linktype: 147, snaplen: 0 }).finish();
  const len = 32 + 4 + OPTIONS * (4 + SIZE) + 4;
  const block = new Uint8Array(len).fill(0x63); // 'c'
  const dv = new DataView(block.buffer);
  [6, len, 0, 0, 0, 4, 4].forEach((v, i) => dv.setUint32(4 * i, v, true));
  for (let i = 0, at = 32; i < OPTIONS; i++, at += 4 + SIZE) dv.setUint32(at, 1 | (SIZE << 16), true);
  dv.setUint32(len - 8, 0, true); // opt_endofopt
  dv.setUint32(len - 4, len, true);
  const pcapng = write('comments-16m.pcapng', Buffer.concat([head, block]));
  const note = ` [comment cut to its first 65536 characters: it has ${OPTIONS * SIZE} bytes]`;

  for (const [mode, args] of [['tree', []], ['hex', ['-x']], ['json', ['--json']]] as const) {
    it(`pcapng (${mode})`, async () => {
      const r = await runInHeap(16, [...args, pcapng]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const comment = mode === 'json' ? JSON.parse(r.stdout).frame.comment : /Comment: (.*)/.exec(r.stdout)?.[1];
      // 65532 c, the newline joining them (escaped as \\x0a outside JSON), 3 c.
      expect(comment).toBe(`${'c'.repeat(SIZE)}${mode === 'json' ? '\n' : '\\x0a'}ccc${note}`);
    });
  }

  it('Network Monitor: a 16 MiB description (tree)', async () => {
    const description = 'd'.repeat(16 * 1024 * 1024 - 256);
    const records = [{ delta: 0, data: new Uint8Array(60), filetime: filetime(1_374_220_800, 0), comment: { title: 'T', description } }];
    const cap = write('comment-16m.cap', netmonBytes({ major: 2, minor: 3, network: 1, start: { year: 2013, month: 7, day: 19, hour: 8, minute: 0, second: 0, ms: 0 }, records }));
    const r = await runInHeap(16, [cap]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(/Comment: (.*)/.exec(r.stdout)?.[1]).toBe(`T: ${'d'.repeat(65_533)} [comment cut to its first 65536 characters: it has ${description.length + 4} bytes]`);
  });
});

describe('Unicode format characters in comments are escaped, as C0 and C1 are', () => {
  // Bidi override, isolates, Arabic letter mark, zero-width space/joiners/marks, BOM, word joiner,
  // soft hyphen, line and paragraph separators, a tag character (Cf beyond the BMP).
  const comment = 'invoice \u202egpj.exe \u2066\u2067\u2068\u2069 \u061c \u200b\u200c\u200d\u200e\u200f \ufeff \u2060 \u00ad \u2028\u2029 \u{e0001} é';
  const shown = 'invoice \\u202egpj.exe \\u2066\\u2067\\u2068\\u2069 \\u061c \\u200b\\u200c\\u200d\\u200e\\u200f \\ufeff \\u2060 \\xad \\u2028\\u2029 \\u{e0001} é';
  /** Anything but a newline that a terminal could obey or that reorders or hides text. */
  const RAW = /[^\P{Cc}\n]|[\p{Cf}\p{Zl}\p{Zp}]/u;
  const pcapng = write(
    'bidi.pcapng',
    new PcapngWriter()
      .section('le')
      .interface({ linktype: 147, snaplen: 0 })
      .enhancedPacket({ iface: 0, ts: 0n, data: new Uint8Array(4), options: [{ code: 1, value: new TextEncoder().encode(comment) }] })
      .finish(),
  );
  const start = { year: 2013, month: 7, day: 19, hour: 8, minute: 0, second: 0, ms: 0 };
  const records = [{ delta: 0, data: new Uint8Array(60), filetime: filetime(1_374_220_800, 0), comment: { title: 'invoice \u202egpj.exe', description: '' } }];
  const cap = write('bidi.cap', netmonBytes({ major: 2, minor: 3, network: 1, start, records }));

  for (const [mode, args] of [['tree', []], ['hex', ['-x']]] as const) {
    it(`${mode}: pcapng and Network Monitor`, async () => {
      const [a, b] = await Promise.all([runCli([...args, pcapng]), runCli([...args, cap])]);
      expect(a.stdout).toContain(`\n  Comment: ${shown}\n`);
      expect(b.stdout).toContain('\n  Comment: invoice \\u202egpj.exe\n');
      for (const r of [a, b]) {
        expect([r.code, r.stderr]).toEqual([0, '']);
        expect(r.stdout).not.toMatch(RAW);
      }
    });
  }

  it('json: \\uHHHH escapes (a surrogate pair beyond the BMP), valid JSON that parses to the comment', async () => {
    const r = await runCli(['--json', pcapng]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain(`"comment":"${shown.replace('\\xad', '\\u00ad').replace('\\u{e0001}', '\\udb40\\udc01')}"`);
    expect(JSON.parse(r.stdout).frame.comment).toBe(comment);
  });
});
