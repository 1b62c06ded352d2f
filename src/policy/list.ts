import { PolicyError } from './errors.js';
import type { Cell, Row } from './row.js';

/**
 * The list view (Format-List, the NetWNV cmdlets' default): one `Name : value` line per property,
 * names padded to one width, objects separated by blank lines. A value longer than the line goes
 * on over continuation lines indented to the value's column (PowerShell's ListWriter), cut after a
 * space in English and the other word-wrapping cultures (the space stays at the end of the line),
 * anywhere in others: the pieces are joined as they are, so both give the value back. A value's
 * own line breaks are continuation lines too, and come back joined. The properties are those of
 * Microsoft Learn's "Get-NetVirtualizationLookupRecord" (NetWNV, windowsserver2012r2-ps).
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
