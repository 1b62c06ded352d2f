// ETW traces through run(), in-process: no prefix and no mutation of a trace throws or hangs. Each
// run ends with exit 0, or exit 2 and one stderr line naming a byte; the frames printed are
// numbered 1..n; a prefix prints exactly the packets of the whole buffers it holds.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CASE_LIMIT_MS, check, checkEq, chunkSizes, type Mode, params, printedNumbers, runOn, runs, splitBySizes, timeoutFor } from './support.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const TRACES = ['pktmon-seed.etl', 'pktmon-compressed.etl', 'ndis-seed.etl', 'pktmon-32bit.etl'].map((name) => ({ name, bytes: fixture(name) }));
const MODES: Mode[] = ['tree', 'summary', 'json'];
const ERROR_LINE = /^nvgre-dissect: \(stdin\): at byte \d+: [^\n]+\n$/;

/** pktmon-seed.etl: 4096-byte buffers, the header buffer first, then 16 packet events, then 10. */
const SEED_PACKETS_BY_BUFFERS = [0, 0, 16, 26];

async function checkEnds(bytes: Uint8Array, sizes: number[], mode: Mode, what: string): Promise<number[]> {
  const r = await runOn(splitBySizes(bytes, sizes), mode, 0, CASE_LIMIT_MS);
  check(r.code === 0 || r.code === 2, `${what}: exit ${r.code}`);
  if (r.code === 0) checkEq(r.stderr, '', `${what}: stderr`);
  else check(ERROR_LINE.test(r.stderr), `${what}: stderr ${JSON.stringify(r.stderr)}`);
  const numbers = r.stdout === '' ? [] : printedNumbers(mode, r.stdout);
  numbers.forEach((n, i) => checkEq(n, i + 1, `${what}: frame numbers`));
  return numbers;
}

describe('ETW traces: prefixes and mutations never throw or hang', () => {
  it('every prefix length (sampled) of pktmon-seed.etl prints the packets of its whole buffers', { timeout: timeoutFor(25_000) }, async () => {
    const seed = TRACES[0].bytes;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: seed.length }), chunkSizes, fc.constantFrom(...MODES), async (n, sizes, mode) => {
        const numbers = await checkEnds(seed.subarray(0, n), sizes, mode, `prefix of ${n} bytes (${mode})`);
        checkEq(numbers.length, SEED_PACKETS_BY_BUFFERS[Math.floor(n / 4096)], `prefix of ${n} bytes: frames`);
      }),
      params(runs(300)),
    );
  });

  it('random byte and word mutations of each fixture trace', { timeout: timeoutFor(25_000) }, async () => {
    const edit = fc.record({
      at: fc.nat(),
      value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xffffffff, 0x48, 0x40, 0xc0130050, 4096, 0x7fffffff)),
      word: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TRACES), fc.array(edit, { minLength: 1, maxLength: 8 }), chunkSizes, fc.constantFrom(...MODES), async (t, edits, sizes, mode) => {
        const bytes = t.bytes.slice();
        const dv = new DataView(bytes.buffer);
        for (const e of edits) {
          const at = e.at % (bytes.length - 3);
          if (e.word) dv.setUint32(at, e.value >>> 0, true);
          else bytes[at] = e.value & 0xff;
        }
        await checkEnds(bytes, sizes, mode, `${t.name} with ${JSON.stringify(edits)} (${mode})`);
      }),
      params(runs(300)),
    );
  });
});
