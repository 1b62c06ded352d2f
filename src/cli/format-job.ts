import { annotate, PolicyNames } from '../analyze/names.js';
import { dissect } from '../decode/dissect.js';
import { Dissection } from '../decode/packet.js';
import { ReplayedConversations, ReplayedFragments, Tape } from '../decode/tape.js';
import { Clock, type TimeFormat } from '../format/clock.js';
import { makePalette, type Palette } from '../format/palette.js';
import type { Policy } from '../policy/model.js';
import { type Batch, eachFrame } from './batch.js';
import { BatchSink } from './batch-sink.js';
import type { ColorLevel } from './color.js';
import { type FrameFormat, type FrameWriter, frameWriter } from './frame-writer.js';

/** What a worker is told once, at its start: how frames are written, and of which captures. */
export interface JobSetup {
  format: FrameFormat;
  color: ColorLevel;
  time?: TimeFormat;
  captures: string[];
  policy?: Policy;
}

/**
 * A worker's job: the text of a batch's frames, decoded again with the answers the ordered pass
 * recorded (so tcp.stream, relative seq, reassembled datagrams and the clock are those of one
 * thread) and written as the main thread would (frame-writer.ts). No state is kept from batch to
 * batch but caches and buffers: any worker can take any batch.
 */
export class BatchFormatter {
  private readonly palette: Palette;
  private readonly clock: Clock;
  private readonly names: PolicyNames | null;
  private readonly writers = new Map<number, FrameWriter>();
  private readonly spare: ArrayBuffer[] = [];
  private readonly sink = new BatchSink(() => this.spare.pop());

  constructor(private readonly setup: JobSetup) {
    this.palette = makePalette(setup.color);
    this.clock = new Clock(setup.time);
    this.names = setup.policy === undefined ? null : new PolicyNames(setup.policy);
  }

  format(batch: Batch): Uint8Array {
    let write = this.writers.get(batch.file);
    if (write === undefined) {
      write = frameWriter(this.setup.format, this.palette, this.clock, this.setup.captures[batch.file], this.setup.captures.length > 1);
      this.writers.set(batch.file, write);
    }
    const tape = new Tape(batch.nums, batch.objs);
    const dissection = new Dissection(new ReplayedFragments(tape));
    dissection.conversations = new ReplayedConversations(tape);
    const names = this.names;
    const sink = this.sink;
    eachFrame(batch, this.clock, (frame) => {
      const pkt = dissect(frame, dissection);
      if (names !== null) annotate(pkt, names);
      write(pkt, sink);
    });
    return sink.take();
  }

  /** Output buffers the main thread has written out, to be filled again. */
  reuse(buffers: ArrayBuffer[]): void {
    this.spare.push(...buffers);
  }
}
