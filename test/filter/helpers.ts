// Shared helpers for the filter tests: real packets from the fixtures, decoded by the project's
// own reader and dissector. Expected frame lists in the tests come from the fixture spec
// (fixtures/build.ts), never from running the program.
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection, type Packet } from '../../src/decode/packet.js';
import { matches } from '../../src/filter/evaluate.js';
import { parseFilter } from '../../src/filter/parse.js';
import { type Selection, selects } from '../../src/filter/select.js';
import { keep } from '../fields.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** Reads a fixture and dissects every frame; each frame is copied (the reader reuses buffers). */
export async function loadPackets(name: string): Promise<Packet[]> {
  const frames: Frame[] = [];
  await readCapture(createReadStream(FIXTURES + name), {
    onFrame: (f) => frames.push({ ...f, data: new Uint8Array(f.data) }),
    afterChunk: () => false,
  });
  // One dissection for the capture, as the CLI has: tcp.stream and the relative tcp.seq span its frames.
  const d = new Dissection();
  return frames.map((f) => keep(dissect(f, d)));
}

/** Frame numbers of the packets the display filter matches. */
export function filterFrames(packets: Packet[], filter: string): number[] {
  const expr = parseFilter(filter);
  return packets.filter((p) => matches(expr, p)).map((p) => p.frame.number);
}

/** Frame numbers of the packets the selection keeps. */
export function selectFrames(packets: Packet[], sel: Partial<Selection>): number[] {
  const full: Selection = { vsids: [], ...sel };
  return packets.filter((p) => selects(full, p)).map((p) => p.frame.number);
}

/** Dotted quad -> uint32, written independently of src/. */
export function ip(s: string): number {
  const [a, b, c, d] = s.split('.').map(Number);
  return a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d;
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** One test per filter of the table: the frames it selects in the packets `get` returns. */
export const cases = (label: string, get: () => Packet[], table: [string, number[]][]): void => {
  describe(label, () => {
    for (const [filter, frames] of table) {
      it(`${filter} -> [${frames.join(',')}]`, () => {
        expect(filterFrames(get(), filter)).toEqual(frames);
      });
    }
  });
};
