// The pool of --jobs with real worker threads (the built dist/cli/worker.cjs): batches written in
// the order they were sent, and no more than two a worker in flight before the reader must wait.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PcapParser, pcapMagic } from '../../src/capture/pcap.js';
import { type Batch, BatchBuilder } from '../../src/cli/batch.js';
import { FormatPool } from '../../src/cli/pool.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection, type Packet } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { RecordingConversations, RecordingFragments } from '../../src/decode/tape.js';
import { Clock } from '../../src/format/clock.js';
import { makePalette } from '../../src/format/palette.js';
import { textOf } from '../../src/format/sink.js';
import { writeSummary } from '../../src/format/summary.js';
import { ROOT } from './spawn.js';

const FILE = 'fixtures/streams.pcap';
const ENTRY = new URL('dist/cli/worker.cjs', `file://${ROOT}`);

/** The fixture's frames decoded as the main thread does, in batches of `size` (the last, short, left out); `each` sees every frame. */
function readBatches(size: number, each?: (pkt: Packet, clock: Clock) => void): { batches: BatchBuilder; sent: Batch[] } {
  const batches = new BatchBuilder(size);
  const d = new Dissection(new Reassembler());
  d.conversations = new RecordingConversations(d.conversations, batches.tape);
  d.reassembly = new RecordingFragments(d.reassembly!, batches.tape);
  const clock = new Clock();
  const sent: Batch[] = [];
  const bytes = readFileSync(`${ROOT}${FILE}`);
  new PcapParser(pcapMagic(bytes)!).push(bytes, (frame) => {
    clock.read(frame);
    batches.tape.mark();
    const pkt = dissect(frame, d);
    each?.(pkt, clock);
    batches.add(frame, clock);
    if (batches.full) sent.push(batches.take(0));
    clock.shown(frame);
  });
  return { batches, sent };
}

describe('FormatPool', () => {
  it('writes batches in the order sent, holding at most two a worker and two of the main thread', async () => {
    const palette = makePalette(0);
    let direct = '';
    const { batches, sent } = readBatches(1, (pkt, clock) => (direct += textOf((out) => writeSummary(pkt, palette, out, clock))));
    expect(sent.length).toBe(13);

    let written = '';
    const pool = new FormatPool(2, { format: { mode: 'summary', hex: false }, color: 0, captures: [FILE] }, (b) => (written += Buffer.from(b).toString()), (b) => batches.recycle(b), ENTRY);
    try {
      let room = false;
      expect(pool.busy).toBe(false);
      for (const [i, batch] of sent.entries()) {
        pool.send(batch);
        if (i === 3) {
          // Two each for two workers: the next batch is the main thread's.
          expect(pool.busy).toBe(true);
          const own = [pool.reserve(), pool.reserve()];
          // And with two of those the reader waits. No result can have come yet (they come as messages, after this turn).
          void pool.room().then(() => (room = true));
          for (let tick = 0; tick < 10; tick++) await Promise.resolve();
          expect(room).toBe(false);
          for (const slot of own) pool.fill(slot, new Uint8Array(0));
        }
      }
      await pool.drain();
      expect(room).toBe(true);
      expect(written).toBe(direct);
    } finally {
      await pool.close();
    }
  });

  it("sees a worker's batch written while this thread has not yet turned its event loop (it reads a chunk at a time)", async () => {
    const { batches, sent } = readBatches(4);
    let written = '';
    const pool = new FormatPool(1, { format: { mode: 'summary', hex: false }, color: 0, captures: [FILE] }, (b) => (written += Buffer.from(b).toString()), (b) => batches.recycle(b), ENTRY);
    try {
      // The worker starts once this thread has turned its loop: a first batch round the usual way.
      pool.send(sent[0]);
      await pool.drain();
      pool.send(sent[1]);
      pool.send(sent[2]);
      expect(pool.busy).toBe(true);
      // No await: the worker's reply cannot be read here, only the count it keeps in shared memory.
      const deadline = Date.now() + 10_000;
      while (pool.busy && Date.now() < deadline);
      expect(pool.busy).toBe(false);
      await pool.drain();
      expect(written.split('\n')).toHaveLength(13);
    } finally {
      await pool.close();
    }
  });
});
