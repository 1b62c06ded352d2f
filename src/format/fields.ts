import type { FieldDef, FieldValue } from '../decode/fields.js';
import { escapedText, hex, hexBytes, hexUpper, ipv4, ipv6, mac } from './text.js';

/** Bytes of a byte field shown inline in the tree, one hex-dump row; the hex dump shows them all. */
const PREVIEW_BYTES = 16;

/** A field's value as the tree shows it: `IPv4 (0x0800)`, `4020644 (0x3D59A4)`, `0x2000 (K)`. */
export function displayValue(def: FieldDef, v: FieldValue): string {
  if (typeof v === 'number') return numberText(def, v);
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return bytesText(def, v);
  return v.map((x) => numberText(def, x)).join(', ');
}

/** `6162 "ab"`, and past 16 bytes `... (N more bytes)`: an escaped byte takes 4 columns, so the line stays short. */
function bytesText(def: FieldDef, v: Uint8Array): string {
  if (def.kind === 'ipv6') return ipv6(v);
  const shown = v.subarray(0, PREVIEW_BYTES);
  const rest = v.length - shown.length;
  const more = rest > 0 ? ` ... (${rest} more byte${rest === 1 ? '' : 's'})` : '';
  return `${hexBytes(shown, '')} "${escapedText(shown)}"${more}`;
}

function numberText(def: FieldDef, v: number): string {
  let text: string;
  switch (def.kind) {
    case 'hex':
      text = hex(v, def.width ?? 1);
      break;
    case 'dechex':
      return `${v} (${hexUpper(v, def.width ?? 1)})`;
    case 'bool':
      return v ? 'Set' : 'Not set';
    case 'ipv4':
      return ipv4(v);
    case 'mac':
      return mac(v);
    default:
      text = def.shown?.(v) ?? String(v);
  }
  if (def.unit) text += ` ${def.unit}`;
  const name = def.names?.[v];
  if (name !== undefined) return def.nameOnly ? name : `${name} (${text})`;
  if (def.bits) {
    const set = def.bits.filter(([mask]) => (v & mask) !== 0).map(([, n]) => n);
    if (set.length > 0) return `${text} (${set.join(', ')})`;
  }
  return text;
}
