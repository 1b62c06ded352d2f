// pcapng, the reader's other format: files written here (SHB, IDB, EPBs, either byte order,
// microsecond or nanosecond clocks) read back as exactly the packets written, in any chunking; a
// file cut anywhere yields the packets whose blocks are whole, then one error; through run() the
// output is each packet formatted alone.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import type { Frame } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';
import {
  bytesToHex,
  CASE_LIMIT_MS,
  check,
  checkEq,
  checkRun,
  chunkSizes,
  type Mode,
  params,
  pcapngFile,
  runOn,
  runs,
  splitBySizes,
  timeoutFor,
} from './support.js';

/** A packet as one comparable line; fileOffset is left out (its meaning in pcapng is the reader's). */
const line = (f: Frame): string =>
  `#${f.number} ${f.tsSec}.${f.tsNsec}/${f.tsDigits} cap ${f.caplen} len ${f.origLen} lt ${f.linktype} ${f.comment ?? ''} ${bytesToHex(f.data)}`;

async function read(chunks: Uint8Array[]): Promise<{ frames: string[]; error: string | null }> {
  const frames: string[] = [];
  let error: string | null = null;
  async function* input(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield Buffer.from(c);
  }
  try {
    await readCapture(input(), { onFrame: (f) => frames.push(line(f)), afterChunk: () => false });
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = `${e.kind} at ${e.offset}: ${e.message}`;
  }
  return { frames, error };
}

describe('pcapng', () => {
  it('whole or cut anywhere, any chunking: the whole blocks\' packets, then one error', { timeout: timeoutFor(20_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(pcapngFile, fc.option(fc.nat(), { freq: 2 }), chunkSizes, async (file, cutAt, sizes) => {
        const cut = cutAt === null ? file.bytes.length : cutAt % (file.bytes.length + 1);
        const bytes = file.bytes.subarray(0, cut);
        const whole = await read([bytes]);
        const split = await read(splitBySizes(bytes, sizes));
        try {
          checkEq(split.frames.join('\n'), whole.frames.join('\n'), 'packets, split vs whole');
          checkEq(split.error, whole.error, 'error, split vs whole');
          // Packets whose EPB ends by the cut (block 0 is the SHB, 1 the IDB, then one per packet).
          const kept = cut < file.firstPacket ? 0 : file.blockEnds.slice(2).filter((e) => e <= cut).length;
          checkEq(whole.frames.join('\n'), file.frames.slice(0, kept).map(line).join('\n'), 'packets vs the file');
          const clean = file.blockEnds.includes(cut); // a file may end after any whole block
          check((whole.error === null) === clean, `error ${whole.error} for a cut at ${cut} (block ends ${file.blockEnds.join(',')})`);
        } catch (e) {
          if (e instanceof Error) e.message = `[${file.how}, cut at ${cut} of ${file.bytes.length}] ${e.message}`;
          throw e;
        }
      }),
      params(runs(1000)),
    );
  });

  it('through run(): each packet formatted alone', { timeout: timeoutFor(20_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(pcapngFile, chunkSizes, fc.constantFrom<Mode>('tree', 'summary', 'json'), async (file, sizes, mode) => {
        const r = await runOn(splitBySizes(file.bytes, sizes), mode, 0, CASE_LIMIT_MS);
        try {
          checkRun(r, mode, { frames: file.frames, damage: null }, { color: 0, times: true, exact: true });
        } catch (e) {
          if (e instanceof Error) e.message = `[${file.how}] ${e.message}`;
          throw e;
        }
      }),
      params(runs(500)),
    );
  });
});
