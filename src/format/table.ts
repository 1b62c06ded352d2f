import { createRequire } from 'node:module';
import type Table from 'cli-table3';
import type { Palette } from './palette.js';

const require = createRequire(import.meta.url);

/**
 * A cli-table3 table whose head is coloured by the palette and nothing else: cli-table3 colours
 * head and borders, even in a pipe, unless its styles are emptied. Loaded on first use: only
 * --stats and --lookup print tables, and loading it at startup cost every other run 10 ms.
 */
export function paletteTable(head: string[], c: Palette): Table.Table {
  const TableClass = require('cli-table3') as typeof Table;
  return new TableClass({ head: head.map((h) => c.frame(h)), style: { head: [], border: [] } });
}
