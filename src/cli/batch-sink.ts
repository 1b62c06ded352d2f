import { TextSink } from '../format/sink.js';

/**
 * A sink whose bytes are handed over whole per batch of --jobs: its buffer goes with them (to the
 * main thread from a worker, transferred, not copied; to the output from the main thread) and
 * another is taken, one the output has written and given back when there is one (`spare`): fresh
 * memory for every batch cost more in page faults and collections than writing it. Its buffers
 * are a megabyte or more, never from Buffer's shared pool, whose memory other buffers share.
 */
/** A batch sink's first buffer; it only grows from there. */
const BATCH_SINK_SIZE = 1 << 20;

/**
 * Whether written bytes are a whole buffer of a batch sink, to be filled again: not a header's
 * few bytes, which may start a slab of Buffer's pool that other buffers are cut from.
 */
export const isBatchBuffer = (bytes: Uint8Array): boolean => bytes.byteOffset === 0 && bytes.buffer.byteLength >= BATCH_SINK_SIZE;

export class BatchSink extends TextSink {
  constructor(private readonly spare: () => ArrayBuffer | undefined) {
    super(BATCH_SINK_SIZE);
  }

  take(): Uint8Array {
    const bytes = this.buf.subarray(0, this.pos);
    const next = this.spare();
    this.buf = next === undefined ? Buffer.allocUnsafeSlow(this.buf.length) : Buffer.from(next);
    this.pos = 0;
    return bytes;
  }
}
