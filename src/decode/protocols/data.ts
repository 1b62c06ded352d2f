import type { FieldDef } from '../fields.js';
import { fieldId } from '../field-store.js';
import type { Dissection } from '../packet.js';

export const dataFields: FieldDef[] = [
  { key: 'data.len', type: 'FT_INT32', label: 'Length', kind: 'dec', unit: 'bytes' },
  { key: 'data.data', type: 'FT_BYTES', label: 'Data', kind: 'bytes' },
];

const DATA = fieldId('data.data');
const LEN = fieldId('data.len');

/** Bytes no decoder claims: shown with their count, never dropped. */
export function addData(d: Uint8Array, off: number, end: number, p: Dissection): void {
  if (off >= end) return;
  const f = p.add('data', off, end - off).fields;
  f.addBytes(DATA, d, off, end);
  f.add(LEN, end - off);
}
