import type { FieldDef } from '../fields.js';
import type { Dissection } from '../packet.js';

export const dataFields: FieldDef[] = [
  { key: 'data.len', type: 'FT_INT32', label: 'Length', kind: 'dec', unit: 'bytes' },
  { key: 'data.data', type: 'FT_BYTES', label: 'Data', kind: 'bytes' },
];

/** Bytes no decoder claims: shown with their count, never dropped. */
export function addData(d: Uint8Array, off: number, end: number, p: Dissection): void {
  if (off < end) p.add('data', off, end - off, { 'data.data': d.subarray(off, end), 'data.len': end - off });
}
