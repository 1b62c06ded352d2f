import { describe, expect, it } from 'vitest';
import { MAX_PENDING_PIECES, Reassembler } from '../../src/decode/reassembly.js';
import { fieldsFrom, fieldsOf } from '../fields.js';

// The reassembler alone: pieces in any order cost a search, not a sort of all pieces so far.

const bytesAt = (offset: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (offset + i) & 0xff);

describe('Reassembler', () => {
  it(`${MAX_PENDING_PIECES - 1} pieces of 8 bytes (65528) in reverse order, the last piece first: whole on the first piece, listed by offset`, () => {
    const r = new Reassembler();
    const n = MAX_PENDING_PIECES - 1;
    const started = performance.now();
    let result = r.add('k', 'test', 8 * (n - 1), bytesAt(8 * (n - 1), 8), false, 1, 0);
    for (let i = n - 2; i >= 0; i--) {
      expect(result.kind).toBe('pending');
      result = r.add('k', 'test', 8 * i, bytesAt(8 * i, 8), true, n - i, 0);
    }
    // Generous: each piece inserted at the front of the ranges; 60a09ed sorted all pieces on each (seconds).
    expect(performance.now() - started).toBeLessThan(1000);
    if (result.kind !== 'complete') throw new Error(`not complete: ${result.kind}`);
    expect(result.datagram).toEqual(bytesAt(0, 8 * n));
    expect(result.frames.slice(0, 3)).toEqual([n, n - 1, n - 2]); // offset 0 came in frame n
    expect(result.frames.at(-1)).toBe(1);
  });

  it('keeps no bytes when told not to, and still says when the pieces cover the datagram', () => {
    const r = new Reassembler(false);
    expect(r.add('k', 'test', 0, bytesAt(0, 16), true, 1, 0)).toMatchObject({ kind: 'pending', firstFrame: 1 });
    r.learn('k', fieldsFrom({ 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 }));
    const done = r.add('k', 'test', 8, bytesAt(99, 16), false, 2, 0);
    expect({ ...done, tenant: 'tenant' in done && done.tenant !== null ? fieldsOf(done.tenant) : null }).toEqual({
      kind: 'complete',
      datagram: null,
      frames: [1, 2],
      length: 24,
      firstFrame: 1,
      tenant: { 'nvgre.vsid': 4020644, 'nvgre.flow_id': 0 },
      overlap: '8 of its bytes (8-23) were already received',
    });
  });
});
