import { type Node, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { PolicyError } from './errors.js';
import type { Cell, Row } from './row.js';
import { lineOf, lineStarts } from './text.js';

/**
 * ConvertTo-Json: one object for one record, an array for several. Windows PowerShell 5.1 writes
 * CIM enumerations as their numbers (`"Rule": 36`) and adds the CIM bookkeeping (`CimClass`,
 * `CimInstanceProperties`, `CimSystemProperties`, `PSComputerName`), nested objects that are
 * passed over here; booleans are JSON booleans. Parsed by jsonc-parser (strict JSON: no comments,
 * no trailing commas), whose tree keeps each value's offset, so every record and value has its line.
 */
export function readJson(text: string, file: string): Row[] {
  const starts = lineStarts(text);
  const at = (offset: number): number => lineOf(starts, offset);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || root === undefined) {
    const e = errors[0];
    const offset = e?.offset ?? 0;
    const what = e === undefined ? 'no JSON value' : offset >= text.trimEnd().length ? 'the JSON ends too early (a cut-off file?)' : `JSON: ${words(printParseErrorCode(e.error))}`;
    throw new PolicyError(file, at(Math.min(offset, text.trimEnd().length)), what);
  }
  const objects = root.type === 'array' ? (root.children ?? []) : [root];
  return objects.map((o) => {
    if (o.type !== 'object') throw new PolicyError(file, at(o.offset), `a JSON ${o.type} where ConvertTo-Json writes one object per record`);
    const cells = new Map<string, Cell>();
    for (const p of o.children ?? []) {
      const [key, value] = p.children as [Node, Node];
      cells.set(String(key.value).toLowerCase(), cell(value, at(value.offset)));
    }
    return { line: at(o.offset), cells };
  });
}

function cell(v: Node, line: number): Cell {
  if (v.type === 'object' || v.type === 'array') return { value: null, nested: true, line };
  return { value: v.value as Cell['value'], line };
}

/** jsonc-parser's error codes in words: `CloseBraceExpected` -> `close brace expected`. */
const words = (code: string): string => code.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
