// Tables fitted to a width (issue 13, point 7). Expected layouts are worked out by hand from the
// rule in src/format/table.ts: natural widths if they fit, then headers wrapped, then drop groups
// left out, then wrapping cells wrapped.
import { describe, expect, it } from 'vitest';
import { makePalette } from '../../src/format/palette.js';
import { type Column, renderTable, wrapText } from '../../src/format/table.js';

const plain = makePalette(0);

describe('wrapText', () => {
  it('breaks after spaces, commas and +, before a capitalised word, and keeps an address pair arrow on the first line', () => {
    expect(wrapText('172.16.0.2 -> 172.16.0.3', 13)).toBe('172.16.0.2 ->\n172.16.0.3');
    expect(wrapText('0, 1, 2, 3, 4', 6)).toBe('0, 1,\n2, 3,\n4');
    expect(wrapText('arp+dst-side', 8)).toBe('arp+\ndst-side');
    expect(wrapText('CustomerAddress', 10)).toBe('Customer\nAddress');
    expect(wrapText('FlowIDs seen', 8)).toBe('FlowIDs\nseen');
    expect(wrapText('4020644 (0x3D59A4)', 12)).toBe('4020644\n(0x3D59A4)');
  });

  it('keeps text that fits, and cuts a piece longer than the width', () => {
    expect(wrapText('10.2.0.2', 8)).toBe('10.2.0.2');
    expect(wrapText('fd00:16::2', 4)).toBe('fd00\n:16:\n:2');
  });
});

const columns = (): Column[] => [{ head: 'Key' }, { head: 'List of things', wrap: true }, { head: 'Extra', drop: 1 }];

describe('renderTable', () => {
  const rows = [
    ['a', 'one, two, three', 'x'],
    ['b', 'four', 'y'],
  ];

  it('no width (a pipe): natural widths, one line a row, no rule between rows', () => {
    const { text, hidden } = renderTable(columns(), rows, plain);
    expect(text).toBe(
      [
        '┌─────┬─────────────────┬───────┐',
        '│ Key │ List of things  │ Extra │',
        '├─────┼─────────────────┼───────┤',
        '│ a   │ one, two, three │ x     │',
        '│ b   │ four            │ y     │',
        '└─────┴─────────────────┴───────┘',
      ].join('\n'),
    );
    expect(hidden).toEqual([]);
  });

  it('a width the natural layout fits is the natural layout', () => {
    expect(renderTable(columns(), rows, plain, 33).text).toBe(renderTable(columns(), rows, plain).text);
  });

  it('narrower: the drop group goes before any cell wraps, and a line says so', () => {
    // Without Extra: 1 + (3+3) + (15+3) = 25 fits 26.
    const { text, hidden } = renderTable(columns(), rows, plain, 26);
    expect(hidden).toEqual(['Extra']);
    expect(text).toBe(
      [
        '┌─────┬─────────────────┐',
        '│ Key │ List of things  │',
        '├─────┼─────────────────┤',
        '│ a   │ one, two, three │',
        '│ b   │ four            │',
        '└─────┴─────────────────┘',
        '(left out to fit 26 columns: Extra; --json has them)',
      ].join('\n'),
    );
  });

  it('narrower still: the wrapping column wraps, its rows take more lines', () => {
    // 1 + (3+3) + (w+3) <= 20: w = 10, "one, two," fits, "three" goes on.
    const { text } = renderTable(columns(), rows, plain, 20);
    expect(text.split('\n').slice(0, 7)).toEqual([
      '┌─────┬────────────┐',
      '│ Key │ List of    │',
      '│     │ things     │',
      '├─────┼────────────┤',
      '│ a   │ one, two,  │',
      '│     │ three      │',
      '│ b   │ four       │',
    ]);
    expect(Math.max(...text.split('\n').slice(0, -1).map((l) => l.length))).toBeLessThanOrEqual(20);
  });
});

describe('many rows', () => {
  it('130,000 rows (one per VSID) draw in linear time: cli-table3 took 65 s for 50,000 and overflowed the stack past 120,000', () => {
    const rows = Array.from({ length: 130000 }, (_, i) => [String(i), 'a, b', 'x']);
    const started = Date.now();
    const { text } = renderTable(columns(), rows, plain, 80);
    expect(Date.now() - started).toBeLessThan(20000);
    expect(text.split('\n')).toHaveLength(130000 + 4);
  });
});
