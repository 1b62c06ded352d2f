import type { FieldValue } from './fields.js';

/**
 * Field storage. Decoding a frame used to build a record of Wireshark names per layer: with its
 * boxed numbers that was most of the 2.3 KB the bench measured per frame. A field is now a small
 * integer id, and each layer keeps its values in typed arrays that live as long as the layer,
 * which the Dissection reuses frame after frame; decoding a frame then makes no object at all.
 *
 * - Ids are interned from the Wireshark names (`fieldId`), at module load: a decoder, formatter
 *   or filter names its fields once, and registry.ts checks that every name interned has a FieldDef.
 * - A layer's fields stay in the order they were set (the tree and JSON show them so); `slot` maps
 *   an id to its entry, so a read is an index and two layers of a frame (outer and inner ip.src)
 *   never share one. Analyzers add fields after decoding (a policy's nvgre.vm_src) the same way.
 * - Numbers (addresses are numbers) sit in a Float64Array, unboxed. A byte field is an offset and
 *   length into the buffer it was read from (the frame, or the reassembled datagram): a view is
 *   made only when a reader asks for one, as a formatter does. Text and lists are kept as they are.
 * - What outlives the frame takes a copy (`copy`), whose byte fields own their bytes: the reader
 *   reuses the buffers a frame's bytes are views of.
 */

export type FieldId = number;

const IDS = new Map<string, FieldId>();
const KEYS: string[] = [];

/** The id of a Wireshark field name, the same for the whole process; made on first use. */
export function fieldId(key: string): FieldId {
  let id = IDS.get(key);
  if (id === undefined) {
    id = KEYS.length;
    IDS.set(key, id);
    KEYS.push(key);
  }
  return id;
}

/** The id of a name if any module uses it (a filter's name may be no field at all): -1 if not. */
export const knownFieldId = (key: string): FieldId => IDS.get(key) ?? -1;

export const fieldKey = (id: FieldId): string => KEYS[id];

/** Every name interned so far, for registry.ts's check that each has a definition. */
export const internedKeys = (): readonly string[] => KEYS;

const NUMBER = 0;
const BYTES = 1;
const VALUE = 2;
const NO_SLOT = -1;
const FIRST_CAPACITY = 16;

/** One layer's fields: a reused store, cleared and refilled for each frame. */
export class Fields {
  /** Entries [0, count) are set, in the order they were first set. */
  count = 0;
  private ids = new Uint16Array(FIRST_CAPACITY);
  private kinds = new Uint8Array(FIRST_CAPACITY);
  /** A number; a byte field's offset. */
  private nums = new Float64Array(FIRST_CAPACITY);
  private lens = new Int32Array(FIRST_CAPACITY);
  /** A byte field's buffer; a text or list value. */
  private refs: (Uint8Array | FieldValue | undefined)[] = new Array<undefined>(FIRST_CAPACITY).fill(undefined);
  /** Id -> entry, NO_SLOT when not set. */
  private slot = new Int16Array(Math.max(KEYS.length, 64)).fill(NO_SLOT);

  clear(): void {
    for (let i = 0; i < this.count; i++) {
      this.slot[this.ids[i]] = NO_SLOT;
      this.refs[i] = undefined;
    }
    this.count = 0;
  }

  has(id: FieldId): boolean {
    return id < this.slot.length && id >= 0 && this.slot[id] !== NO_SLOT;
  }

  /** The number of a numeric field; undefined when the field is not set or is not a number. */
  num(id: FieldId): number | undefined {
    const i = this.indexOf(id);
    return i >= 0 && this.kinds[i] === NUMBER ? this.nums[i] : undefined;
  }

  /** Any field's value; a byte field as a view of the bytes it was read from (made here). */
  get(id: FieldId): FieldValue | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.valueAt(i);
  }

  /** The id of entry i (0 <= i < count), in the order set. */
  idAt(i: number): FieldId {
    return this.ids[i];
  }

  valueAt(i: number): FieldValue {
    const kind = this.kinds[i];
    if (kind === NUMBER) return this.nums[i];
    if (kind === BYTES) {
      const from = this.nums[i];
      return (this.refs[i] as Uint8Array).subarray(from, from + this.lens[i]);
    }
    return this.refs[i] as FieldValue;
  }

  set(id: FieldId, v: number): void {
    const i = this.entry(id);
    this.kinds[i] = NUMBER;
    this.nums[i] = v;
    this.refs[i] = undefined;
  }

  /** The bytes d[from, to), kept as where they are. */
  setBytes(id: FieldId, d: Uint8Array, from: number, to: number): void {
    const i = this.entry(id);
    this.kinds[i] = BYTES;
    this.nums[i] = from;
    this.lens[i] = to - from;
    this.refs[i] = d;
  }

  /** A value of any kind: a view is kept as a view (its bytes must outlive the frame, or be copied by `copy`). */
  setValue(id: FieldId, v: FieldValue): void {
    if (typeof v === 'number') return this.set(id, v);
    if (v instanceof Uint8Array) return this.setBytes(id, v, 0, v.length);
    const i = this.entry(id);
    this.kinds[i] = VALUE;
    this.refs[i] = v;
  }

  /** Sets every field of `from`, in its order (a layer lent by an earlier frame). */
  setAll(from: Fields): void {
    for (let i = 0; i < from.count; i++) this.setValue(from.ids[i], from.valueAt(i));
  }

  /** A store of its own with the same fields, byte fields copied out of the buffers they view. */
  copy(): Fields {
    const c = new Fields();
    for (let i = 0; i < this.count; i++) {
      const v = this.valueAt(i);
      c.setValue(this.ids[i], v instanceof Uint8Array ? v.slice() : v);
    }
    return c;
  }

  private indexOf(id: FieldId): number {
    return id < this.slot.length ? this.slot[id] : NO_SLOT;
  }

  /** The entry of `id`, added at the end when it is not set yet. */
  private entry(id: FieldId): number {
    if (id >= this.slot.length) this.slot = grown(this.slot, Math.max(KEYS.length, id + 1), NO_SLOT);
    const at = this.slot[id];
    if (at !== NO_SLOT) return at;
    const i = this.count++;
    if (i === this.ids.length) this.grow();
    this.ids[i] = id;
    this.slot[id] = i;
    return i;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    this.ids = grown(this.ids, n, 0);
    this.kinds = grown(this.kinds, n, 0);
    this.nums = grown(this.nums, n, 0);
    this.lens = grown(this.lens, n, 0);
    while (this.refs.length < n) this.refs.push(undefined);
  }
}

function grown<T extends Uint16Array | Uint8Array | Float64Array | Int32Array | Int16Array>(a: T, n: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.fill(fill);
  b.set(a);
  return b;
}
