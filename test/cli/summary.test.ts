// The summary's warning codes through the CLI: which layer they are on, and colour only when asked.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAVE_CAPTURES, ROOT, runCli } from './spawn.js';

const SGR = /\x1b\[[0-9;]*m/g;

describe('summary warnings', () => {
  it.skipIf(!HAVE_CAPTURES)('say which IPv4 header has a zero checksum: the provider\'s (#1) and the tenant\'s (#2)', async () => {
    const r = await runCli(['-s', resolve(CAPTURES, 'nvgre_packetnet_gre_nvgre.pcap')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ len=98 !ip\.checksum_zero#1 !ip\.checksum_zero#2 !tcp\.checksum_bad\n$/);
  });

  it('are coloured by severity on a terminal (FORCE_COLOR, --color), each code alone', async () => {
    for (const [args, env] of [[['--color'], {}], [[], { FORCE_COLOR: '1' }]] as [string[], Record<string, string>][]) {
      const r = await runCli(['-s', '-c', '2', ...args, 'fixtures/bad-checksums.pcap'], { env });
      const lines = r.stdout.split('\n');
      expect(lines[0]).toMatch(/ len=116 \x1b\[31m\x1b\[1m!ip\.checksum_bad#1\x1b\[22m\x1b\[39m$/);
      expect(lines[1]).toMatch(/ len=116 \x1b\[34m!ip\.checksum_zero#2\x1b\[39m$/);
      // Nothing else on the line is coloured.
      expect(lines[0].replace(/\x1b\[31m\x1b\[1m!ip\.checksum_bad#1\x1b\[22m\x1b\[39m$/, '')).not.toMatch(SGR);
    }
  });

  it('are plain in a pipe: byte for byte the golden file', async () => {
    const r = await runCli(['-s', 'fixtures/bad-checksums.pcap']);
    expect(r.stdout).toBe(readFileSync(`${ROOT}test/golden/bad-checksums.summary.txt`, 'utf8'));
    expect(r.stdout).not.toMatch(SGR);
  });
});
