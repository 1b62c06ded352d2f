import { CsvError, parse } from 'csv-parse/sync';
import { PolicyError } from './errors.js';
import type { Row } from './row.js';

/**
 * Export-Csv / ConvertTo-Csv: Windows PowerShell 5.1 writes a first line `#TYPE
 * Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_...` unless
 * -NoTypeInformation is given (PowerShell 7 only with -IncludeTypeInformation), then a header of
 * the property names and one record per object, every field quoted (PowerShell 7's -UseQuotes
 * AsNeeded quotes fewer). Read by csv-parse (RFC 4180: quoted fields, doubled quotes, line breaks
 * inside quotes), which knows where each record ends.
 */
export function readCsv(text: string, file: string): Row[] {
  // The #TYPE line is no record: the header is the line after it.
  const typeLine = /^\s*#TYPE\b/.exec(text);
  const fromLine = typeLine === null ? 1 : text.slice(0, typeLine.index + typeLine[0].length).split('\n').length + 1;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, from_line: fromLine, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines ?? 1;
    throw new PolicyError(file, line, `CSV: ${err.message.replace(/ (at|on) line \d+.*$/, '').toLowerCase()}`);
  }
  if (records.length === 0) return [];
  const header = records[0].record.map((n) => n.toLowerCase());
  return records.slice(1).map(({ record, info }) => {
    // csv-parse counts the line a record ends on; a quoted field may span lines.
    const line = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    return { line, cells: new Map(header.map((name, i) => [name, { value: record[i], line }])) };
  });
}
