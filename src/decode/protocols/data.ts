import type { FieldDef } from '../fields.js';
import type { Dissection } from '../packet.js';

export const dataFields: FieldDef[] = [
  { key: 'data.len', label: 'Length', kind: 'dec', unit: 'bytes' },
  { key: 'data.data', label: 'Data', kind: 'bytes' },
];

/** Bytes no decoder claims: shown with their count, never dropped. */
export function addData(d: Uint8Array, off: number, end: number, p: Dissection): void {
  if (off < end) p.add('data', off, end - off, { 'data.len': end - off, 'data.data': d.subarray(off, end) });
}
