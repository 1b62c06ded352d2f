/**
 * What every shape reader (list, csv, json, table) gives: the objects of an export as property
 * bags, each value with the line it was read on, so that a value that cannot be used is reported
 * at its own line.
 */

/** One property's value as the shape wrote it: text, or a JSON number, boolean or null. */
export interface Cell {
  value: string | number | boolean | null;
  /** A JSON object or array where a plain value was expected (ConvertTo-Json's nested CIM data). */
  nested?: true;
  line: number;
}

/** One object of an export: its properties by lower-cased name (PowerShell's names ignore case). */
export interface Row {
  line: number;
  cells: Map<string, Cell>;
}
