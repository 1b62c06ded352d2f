import { PolicyError } from './errors.js';
import type { Row } from './row.js';

/**
 * A table view (Format-Table), as Get-PACAMapping prints its mappings: a header of column names,
 * a line of dashes under each name, then one row per object, each column starting where its
 * dashes start (numbers are right-aligned and end where the dashes end). Example: Microsoft Learn,
 * "Get-PACAMapping" (powershell/module/hnvdiagnostics, Example 1):
 *
 *     CA IP Address CA MAC Address    Virtual Subnet ID PA IP Address
 *     ------------- --------------    ----------------- -------------
 *     24.30.1.101   00-15-5D-3A-55-01              4098 10.10.182.69
 *
 * For VXLAN the Virtual Subnet ID column holds the VNI. A value too wide for its column would be
 * cut with `...` by Format-Table, and is then refused by the value's own check.
 */
const DASHES = /^ *-+( +-+)* *$/;

/** Whether lines `header` and `rule` (the next non-blank one) open a table view. */
export const isTableStart = (header: string, rule: string | undefined): boolean => rule !== undefined && DASHES.test(rule) && header.trim() !== '';

/** Reads the table whose header is at index `head` and its dashes at `rule`. */
export function readTable(lines: readonly string[], head: number, rule: number, file: string): Row[] {
  const starts = [...lines[rule].matchAll(/-+/g)].map((m) => m.index);
  const slice = (text: string, i: number): string => text.slice(starts[i], starts[i + 1]).trim();
  const names = starts.map((_, i) => slice(lines[head], i).toLowerCase());
  const rows: Row[] = [];
  for (let i = rule + 1; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === '') continue;
    const line = i + 1;
    // A character just before a column's start means a value ran into the next column: not this table's layout.
    const spill = starts.findIndex((s, c) => c > 0 && text.length > s && text[s - 1] !== ' ');
    if (spill >= 0) throw new PolicyError(file, line, `not a row of the table: the ${JSON.stringify(names[spill - 1])} column runs into the next one`);
    rows.push({ line, cells: new Map(names.map((name, c) => [name, { value: slice(text, c), line }])) });
  }
  return rows;
}
