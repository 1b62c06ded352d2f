import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

/** Control characters a terminal acts on: C0 but newline, DEL, and C1 (as UTF-8 code points). */
function controls(text: string, colour: boolean): string[] {
  const stripped = colour ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
  return [...stripped.matchAll(/[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]/g)].map((m) => JSON.stringify(m[0]));
}

describe('bytes from a capture never reach the terminal as control characters', () => {
  // fixtures/hostile-payload.pcap carries ESC ] 0 ; x BEL (retitle), ESC [ 2 J (clear), C1 CSI and DEL.
  for (const [mode, args] of [
    ['tree', []],
    ['tree, colour on', ['--color']],
    ['summary', ['-s']],
    ['json', ['--json']],
    ['stats', ['--stats']],
    ['hex', ['-x']],
    ['hex, colour on', ['-x', '--color']],
    ['summary and hex', ['-s', '-x']],
  ] as [string, string[]][]) {
    it(mode, async () => {
      const r = await runCli([...args, 'fixtures/hostile-payload.pcap']);
      expect(r.code).toBe(0);
      expect(controls(r.stdout, args.includes('--color'))).toEqual([]);
    });
  }

  it('the tree preview shows the escape sequences escaped', async () => {
    const r = await runCli(['fixtures/hostile-payload.pcap']);
    expect(r.stdout).toContain('Data: 1b5d303b78071b5b324a9b33316d7f6f "\\x1b]0;x\\x07\\x1b[2J\\x9b31m\\x7fo" ... (1 more byte)\n');
  });

  it('the JSON carries the bytes as hex', async () => {
    const r = await runCli(['--json', '-c', '1', 'fixtures/hostile-payload.pcap']);
    const icmp = JSON.parse(r.stdout).layers.find((l: { proto: string }) => l.proto === 'icmp');
    expect(icmp.fields['data.data']).toBe('1b:5d:30:3b:78:07:1b:5b:32:4a:9b:33:31:6d:7f:6f:6b');
  });
});
