import { describe, expect, it } from 'vitest';
import '../../src/cli/main.js';
import { Fields, fieldId, fieldKey, internedKeys, knownFieldId } from '../../src/decode/field-store.js';
import { FIELD_DEFS } from '../../src/decode/registry.js';
import { fieldsOf } from '../fields.js';

const SRC = fieldId('ip.src');
const TTL = fieldId('ip.ttl');
const OPTIONS = fieldId('ip.options');
const FRAGMENT = fieldId('ip.fragment');

describe('field ids', () => {
  it('every name a module reads or writes by id is a defined field (a typo would be a field nobody sets)', () => {
    expect(internedKeys().filter((k) => !FIELD_DEFS.has(k))).toEqual([]);
  });

  it('an id names the same field every time; a name no module uses has none', () => {
    expect(fieldId('ip.src')).toBe(SRC);
    expect(fieldKey(SRC)).toBe('ip.src');
    expect(knownFieldId('ip.srcc')).toBe(-1);
  });
});

describe('Fields', () => {
  it('keeps the order fields were first set; setting one again keeps its place', () => {
    const f = new Fields();
    f.set(TTL, 64);
    f.set(SRC, 0x0a000001);
    f.set(TTL, 63);
    expect(Object.keys(fieldsOf(f))).toEqual(['ip.ttl', 'ip.src']);
    expect([f.num(TTL), f.num(SRC), f.count]).toEqual([63, 0x0a000001, 2]);
  });

  it('a byte field reads as a view of where it was set; its copy owns its bytes', () => {
    const frame = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const f = new Fields();
    f.addBytes(OPTIONS, frame, 2, 5);
    const copy = f.copy();
    frame[2] = 0xff; // the reader reuses its buffer for the next frame
    expect(f.get(OPTIONS)).toEqual(Uint8Array.of(0xff, 4, 5));
    expect(copy.get(OPTIONS)).toEqual(Uint8Array.of(3, 4, 5));
  });

  it('clear empties it for the next frame; numbers, text and lists read back as set', () => {
    const f = new Fields();
    f.set(SRC, 0xffffffff);
    f.setValue(FRAGMENT, [3, 4]);
    f.clear();
    expect([f.count, f.has(SRC), f.get(FRAGMENT)]).toEqual([0, false, undefined]);
    f.setValue(FRAGMENT, [5]);
    expect([f.get(FRAGMENT), f.num(FRAGMENT), f.num(SRC)]).toEqual([[5], undefined, undefined]);
  });

  it('grows past its first capacity', () => {
    const f = new Fields();
    const ids = [...FIELD_DEFS.keys()].slice(0, 40).map(fieldId);
    ids.forEach((id, i) => f.set(id, i));
    expect(ids.map((id) => f.num(id))).toEqual(ids.map((_, i) => i));
  });
});
