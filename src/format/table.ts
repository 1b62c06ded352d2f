import { createRequire } from 'node:module';
import type Table from 'cli-table3';
import type { Palette } from './palette.js';

const require = createRequire(import.meta.url);

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
        while (cur.trimEnd().length > width) {
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
  const body = (i: number, measure: (t: string) => number): number => Math.max(0, ...cells.map((row) => measure(row[i])));
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

/**
 * A table as text, rows one line each when they fit (no rule between rows: a row's first cell
 * says where it starts), fitted to `width` columns when given (a terminal), at its natural width
 * when not (a pipe, as tshark and `ls -l` print the same lines whatever reads them). Also says
 * which columns were left out to fit. cli-table3 draws it; its styles are emptied (it would
 * colour head and borders even in a pipe) and it is loaded on first use: only --stats and
 * --lookup print tables, and loading it at startup cost every other run 10 ms.
 */
export function renderTable(columns: Column[], rows: string[][], c: Palette, width?: number): { text: string; hidden: string[] } {
  const fit = width === undefined ? { shown: columns.map((_, i) => i), widths: undefined } : layout(columns, rows, width);
  const cell = (text: string, i: number, paint?: (s: string) => string): string => {
    const wrapped = fit.widths === undefined ? text : wrapText(text, fit.widths[i]);
    return paint === undefined ? wrapped : wrapped.split('\n').map(paint).join('\n');
  };
  const TableClass = require('cli-table3') as typeof Table;
  const table = new TableClass({
    head: fit.shown.map((col, i) => cell(columns[col].head, i, c.frame)),
    style: { head: [], border: [], compact: true },
    ...(fit.widths !== undefined && { colWidths: fit.widths.map((w) => w + 2) }),
  });
  for (const row of rows) table.push(fit.shown.map((col, i) => cell(row[col], i, columns[col].paint)));
  const hidden = columns.filter((_, i) => !fit.shown.includes(i)).map((col) => col.head);
  const note = hidden.length === 0 ? '' : `\n(left out to fit ${width} columns: ${hidden.join(', ')}; --json has them)`;
  return { text: table.toString() + note, hidden };
}
