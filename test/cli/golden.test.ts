import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_CASES } from '../golden/cases.js';
import { ROOT, runCli } from './spawn.js';

// Golden files were reviewed by eye against the seed article's numbers (and tshark) before commit.
// Regenerate after an intended output change with: npm run golden (then review the diff).
const golden = (name: string): string => readFileSync(`${ROOT}test/golden/${name}`, 'utf8');

describe('golden output of every mode on every fixture', () => {
  for (const { file, fixture, args, code } of GOLDEN_CASES) {
    it(`${['nvgre-dissect', ...args, fixture].join(' ')} matches ${file}`, async () => {
      const r = await runCli([...args, `fixtures/${fixture}`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(code ?? 0);
      expect(r.stdout).toBe(golden(file));
    });
  }
});

describe('tree output (default mode)', () => {
  it('shows the seed VSIDs: requests 4020644, replies 8793502', async () => {
    const r = await runCli(['fixtures/seed-ping.pcap']);
    const frames = r.stdout.split(/^(?=Frame )/m);
    expect(frames).toHaveLength(8);
    frames.forEach((text, i) => {
      expect(text).toMatch(new RegExp(`^Frame ${i + 1}: `));
      expect(text).toContain(i % 2 === 0 ? 'VSID: 4020644 (0x3D59A4)' : 'VSID: 8793502 (0x862D9E)');
      expect(text).toContain('FlowID: 0');
    });
  });

  it('prints the same tree for the big-endian file and, but for 3 more time digits, the nanosecond ones', async () => {
    const us = golden('seed-ping.tree.txt');
    const ns = us.replace(/(T\d\d:\d\d:\d\d\.\d{6})Z/g, '$1000Z');
    expect((await runCli(['fixtures/seed-ping-be.pcap'])).stdout).toBe(us);
    expect((await runCli(['fixtures/seed-ping-ns.pcap'])).stdout).toBe(ns);
    expect((await runCli(['fixtures/seed-ping-ns-be.pcap'])).stdout).toBe(ns);
  });

  it('reads standard input given as -', async () => {
    const r = await runCli(['-'], { input: readFileSync(`${ROOT}fixtures/seed-ping.pcap`) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('seed-ping.tree.txt'));
  });
});
