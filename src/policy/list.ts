import { PolicyError } from './errors.js';
import type { Cell, Row } from './row.js';

/**
 * The list view (Format-List, the NetWNV cmdlets' default): one `Name : value` line per property,
 * names padded to one width, objects separated by blank lines. A value longer than the line
 * width goes on over indented continuation lines (Out-File wraps at the host's width, 80 columns
 * when there is none), which are joined back. Example: Microsoft Learn, "Get-NetVirtualizationLookupRecord"
 * (windowsserver2012r2-ps) lists the properties; the layout is Format-List's
 * (about_Format.ps1xml, "List view").
 */
const PROPERTY = /^([A-Za-z_][\w.]*) *: ?/;

/** Whether a line looks like the first line of a list view: what the format is recognised by. */
export const isListLine = (line: string): boolean => PROPERTY.test(line);

export function readList(lines: readonly string[], file: string): Row[] {
  const rows: Row[] = [];
  let row: Row | null = null;
  let last: Cell | null = null;
  let column = 0;
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === '') {
      row = null;
      last = null;
      return;
    }
    if (/^\s/.test(text)) {
      if (last === null || typeof last.value !== 'string') throw new PolicyError(file, line, 'an indented line that continues no property');
      // The value goes on from the value column, its own spaces kept: the line was cut, not the value.
      const indent = text.length - text.trimStart().length;
      last.value += text.slice(Math.min(indent, column));
      return;
    }
    const m = PROPERTY.exec(text);
    if (m === null) throw new PolicyError(file, line, `not a 'Name : value' line of a Format-List block: ${JSON.stringify(text.slice(0, 60))}`);
    if (row === null) {
      row = { line, cells: new Map() };
      rows.push(row);
    }
    const name = m[1].toLowerCase();
    if (row.cells.has(name)) throw new PolicyError(file, line, `${m[1]} given twice in one block (is a blank line missing between two records?)`);
    column = m[0].length;
    last = { value: text.slice(column), line };
    row.cells.set(name, last);
  });
  return rows;
}
