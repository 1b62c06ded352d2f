import type { Dissection, Packet } from '../decode/packet.js';
import { RecordingConversations, RecordingFragments } from '../decode/tape.js';
import type { Clock } from '../format/clock.js';
import { encoded } from '../format/sink.js';
import { BatchBuilder } from './batch.js';
import { BatchSink } from './batch-sink.js';
import type { FrameWriter } from './frame-writer.js';
import type { JobSetup } from './format-job.js';
import type { Output } from './output.js';
import { FormatPool } from './pool.js';

/** Frames a batch holds: its output (about 3 KB a frame in the tree) is a write of a megabyte or so. */
export const BATCH_FRAMES = 512;

/**
 * --jobs on the main thread. The main thread stays the ordered pass: it reads, decodes (the cheap
 * part, about a tenth of writing a tree), keeps the capture's state, selects, counts -c,
 * writes -w and feeds the analyzers, exactly as with one thread; what it hands out is the costly
 * part, writing the shown frames, in batches, with the answers the state gave them (tape.ts).
 * It is one of the N threads of --jobs N: N - 1 workers, and while every worker has its hands
 * full, the next batch is written here, as its frames are decoded (no copy, no second decoding),
 * into a buffer of its own that keeps the batch's place. A thread for each core and the main
 * thread idle most of the time was slower than one thread (each worker's own compiled code and
 * heap, on cores the main thread needs too).
 * Workers start only once the capture is seen to be large (more than two batches read): before
 * that, and for a small capture altogether, frames are written here and no thread is started.
 */
export class Jobs {
  private pool: FormatPool | null = null;
  private readonly batch: BatchBuilder;
  /** The batch being written here, and where its frames are written: null while frames go to a worker. */
  private own: { slot: number; count: number } | null = null;
  private readonly sink = new BatchSink(() => this.pool?.spareBuffer());

  constructor(
    private readonly jobs: number,
    private readonly setup: JobSetup,
    private readonly out: Output,
    batchFrames = BATCH_FRAMES,
  ) {
    this.batch = new BatchBuilder(batchFrames);
  }

  /** True once shown frames go to the workers instead of being written here. */
  get started(): boolean {
    return this.pool !== null;
  }

  /** Before the `read`-th frame is decoded with `d`: starts the workers when it is time, and records what the state answers. */
  beforeFrame(read: number, d: Dissection): void {
    if (this.pool === null) {
      if (read <= 2 * this.batch.size) return;
      const pool = new FormatPool(
        this.jobs - 1,
        this.setup,
        (bytes) => this.out.pass(bytes, (written) => pool.spare(written)),
        (buffers) => this.batch.recycle(buffers),
      );
      this.pool = pool;
    }
    // Each capture gets state of its own (run.ts): wrapped as it first decodes.
    const tape = this.batch.tape;
    if (!(d.conversations instanceof RecordingConversations)) d.conversations = new RecordingConversations(d.conversations, tape);
    if (d.reassembly !== null && !(d.reassembly instanceof RecordingFragments)) d.reassembly = new RecordingFragments(d.reassembly, tape);
    tape.mark();
  }

  /** A frame decoded since beforeFrame() is shown (written with `clock` as it is now, by `write` here), from capture `file`. */
  shown(pkt: Packet, clock: Clock, file: number, write: FrameWriter): void {
    const pool = this.pool!;
    if (this.own === null && this.batch.count === 0 && pool.busy) this.own = { slot: pool.reserve(), count: 0 };
    if (this.own !== null) {
      write(pkt, this.sink);
      this.batch.tape.rewind();
      if (++this.own.count >= this.batch.size) this.endOwn();
      return;
    }
    this.batch.add(pkt.frame, clock);
    if (this.batch.full) pool.send(this.batch.take(file));
  }

  /** A frame decoded since beforeFrame() is not shown: no worker decodes it, so its answers go. */
  notShown(): void {
    this.batch.tape.rewind();
  }

  /** Text between frames (a file's header), in its place. */
  text(s: string): void {
    if (this.pool === null) this.out.str(s);
    else this.pool.text(encoded(s));
  }

  /** Capture `file` is read (or broken, or -c was reached): its last batch goes out. */
  endFile(file: number): void {
    if (this.own !== null) this.endOwn();
    if (this.batch.count > 0) this.pool!.send(this.batch.take(file));
  }

  /** Resolves when the reader may read on: few enough batches in flight. */
  async room(): Promise<void> {
    await this.pool?.room();
  }

  /** Resolves once every frame handed out is written to the output. */
  async drain(): Promise<void> {
    await this.pool?.drain();
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  private endOwn(): void {
    this.pool!.fill(this.own!.slot, this.sink.take());
    this.own = null;
  }
}
