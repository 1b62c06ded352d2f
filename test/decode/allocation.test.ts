import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics, GCProfiler } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

async function framesOf(name: string): Promise<Frame[]> {
  const frames: Frame[] = [];
  await readCapture(createReadStream(FIXTURES + name), {
    onFrame: (f) => frames.push({ ...f, data: new Uint8Array(f.data) }),
    afterChunk: () => false,
  });
  return frames;
}

/** Bytes the heap took while `run` ran: what each collection found in use, less what the one before left. */
function allocatedBy(run: () => void): number {
  const profiler = new GCProfiler();
  const start = getHeapStatistics().used_heap_size;
  profiler.start();
  run();
  const end = getHeapStatistics().used_heap_size;
  let allocated = 0;
  let after = start;
  for (const gc of profiler.stop().statistics) {
    allocated += gc.beforeGC.heapStatistics.usedHeapSize - after;
    after = gc.afterGC.heapStatistics.usedHeapSize;
  }
  return allocated + end - after;
}

describe('decoding allocates nothing per frame', () => {
  it('NVGRE over IPv4 with ICMP, TCP, UDP and ARP tenants, as the bench corpus: under 8 bytes a frame once warm', async () => {
    const frames = [...(await framesOf('seed-ping.pcap')), ...(await framesOf('tenant-mix.pcap'))];
    const p = new Dissection(new Reassembler(false));
    const rounds = 2000;
    const all = (): void => {
      for (let r = 0; r < rounds; r++) for (const f of frames) dissect(f, p);
    };
    all(); // the layers and their stores are made, and the decoders compiled
    const perFrame = allocatedBy(all) / (rounds * frames.length);
    // Before the field stores (a record and a Layer per protocol per frame): about 2 KB a frame.
    expect(perFrame).toBeLessThan(8);
  });
});
