import type { FieldValue } from './fields.js';

/**
 * Field storage. Decoding a frame used to build a record of Wireshark names per layer: with its
 * boxed numbers that was most of the 2.3 KB the bench measured per frame. A field is now a small
 * integer id, and each layer keeps its values in typed arrays that live as long as the layer,
 * which the Dissection reuses frame after frame; decoding a frame then makes no object at all.
 *
 * - Ids are interned from the Wireshark names (`fieldId`), at module load: a decoder, formatter
 *   or filter names its fields once (a test checks that every name interned has a FieldDef).
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
/**
 * Ids are below this (the program has about 250 fields): a store's id -> entry table is made
 * this large once, so a read or write is one index with no bounds to grow.
 */
const MAX_FIELDS = 1024;

/**
 * A worker thread takes the main thread's ids before any of its own modules intern one: the order
 * of interning is that of module loading, which differs between bundles, and ids cross threads
 * (a compiled filter, the NVGRE header a first fragment lends). Keys the worker adds come after.
 */
export function adoptFieldIds(keys: readonly string[]): void {
  if (KEYS.length > 0) throw new Error('field ids adopted after some were interned');
  for (const key of keys) fieldId(key);
}

/** The id of a Wireshark field name, the same for the whole process; made on first use. */
export function fieldId(key: string): FieldId {
  let id = IDS.get(key);
  if (id === undefined) {
    id = KEYS.length;
    if (id === MAX_FIELDS) throw new Error(`more than ${MAX_FIELDS} field names`);
    IDS.set(key, id);
    KEYS.push(key);
  }
  return id;
}

/** The id of a name if any module uses it (a filter's name may be no field at all): -1 if not. */
export const knownFieldId = (key: string): FieldId => IDS.get(key) ?? -1;

export const fieldKey = (id: FieldId): string => KEYS[id];

/** Every name interned so far, for the test that each has a definition. */
export const internedKeys = (): readonly string[] => KEYS;

const NUMBER = 0;
const BYTES = 1;
const VALUE = 2;
const NO_SLOT = -1;
const FIRST_CAPACITY = 32;

/**
 * One layer's fields: a reused store, cleared and refilled for each frame. The writes are kept
 * small enough for the compiler to inline a decoder's twenty of them: a call per field cost more
 * than the record it replaces.
 */
export class Fields {
  /** Entries [0, count) are set, in the order they were first set. */
  count = 0;
  /** Each entry's field id and kind, as id << 2 | kind: one store per field where two cost more. */
  private entries = new Uint16Array(FIRST_CAPACITY);
  private capacity = FIRST_CAPACITY;
  /** A number; a byte field's offset. */
  private nums = new Float64Array(FIRST_CAPACITY);
  private lens = new Int32Array(FIRST_CAPACITY);
  /** A byte field's buffer; a text or list value. Left as it is under a number (the kind says which). */
  private refs: (Uint8Array | FieldValue | undefined)[] = new Array<undefined>(FIRST_CAPACITY).fill(undefined);
  /**
   * Id -> entry, trusted only when that entry holds the id (a sparse set): clearing is then
   * `count = 0`, where resetting the table took more time than the fields' writes. What the old
   * entries point at (a buffer) stays referenced until overwritten: a few pooled layers' worth.
   */
  private readonly slot = new Uint16Array(MAX_FIELDS);

  clear(): void {
    this.count = 0;
  }

  /** Entry of `id`, or NO_SLOT. */
  private at(id: FieldId): number {
    const i = this.slot[id];
    return i < this.count && this.entries[i] >> 2 === id ? i : NO_SLOT;
  }

  has(id: FieldId): boolean {
    return this.at(id) >= 0;
  }

  /** The number of a numeric field; undefined when the field is not set or is not a number. */
  num(id: FieldId): number | undefined {
    const i = this.at(id);
    return i >= 0 && (this.entries[i] & 3) === NUMBER ? this.nums[i] : undefined;
  }

  /** Any field's value; a byte field as a view of the bytes it was read from (made here). */
  get(id: FieldId): FieldValue | undefined {
    const i = this.at(id);
    return i >= 0 ? this.valueAt(i) : undefined;
  }

  /** The id of entry i (0 <= i < count), in the order set. */
  idAt(i: number): FieldId {
    return this.entries[i] >> 2;
  }

  valueAt(i: number): FieldValue {
    const kind = this.entries[i] & 3;
    if (kind === NUMBER) return this.nums[i];
    if (kind === BYTES) {
      const from = this.nums[i];
      return (this.refs[i] as Uint8Array).subarray(from, from + this.lens[i]);
    }
    return this.refs[i] as FieldValue;
  }

  /**
   * A decoder filling the layer it just added: the field is not set yet, so it goes at the end
   * unchecked. Checking first cost a decoder's writes twice their time (a load chain per field);
   * a field a layer may meet twice (an IPv6 extension header, a TCP option) is `set` instead.
   */
  add(id: FieldId, v: number): void {
    const i = this.append(id, NUMBER);
    this.nums[i] = v;
  }

  /**
   * The big-endian 32-bit number at d[o], read here rather than passed in: a number past 2^30
   * handed to (or returned from) a call the compiler did not inline is boxed, a heap object per
   * field and frame (addresses, keys, sequence numbers). So the bytes are read in this function
   * itself, as bytes.ts's u32 and mac48 read them, and only small integers cross a call.
   */
  addU32(id: FieldId, d: Uint8Array, o: number): void {
    const i = this.append(id, NUMBER);
    this.nums[i] = ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
  }

  /** A MAC: the 48-bit big-endian number at d[o]. */
  addU48(id: FieldId, d: Uint8Array, o: number): void {
    const i = this.append(id, NUMBER);
    this.nums[i] = ((d[o] << 8) | d[o + 1]) * 0x100000000 + (((d[o + 2] << 24) | (d[o + 3] << 16) | (d[o + 4] << 8) | d[o + 5]) >>> 0);
  }

  /** The bytes d[from, to), kept as where they are. */
  addBytes(id: FieldId, d: Uint8Array, from: number, to: number): void {
    const i = this.append(id, BYTES);
    this.nums[i] = from;
    this.lens[i] = to - from;
    this.refs[i] = d;
  }

  /** A number, in the field's place when it is set already (a checksum status once checked). */
  set(id: FieldId, v: number): void {
    const i = this.at(id);
    if (i < 0) return this.add(id, v);
    this.entries[i] = (id << 2) | NUMBER;
    this.nums[i] = v;
  }

  /** A value of any kind, in the field's place when it is set already; a view is kept as a view (`copy` copies it). */
  setValue(id: FieldId, v: FieldValue): void {
    if (typeof v === 'number') return this.set(id, v);
    let i = this.at(id);
    if (i < 0) i = this.append(id, VALUE);
    if (v instanceof Uint8Array) {
      this.entries[i] = (id << 2) | BYTES;
      this.nums[i] = 0;
      this.lens[i] = v.length;
    } else this.entries[i] = (id << 2) | VALUE;
    this.refs[i] = v;
  }

  /** Sets every field of `from`, in its order (a layer lent by an earlier frame). */
  setAll(from: Fields): void {
    for (let i = 0; i < from.count; i++) this.setValue(from.idAt(i), from.valueAt(i));
  }

  /** A store of its own with the same fields, byte fields copied out of the buffers they view. */
  copy(): Fields {
    const c = new Fields();
    for (let i = 0; i < this.count; i++) {
      const v = this.valueAt(i);
      c.setValue(this.idAt(i), v instanceof Uint8Array ? v.slice() : v);
    }
    return c;
  }

  /** A new entry for `id`, at the end. */
  private append(id: FieldId, kind: number): number {
    const i = this.count++;
    if (i === this.capacity) this.grow();
    this.entries[i] = (id << 2) | kind;
    this.slot[id] = i;
    return i;
  }

  private grow(): void {
    const n = (this.capacity *= 2);
    this.entries = grown(this.entries, n);
    this.nums = grown(this.nums, n);
    this.lens = grown(this.lens, n);
    while (this.refs.length < n) this.refs.push(undefined);
  }
}

function grown<T extends Uint16Array | Uint8Array | Float64Array | Int32Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
