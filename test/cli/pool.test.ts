// The pool of --jobs with real worker threads (the built dist/cli/worker.cjs): batches written in
// the order they were sent, and no more than two a worker in flight before the reader must wait.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PcapParser, pcapMagic } from '../../src/capture/pcap.js';
import { type Batch, BatchBuilder } from '../../src/cli/batch.js';
import { FormatPool } from '../../src/cli/pool.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { RecordingConversations, RecordingFragments } from '../../src/decode/tape.js';
import { Clock } from '../../src/format/clock.js';
import { makePalette } from '../../src/format/palette.js';
import { textOf } from '../../src/format/sink.js';
import { writeSummary } from '../../src/format/summary.js';
import { ROOT } from './spawn.js';

const FILE = 'fixtures/streams.pcap';
const ENTRY = new URL('dist/cli/worker.cjs', `file://${ROOT}`);

describe('FormatPool', () => {
  it('writes batches in the order sent, holding at most two a worker and two of the main thread', async () => {
    const batches = new BatchBuilder(1);
    const d = new Dissection(new Reassembler());
    d.conversations = new RecordingConversations(d.conversations, batches.tape);
    d.reassembly = new RecordingFragments(d.reassembly!, batches.tape);
    const clock = new Clock();
    const palette = makePalette(0);
    let direct = '';
    const sent: Batch[] = [];
    const bytes = readFileSync(`${ROOT}${FILE}`);
    new PcapParser(pcapMagic(bytes)!).push(bytes, (frame) => {
      clock.read(frame);
      batches.tape.mark();
      const pkt = dissect(frame, d);
      direct += textOf((out) => writeSummary(pkt, palette, out, clock));
      batches.add(frame, clock);
      sent.push(batches.take(0));
      clock.shown(frame);
    });
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
});
