// Property 2: whole files through run(), in-process, in random chunk sizes. It never throws and
// always ends; it prints exactly the complete records before the first damage, numbered 1..n,
// each exactly as the formatter prints that record alone; exit 2 exactly when the file is broken,
// with one stderr line naming the byte where the damage starts and no stack trace.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Options } from '../../src/cli/run.js';
import {
  builtFile,
  CASE_LIMIT_MS,
  check,
  checkEq,
  checkRun,
  chunkSizes,
  forbiddenChar,
  type Mode,
  modelRead,
  params,
  randomFile,
  runOn,
  runs,
  splitBySizes,
  timeoutFor,
} from './support.js';

const MODES: Mode[] = ['tree', 'summary', 'json'];
const FILE_RUNS = { built: 1000, random: 800, reassembling: 1000, gzip: 500, hex: 500 };

describe('whole files through run(): constructed pcaps, whole or damaged in a known way', () => {
  for (const mode of MODES) {
    it(mode === 'tree' ? 'tree (the default)' : `--${mode}`, { timeout: timeoutFor(25_000) }, async () => {
      await fc.assert(
        fc.asyncProperty(builtFile, chunkSizes, fc.constantFrom<0 | 1>(0, 1), async (file, sizes, color) => {
          // The test's own reading of what it built must agree with how it built it.
          const model = modelRead(file.bytes);
          checkEq(model.frames.length, file.frames.length, `model vs construction (${file.how})`);
          checkEq(model.damage?.offset ?? null, file.damage?.offset ?? null, `model damage vs construction (${file.how})`);
          const r = await runOn(splitBySizes(file.bytes, sizes), mode, color, CASE_LIMIT_MS);
          try {
            checkRun(r, mode, file, { color, times: true, exact: true });
          } catch (e) {
            if (e instanceof Error) e.message = `[${file.how}] ${e.message}`;
            throw e;
          }
        }),
        params(runs(FILE_RUNS.built)),
      );
    });
  }
});

describe('whole files through run() with the default reassembly of IP fragments', () => {
  // Frames are then not independent (a frame completing a datagram shows earlier frames' bytes):
  // everything but "each frame formatted alone" is checked.
  it('constructed and random files, every mode', { timeout: timeoutFor(25_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(builtFile, randomFile.map((f) => ({ ...f, ...modelRead(f.bytes) }))),
        chunkSizes,
        fc.constantFrom<Mode>(...MODES),
        fc.constantFrom<0 | 1>(0, 1),
        async (file, sizes, mode, color) => {
          const r = await runOn(splitBySizes(file.bytes, sizes), mode, color, CASE_LIMIT_MS, true);
          try {
            checkRun(r, mode, file, { color, times: false, exact: false });
          } catch (e) {
            if (e instanceof Error) e.message = `[${file.how}] ${e.message}`;
            throw e;
          }
        },
      ),
      params(runs(FILE_RUNS.reassembling)),
    );
  });
});

describe('the tree with --hex (a dump of every frame\'s bytes)', () => {
  it('still only the records before the damage, numbered 1..n, and no control character', { timeout: timeoutFor(25_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(builtFile, randomFile.map((f) => ({ ...f, ...modelRead(f.bytes) }))), chunkSizes, fc.constantFrom<0 | 1>(0, 1), async (file, sizes, color) => {
        const r = await runOn(splitBySizes(file.bytes, sizes), 'tree', color, CASE_LIMIT_MS, false, { hex: true } as Partial<Options>);
        try {
          checkRun(r, 'tree', file, { color, times: false, exact: false });
          checkEq(forbiddenChar(color === 1 ? r.stdout.replace(/\u001b\[[0-9;]*m/g, '') : r.stdout), null, 'control character in the output');
        } catch (e) {
          if (e instanceof Error) e.message = `[${file.how}] ${e.message}`;
          throw e;
        }
      }),
      params(runs(FILE_RUNS.hex)),
    );
  });
});

describe('gzip-compressed files', () => {
  // A .gz capture is read through gunzip: the same frames, the same verdict, and a damage offset
  // counted in the decompressed data (the only offset that means anything inside gzip).
  it('read exactly as the file itself', { timeout: timeoutFor(25_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(builtFile, chunkSizes, fc.constantFrom<Mode>(...MODES), async (file, sizes, mode) => {
        const r = await runOn(splitBySizes(gzipSync(file.bytes), sizes), mode, 0, CASE_LIMIT_MS);
        try {
          checkRun({ ...r, stderr: r.stderr.replace(/ of the decompressed data:/, ':') }, mode, file, { color: 0, times: true, exact: true });
          if (file.damage !== null) check(r.stderr.includes(' of the decompressed data: '), `offset not said to be in the decompressed data: ${r.stderr}`);
        } catch (e) {
          if (e instanceof Error) e.message = `[gzip of ${file.how}] ${e.message}`;
          throw e;
        }
      }),
      params(runs(FILE_RUNS.gzip)),
    );
  });
});

describe('whole files through run(): random byte strings', () => {
  for (const mode of MODES) {
    it(mode === 'tree' ? 'tree (the default)' : `--${mode}`, { timeout: timeoutFor(25_000) }, async () => {
      await fc.assert(
        fc.asyncProperty(randomFile, chunkSizes, fc.constantFrom<0 | 1>(0, 1), async (file, sizes, color) => {
          const model = modelRead(file.bytes);
          const r = await runOn(splitBySizes(file.bytes, sizes), mode, color, CASE_LIMIT_MS);
          try {
            // Random timestamp fields may be out of range: times are checked on constructed files only.
            checkRun(r, mode, model, { color, times: false, exact: true });
          } catch (e) {
            if (e instanceof Error) e.message = `[${file.how}] ${e.message}`;
            throw e;
          }
        }),
        params(runs(FILE_RUNS.random)),
      );
    });
  }

  it('an empty stdin is broken: exit 2, "at byte 0"', async () => {
    const r = await runOn([], 'tree', 0);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^nvgre-dissect: \(stdin\): at byte 0: [^\n]*\n$/);
  });
});
