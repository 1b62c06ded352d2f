// Issue 13: a filter error is two short lines a terminal shows as they are, whatever the expression.
import { describe, expect, it } from 'vitest';
import { caretLines } from '../../src/cli/caret.js';
import { runCli } from './spawn.js';

describe('the caret under a filter error', () => {
  it('stays under its character when the expression holds a tab', () => {
    expect(caretLines('ip.ttl\t== x', 10)).toBe('  ip.ttl == x\n            ^\n');
  });
  it('shows a window round the caret of a long expression, not all of it', () => {
    const text = `${'nvgre.vsid == 1 || '.repeat(3000)}==`;
    const [shown, caret] = caretLines(text, text.length - 2).split('\n');
    expect(shown.length).toBeLessThan(90);
    expect(shown).toMatch(/^ {2}\.\.\..*\|\| ==$/);
    expect(caret.indexOf('^')).toBe(shown.length - 2);
  });
  it('cuts both sides in the middle of a long expression', () => {
    const text = 'a'.repeat(100) + 'X' + 'b'.repeat(100);
    const [shown, caret] = caretLines(text, 100).split('\n');
    expect(shown).toBe(`  ...${'a'.repeat(36)}X${'b'.repeat(35)}...`);
    expect(shown[caret.indexOf('^')]).toBe('X');
  });
  it('50,000 unclosed parentheses: three short lines on stderr, exit 2', async () => {
    const r = await runCli(['-Y', '('.repeat(50_000), 'fixtures/seed-ping.pcap']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('nvgre-dissect: invalid filter: expected a field name, found the end');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(90);
  });
  it('an escape character in the expression reaches the terminal escaped', async () => {
    const r = await runCli(['-Y', 'ip.ttl == \x1b[2J', 'fixtures/seed-ping.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).toBe("nvgre-dissect: invalid filter: unexpected character '\\x1b'\n  ip.ttl == ?[2J\n            ^\n");
  });
  it('fields of kinds that cannot be compared: the one-line error tshark gives, the caret under the second, exit 2', async () => {
    const r = await runCli(['-Y', 'ip.src == eth.src', 'fixtures/tenant-mix.pcap']);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nvgre-dissect: invalid filter: ip.src and eth.src are not of compatible types\n  ip.src == eth.src\n            ^\n',
    });
  });
});
