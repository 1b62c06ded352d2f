// The output buffers --jobs fills again once written: a batch sink's own, never a slab of
// Buffer's pool that a header's bytes were cut from (filling that again corrupted the output).
import { describe, expect, it } from 'vitest';
import { BatchSink, isBatchBuffer } from '../../src/cli/batch-sink.js';

describe('BatchSink', () => {
  it("hands over its bytes whole and fills a spare buffer next, or a new one when there is none", () => {
    const spare = new ArrayBuffer(1 << 20);
    const spares = [spare];
    const sink = new BatchSink(() => spares.pop());
    sink.str('frame 1\n');
    const first = sink.take();
    expect(Buffer.from(first).toString()).toBe('frame 1\n');
    expect(isBatchBuffer(first)).toBe(true);
    sink.str('frame 2\n');
    const second = sink.take();
    expect(second.buffer).toBe(spare);
    expect(Buffer.from(second).toString()).toBe('frame 2\n');
    sink.str('frame 3\n');
    const third = sink.take();
    expect(third.buffer).not.toBe(spare);
    expect(isBatchBuffer(third)).toBe(true);
  });

  it("a header's bytes are not filled again, even when they start a slab of Buffer's pool", () => {
    const header = Buffer.from('==> a.pcap <==\n');
    expect(isBatchBuffer(new Uint8Array(header.buffer, 0, header.length))).toBe(false);
    expect(isBatchBuffer(header)).toBe(false);
  });
});
