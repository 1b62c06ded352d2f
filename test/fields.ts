import { Fields, fieldId, fieldKey } from '../src/decode/field-store.js';
import type { FieldValue } from '../src/decode/fields.js';
import type { Layer, Packet } from '../src/decode/packet.js';

/**
 * A layer's fields as a record of Wireshark names, in the order they were set: what a test compares
 * with toEqual or reads by name. Tests only: the program reads fields by id (field-store.ts).
 */
export function fieldsOf(l: Layer | Fields): Record<string, FieldValue> {
  const f = l instanceof Fields ? l : l.fields;
  const out: Record<string, FieldValue> = {};
  for (let i = 0; i < f.count; i++) out[fieldKey(f.idAt(i))] = f.valueAt(i);
  return out;
}

/** A store holding `record`'s fields, in its order: for layers a test builds by hand. */
export function fieldsFrom(record: Record<string, FieldValue> = {}): Fields {
  const f = new Fields();
  for (const [key, v] of Object.entries(record)) f.setValue(fieldId(key), v);
  return f;
}

/** A packet to keep past the next dissect() with the same Dissection, which reuses its layers. */
export function keep(pkt: Packet): Packet {
  return { ...pkt, layers: pkt.layers.map((l) => ({ ...l, fields: l.fields.copy() })) };
}
