// Property 3: the reader alone. Any split of a file into chunks (empty chunks included) gives the
// same frames, and the same error, as reading it whole; and both are what the file holds.
import { gunzipSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import type { Frame } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';
import {
  builtFile,
  bytesToHex,
  check,
  checkEq,
  chunkSizes,
  type Damage,
  FIXTURES,
  modelRead,
  params,
  randomFile,
  runs,
  splitBySizes,
  timeoutFor,
} from './support.js';

interface Reading {
  frames: string[];
  error: string | null;
}

/** A frame as one comparable line (the reader reuses its Frame object and buffers: copy at once). */
const frameLine = (f: Frame): string =>
  `#${f.number} @${f.fileOffset} ${f.tsSec}.${f.tsNsec}/${f.tsDigits} cap ${f.caplen} len ${f.origLen} lt ${f.linktype} ${bytesToHex(f.data)}`;

async function read(chunks: Uint8Array[]): Promise<Reading> {
  const frames: string[] = [];
  let error: string | null = null;
  async function* input(): AsyncGenerator<Uint8Array> {
    // Buffers, as from a stream: views into one shared block, to catch a reader keeping a stale view.
    for (const c of chunks) yield Buffer.from(c);
  }
  try {
    await readCapture(input(), {
      onFrame: (f) => {
        check(f.data.length === f.caplen, `frame ${f.number}: data.length ${f.data.length} != caplen ${f.caplen}`);
        frames.push(frameLine(f));
      },
      afterChunk: () => false,
    });
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = `${e.kind} at ${e.offset}: ${e.message}`;
  }
  return { frames, error };
}

function checkSame(whole: Reading, split: Reading, expected: { frames: Frame[]; damage: Damage | null; foreign?: boolean }): void {
  checkEq(split.frames.length, whole.frames.length, 'number of frames, split vs whole');
  split.frames.forEach((f, i) => checkEq(f, whole.frames[i], `frame ${i + 1}, split vs whole`));
  checkEq(split.error, whole.error, 'error, split vs whole');
  if (expected.foreign === true) return; // pcapng, gzip: not modelled here
  // And what the file holds, by the test's own reading of the format.
  checkEq(whole.frames.join('\n'), expected.frames.map(frameLine).join('\n'), 'frames vs the file');
  checkEq(whole.error === null, expected.damage === null, `broken or not (${whole.error})`);
  if (expected.damage !== null) check(whole.error!.includes(` at ${expected.damage.offset}: `), `error offset: ${whole.error} vs ${expected.damage.offset}`);
}

describe('the reader: any split gives what reading whole gives', () => {
  it('constructed files, whole or damaged, all four magics', { timeout: timeoutFor(20_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(builtFile, chunkSizes, async (file, sizes) => {
        const whole = await read([file.bytes]);
        const split = await read(splitBySizes(file.bytes, sizes));
        checkSame(whole, split, file);
      }),
      params(runs(1500)),
    );
  });

  it('random byte strings', { timeout: timeoutFor(20_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(randomFile, chunkSizes, async (file, sizes) => {
        const whole = await read([file.bytes]);
        const split = await read(splitBySizes(file.bytes, sizes));
        checkSame(whole, split, modelRead(file.bytes));
      }),
      params(runs(1000)),
    );
  });

  it('one byte per chunk, with empty chunks between', { timeout: timeoutFor(20_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(builtFile, async (file) => {
        const bytes = file.bytes;
        const chunks = Array.from({ length: bytes.length * 2 }, (_, i) => (i % 2 === 0 ? bytes.subarray(i / 2, i / 2 + 1) : bytes.subarray(0, 0)));
        checkSame(await read([bytes]), await read(chunks), file);
      }),
      params(runs(300)),
    );
  });

  // A .gz capture cut anywhere (a download or copy stopped short): every record whose bytes can
  // be inflated from what is there is delivered, whatever the chunking, then bad_gzip at the end
  // of the inflatable data. The expectation comes from zlib itself (inflate with Z_SYNC_FLUSH).
  // (It found the chunking-dependent loss pinned in regressions.test.ts.)
  it('gzip-compressed captures cut anywhere: every inflatable frame, then bad_gzip', { timeout: timeoutFor(20_000) }, async () => {
    const source = fc.oneof(
      fc.constantFrom(...FIXTURES).map((fx) => ({ how: fx.name, bytes: fx.bytes })),
      builtFile.filter((f) => f.damage === null),
    );
    await fc.assert(
      fc.asyncProperty(source, fc.nat(), chunkSizes, async (file, cutAt, sizes) => {
        const gz = gzipSync(file.bytes);
        const cut = 10 + (cutAt % (gz.length - 9)); // past the 10-byte gzip header
        const bytes = gz.subarray(0, cut);
        const inflatable = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
        const expected = modelRead(inflatable);
        const reading = await read(splitBySizes(bytes, sizes));
        try {
          checkEq(reading.frames.join('\n'), expected.frames.map(frameLine).join('\n'), `frames from ${inflatable.length} inflatable bytes`);
          if (cut < gz.length) check(reading.error?.startsWith(`bad_gzip at ${inflatable.length}: `) === true, `error: ${reading.error}`);
          else checkEq(reading.error, null, 'error of a whole .gz');
        } catch (e) {
          if (e instanceof Error) e.message = `[gzip of ${file.how} cut at ${cut} of ${gz.length}, chunks ${sizes.join(',')}] ${e.message}`;
          throw e;
        }
      }),
      params(runs(500)),
    );
  });
});
