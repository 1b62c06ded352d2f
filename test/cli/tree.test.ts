// The tree through the CLI: frames apart as tshark -V prints them.
import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

describe('the tree leaves a blank line after each frame, as tshark -V does', () => {
  it('between frames and at the end', async () => {
    const r = await runCli(['-c', '2', 'fixtures/seed-ping.pcap']);
    expect(r.stdout.match(/\n\n/g)).toHaveLength(2);
    expect(r.stdout).toMatch(/"abcdefghijklmnop" \.\.\. \(16 more bytes\)\n {8}Length: 32 bytes\n\nFrame 2: /);
    expect(r.stdout.endsWith(' ... (16 more bytes)\n        Length: 32 bytes\n\n')).toBe(true);
  });

  it('with -x: the tree, a blank line, the dump, a blank line (tshark -V -x)', async () => {
    const r = await runCli(['-x', '-c', '1', 'fixtures/seed-ping.pcap']);
    expect(r.stdout).toMatch(/ \.\.\. \(16 more bytes\)\n {8}Length: 32 bytes\n\n0000  00 15 5d 00 01 03 /);
    expect(r.stdout).toMatch(/\n0070  66 67 68 69 {39}fghi\n\n$/);
  });
});
