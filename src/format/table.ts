import type { Palette } from './palette.js';

export interface Column {
  head: string;
  /** Its cells may wrap onto more lines (lists, address pairs); the others keep their width. */
  wrap?: boolean;
  /** Left out when the table is too wide for the terminal: group 1 first, then 2, ...; never when unset. */
  drop?: number;
  /** Colour for a cell, applied line by line after wrapping. */
  paint?: (text: string) => string;
}

/** A row's border and padding: '│ ' before each cell, ' ' after it, and the last '│'. */
const tableWidth = (widths: number[]): number => widths.reduce((sum, w) => sum + w + 3, 1);

const longestLine = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));

/**
 * Where a line may break: after a space (which goes) but not before '->' (an address pair breaks
 * after its arrow), after ',' or '+', and before a capitalised word inside a name
 * (CustomerAddress: Customer / Address; not inside FlowIDs or SubnetID).
 */
const BREAK = /(?<= )(?!->)|(?<=[,+])|(?<=[a-z])(?=[A-Z][a-z])/;

/** Greedy wrap at the break points; a piece longer than the width is cut. */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      for (const piece of line.split(BREAK)) {
        if (cur !== '' && (cur + piece).trimEnd().length > width) {
          out.push(cur.trimEnd());
          cur = '';
        }
        cur += piece;
        while (cur.trimEnd().length > width && width > 0) {
          out.push(cur.slice(0, width));
          cur = cur.slice(width);
        }
      }
      out.push(cur.trimEnd());
      return out.join('\n');
    })
    .join('\n');
}

/** The longest piece of a text between break points: what a column cannot go below without cutting it. */
const longestWord = (text: string): number => Math.max(...text.split('\n').flatMap((l) => l.split(BREAK)).map((w) => w.trimEnd().length));

/**
 * Which columns to show and how wide (content, without padding), to fit `width`. Headers may
 * wrap at once (CustomerAddress: Customer / Address), which costs the rows nothing; then drop
 * groups are left out one after the other while that keeps every row on one line; only when no
 * number of groups does, cells of wrapping columns wrap at their break points, with as few groups
 * left out as that needs. Past that the table is wider than `width` (the terminal wraps it).
 */
function layout(columns: Column[], cells: string[][], width: number): { shown: number[]; widths: number[] } {
  // reduce, not Math.max(...): a table may have more rows than a call takes arguments.
  const body = (i: number, measure: (t: string) => number): number => cells.reduce((m, row) => Math.max(m, measure(row[i])), 0);
  const natural = columns.map((col, i) => Math.max(longestLine(col.head), body(i, longestLine)));
  const snug = columns.map((col, i) => Math.max(longestWord(col.head), body(i, longestLine)));
  const floor = columns.map((col, i) => (col.wrap ? Math.max(longestWord(col.head), body(i, longestWord)) : snug[i]));
  const groups = [...new Set(columns.map((c) => c.drop).filter((d) => d !== undefined))].sort((a, b) => a - b);
  // levels[k]: the columns shown with the first k groups left out.
  const levels = groups.reduce(
    (acc, g) => [...acc, acc[acc.length - 1].filter((i) => columns[i].drop !== g)],
    [columns.map((_, i) => i)],
  );
  const fitted = (shown: number[], low: number[]): number[] =>
    shrink(
      shrink(
        shown.map((i) => natural[i]),
        shown.map((i) => snug[i]),
        width,
      ),
      shown.map((i) => low[i]),
      width,
    );
  for (const low of [snug, floor]) {
    for (const shown of levels) {
      const widths = fitted(shown, low);
      if (tableWidth(widths) <= width) return { shown, widths };
    }
  }
  const shown = levels[levels.length - 1];
  return { shown, widths: fitted(shown, floor) };
}

/** Narrows the widest columns first, each no further than its floor, until the row fits `width`. */
function shrink(natural: number[], floor: number[], width: number): number[] {
  const widths = [...natural];
  while (tableWidth(widths) > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest]--;
  }
  return widths;
}

/** One row of cells (each may hold several lines) drawn between the column rules. */
function drawRow(cells: string[][], widths: number[], paints: ((s: string) => string)[]): string[] {
  const height = Math.max(...cells.map((lines) => lines.length));
  const out: string[] = [];
  for (let n = 0; n < height; n++) {
    let line = '│';
    for (let i = 0; i < cells.length; i++) {
      const text = cells[i][n] ?? '';
      line += ` ${text === '' ? '' : paints[i](text)}${' '.repeat(widths[i] - text.length)} │`;
    }
    out.push(line);
  }
  return out;
}

const same = (s: string): string => s;

/**
 * A table as text, in box-drawing characters: rows one line each when they fit, no rule between
 * rows (a row's first cell says where it starts), fitted to `width` columns when given (a
 * terminal), at its natural width when not (a pipe, as tshark and `ls -l` print the same lines
 * whatever reads them). Also says which columns were left out to fit. Drawn here, not by
 * cli-table3: that took 65 s for 50,000 rows (quadratic) and overflowed the stack past 120,000,
 * and one VSID a row makes that many rows.
 */
export function renderTable(columns: Column[], rows: string[][], c: Palette, width?: number): { text: string; hidden: string[] } {
  const fit = width === undefined ? { shown: columns.map((_, i) => i), widths: undefined } : layout(columns, rows, width);
  const lines = (text: string, i: number): string[] => (fit.widths === undefined ? text : wrapText(text, fit.widths[i])).split('\n');
  const head = fit.shown.map((col, i) => lines(columns[col].head, i));
  const body = rows.map((row) => fit.shown.map((col, i) => lines(row[col], i)));
  const widths = fit.widths ?? fit.shown.map((_, i) => body.reduce((m, r) => Math.max(m, ...r[i].map((l) => l.length)), Math.max(...head[i].map((l) => l.length))));
  const rule = (left: string, mid: string, right: string): string => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const paints = fit.shown.map((col) => columns[col].paint ?? same);
  const out = [rule('┌', '┬', '┐'), ...drawRow(head, widths, fit.shown.map(() => c.frame)), rule('├', '┼', '┤')];
  for (const row of body) for (const line of drawRow(row, widths, paints)) out.push(line);
  out.push(rule('└', '┴', '┘'));
  const hidden = columns.filter((_, i) => !fit.shown.includes(i)).map((col) => col.head);
  if (hidden.length > 0) out.push(`(left out to fit ${width} columns: ${hidden.join(', ')}; --json has them)`);
  return { text: out.join('\n'), hidden };
}
