import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/read.js';
import { copyFrame, expectedSeedFrames, fixture, type FrameCopy } from './helpers.js';

const seed = fixture('seed-ping.pcap');
const expected = expectedSeedFrames(seed, 6);

/** seed-ping.pcap in 4 chunks of 270 bytes: [0,270) [270,540) [540,810) [810,1080). */
const SPLITS = [0, 270, 540, 810, 1080];

const macrotask = () => new Promise<void>((r) => setImmediate(r));

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await macrotask();
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A source that logs every pull and whether it was closed. */
function source(bytes: Uint8Array, splits: number[], log: string[]) {
  const state = { pulls: 0, closed: false };
  async function* gen(): AsyncGenerator<Uint8Array> {
    try {
      for (let i = 0; i + 1 < splits.length; i++) {
        state.pulls++;
        log.push(`pull${state.pulls}`);
        yield bytes.slice(splits[i], splits[i + 1]);
      }
    } finally {
      state.closed = true;
    }
  }
  return { iterable: gen(), state };
}

describe('backpressure: sink.afterChunk', () => {
  it('awaits afterChunk between chunks: nothing more is pulled until it resolves', async () => {
    const log: string[] = [];
    const frames: FrameCopy[] = [];
    const pending: Deferred<boolean>[] = [];
    const { iterable, state } = source(seed, SPLITS, log);
    let finished = false;
    const run = readCapture(iterable, {
      onFrame: (f) => {
        frames.push(copyFrame(f));
        log.push(`f${f.number}`);
      },
      afterChunk: () => {
        log.push('after');
        const d = deferred<boolean>();
        pending.push(d);
        return d.promise;
      },
    }).then(() => {
      finished = true;
      log.push('done');
    });

    // Frames completed by each chunk: chunk 1 holds frame 1 (24..156); chunk 2 frames 2-3
    // (..288, ..420); chunk 3 frames 4-5 (..552, ..684); chunk 4 frames 6-8 (..816, ..948, ..1080).
    const framesAfter = [1, 3, 5, 8];
    for (let c = 0; c < 4; c++) {
      await until(() => pending.length === c + 1, `afterChunk call ${c + 1}`);
      // Give the reader plenty of turns: it must stay parked on afterChunk.
      for (let i = 0; i < 20; i++) await macrotask();
      await new Promise((r) => setTimeout(r, 10));
      expect(state.pulls, `pulls while afterChunk ${c + 1} is pending`).toBe(c + 1);
      expect(pending.length).toBe(c + 1);
      expect(frames.length).toBe(framesAfter[c]);
      expect(finished).toBe(false);
      pending[c].resolve(false);
    }
    await run;
    expect(finished).toBe(true);
    expect(frames).toEqual(expected);
    expect(log).toEqual([
      'pull1', 'f1', 'after',
      'pull2', 'f2', 'f3', 'after',
      'pull3', 'f4', 'f5', 'after',
      'pull4', 'f6', 'f7', 'f8', 'after',
      'done',
    ]);
  });

  it('stops reading when afterChunk resolves to true, and closes the source', async () => {
    const log: string[] = [];
    const frames: FrameCopy[] = [];
    const { iterable, state } = source(seed, SPLITS, log);
    let calls = 0;
    await readCapture(iterable, {
      onFrame: (f) => frames.push(copyFrame(f)),
      afterChunk: async () => {
        calls++;
        await macrotask();
        return calls === 2;
      },
    });
    expect(calls).toBe(2);
    expect(state.pulls).toBe(2);
    expect(state.closed).toBe(true);
    expect(frames).toEqual(expected.slice(0, 3));
  });

  it('a synchronous true from afterChunk stops after the first chunk', async () => {
    const log: string[] = [];
    const frames: FrameCopy[] = [];
    const { iterable, state } = source(seed, SPLITS, log);
    await readCapture(iterable, { onFrame: (f) => frames.push(copyFrame(f)), afterChunk: () => true });
    expect(state.pulls).toBe(1);
    expect(frames).toEqual(expected.slice(0, 1));
  });

  it('stopping early skips the end-of-input check: a damaged tail never read raises nothing', async () => {
    // Cut in the middle of frame 6's data (record 6 at 684, data at 700); stop after chunk 2.
    const cut = seed.slice(0, 750);
    const log: string[] = [];
    const frames: FrameCopy[] = [];
    const { iterable, state } = source(cut, [0, 270, 540, 750], log);
    let calls = 0;
    await expect(
      readCapture(iterable, {
        onFrame: (f) => frames.push(copyFrame(f)),
        afterChunk: () => ++calls === 2,
      }),
    ).resolves.toBeUndefined();
    expect(state.pulls).toBe(2);
    expect(frames).toEqual(expected.slice(0, 3));
  });
});
