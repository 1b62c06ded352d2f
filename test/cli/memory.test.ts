import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.js';
import { BIN, ROOT } from './spawn.js';

// Constant memory, without timing: the frames of a capture larger than the heap the dissector is
// allowed pass through its stdin. Holding on to frames (or output) would exhaust the heap.
const FRAMES = 200_000; // about 55 MB of capture
const HEAP_MB = 40;

/** Written to stderr at exit: the young generation's size (V8's new space, both semi-spaces). */
const NEW_SPACE_PROBE = `data:text/javascript,${encodeURIComponent(
  "import v8 from 'node:v8'; process.on('exit', () => process.stderr.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)));",
)}`;

describe('memory does not grow with the capture', () => {
  it(`${FRAMES} frames through stdin with a ${HEAP_MB} MB heap, every frame printed`, async () => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, '--summary', '-'], { cwd: ROOT });
    let lines = 0;
    let last = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const text = last + s;
      const parts = text.split('\n');
      last = parts.pop() ?? '';
      lines += parts.length;
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const bytes = await writeCorpus(child.stdin, FRAMES);
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(bytes).toBeGreaterThan(HEAP_MB * 1024 * 1024);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines).toBe(FRAMES);
  }, 60_000);

  it(`${FRAMES} frames through stdin with a ${HEAP_MB} MB heap, every frame written with -w - (pcapng)`, async () => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, '-w', '-', '-'], { cwd: ROOT });
    let written = 0;
    child.stdout.on('data', (b: Buffer) => (written += b.length));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const bytes = await writeCorpus(child.stdin, FRAMES);
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Each 16-byte pcap record header becomes a 32-byte enhanced packet block, data padded to 4.
    expect(written).toBeGreaterThan(bytes);
  }, 60_000);

  // Left to V8 it grows to 16 MB as soon as frames come fast (8 MB after 30,000 to 100,000): 11 MB of
  // a -s run's peak RSS, for fewer collections of what dies with each frame anyway. Start-up
  // (compiling the bundle) leaves it at 2 MB, or 4 in some runs.
  it('the young generation stays at the size start-up leaves it, at most 4 MB', async () => {
    const child = spawn(process.execPath, ['--import', NEW_SPACE_PROBE, BIN, '--summary', '-'], { cwd: ROOT });
    child.stdout.resume();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    await writeCorpus(child.stdin, 100_000);
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(Number(stderr)).toBeLessThanOrEqual(4 * 1024 * 1024);
  }, 60_000);
});
