import { addRows } from './cmdlets.js';
import { readCsv } from './csv.js';
import { PolicyError } from './errors.js';
import { readJson } from './json.js';
import { isListLine, readList } from './list.js';
import type { Policy } from './model.js';
import type { Row } from './row.js';
import { isTableStart, readTable } from './table.js';
import { exportText } from './text.js';

export { PolicyError } from './errors.js';

/** The shapes a PowerShell export comes in, as recognised from its first lines. */
export type PolicyShape = 'list' | 'csv' | 'json' | 'table';

/** An empty policy, to add files to. */
export const emptyPolicy = (): Policy => ({ lookup: [], routes: [], providers: [] });

/**
 * Reads one export's bytes (`file` is the name errors give) into `policy`, whatever its encoding,
 * shape and cmdlet; returns the shape it was. Throws a PolicyError at the first line that cannot
 * be read, and for a file that holds no record at all; `policy` is then as it was.
 */
export function addPolicy(policy: Policy, bytes: Uint8Array, file: string): PolicyShape {
  const text = exportText(bytes, file);
  const { shape, rows } = readRows(text, file);
  if (rows.length === 0) throw new PolicyError(file, 1, 'no policy records in this file (an empty export?)');
  // All of the file or none of it: a caller that goes on after an error keeps the policy it had.
  const read = emptyPolicy();
  addRows(read, rows, file);
  policy.lookup.push(...read.lookup);
  policy.routes.push(...read.routes);
  policy.providers.push(...read.providers);
  return shape;
}

/** One export's bytes as a policy of its own. */
export function parsePolicy(bytes: Uint8Array, file: string): Policy {
  const policy = emptyPolicy();
  addPolicy(policy, bytes, file);
  return policy;
}

function readRows(text: string, file: string): { shape: PolicyShape; rows: Row[] } {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new PolicyError(file, 1, 'an empty file: no policy records');
  const head = lines[first].trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return { shape: 'json', rows: readJson(text, file) };
  if (head.startsWith('#TYPE') || head.startsWith('"')) return { shape: 'csv', rows: readCsv(text, file) };
  let next = first + 1;
  while (next < lines.length && lines[next].trim() === '') next++;
  if (isTableStart(lines[first], lines[next])) return { shape: 'table', rows: readTable(lines, first, next, file) };
  if (isListLine(lines[first])) return { shape: 'list', rows: readList(lines, file) };
  // ConvertTo-Csv -UseQuotes Never (PowerShell 7): a bare header of property names.
  if (/^[A-Za-z]\w*(,[A-Za-z]\w*)+$/.test(lines[first].trim())) return { shape: 'csv', rows: readCsv(text, file) };
  throw new PolicyError(
    file,
    first + 1,
    'not a PowerShell export this reads: expected Format-List (Name : value lines), Export-Csv, ConvertTo-Json or a table view such as Get-PACAMapping',
  );
}
