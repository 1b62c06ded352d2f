import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.js';
import { BIN, ROOT } from './spawn.js';

// Constant memory, without timing: the frames of a capture larger than the heap the dissector is
// allowed pass through its stdin. Holding on to frames (or output) would exhaust the heap.
const FRAMES = 200_000; // about 55 MB of capture
const HEAP_MB = 40;

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
});
