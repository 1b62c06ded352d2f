// Capture files a hostile-input pass made (issue 13, point 10), through the CLI: times no clock can
// show, times past year 9999, and what each must print instead of a stack trace or raw text.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapngWriter } from '../../fixtures/lib/pcapng.js';
import { MODES } from './broken-files.js';
import { ROOT, runCli } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'nvgre-hostile-'));
const write = (name: string, bytes: Uint8Array): string => {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
};

describe('frame times', () => {
  // The file: seed-ping-nm20.cap with its first record's 64-bit delta set to 2^63 - 1 µs.
  const nm20 = new Uint8Array(readFileSync(`${ROOT}fixtures/seed-ping-nm20.cap`));
  new DataView(nm20.buffer).setBigUint64(128, (1n << 63n) - 1n, true);
  const huge = write('huge-delta.cap', nm20);

  for (const [mode, args] of MODES) {
    it(`a Network Monitor 2.0 delta of 2^63 - 1 µs: one line at the record, exit 2, no half line (${mode})`, async () => {
      const r = await runCli([...args, huge]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `nvgre-dissect: ${huge}: at byte 128: record 1 has a timestamp of 9224746257654 s from 1970, outside the years -271821 to 275760 that a clock can show\n`,
      );
    });
  }

  // 253402300800 s is 10000-01-01T00:00:00Z; 8.64e12 s is the last second a clock can show.
  const years = new PcapngWriter().section('le').interface({ linktype: 147, snaplen: 0, tsresol: 0 });
  for (const sec of [253_402_300_799n, 253_402_300_800n, 8_640_000_000_000n]) years.enhancedPacket({ iface: 0, ts: sec, data: new Uint8Array(4) });
  years.interface({ linktype: 147, snaplen: 0, tsresol: 0, tsoffset: -8_640_000_000_000 }).enhancedPacket({ iface: 1, ts: 0n, data: new Uint8Array(4) });
  const far = write('far-years.pcapng', years.finish());
  const TIMES = ['9999-12-31T23:59:59.000000Z', '+010000-01-01T00:00:00.000000Z', '+275760-09-13T00:00:00.000000Z', '-271821-04-20T00:00:00.000000Z'];

  it('years past 9999 and before 0 keep their seconds, in ISO 8601 expanded form, in tree, summary and JSON', async () => {
    const [tree, summary, json] = await Promise.all(MODES.map(([, args]) => runCli([...args, far])));
    for (const r of [tree, summary, json]) expect([r.code, r.stderr]).toEqual([0, '']);
    expect(tree.stdout.match(/^Frame \d+: \S+,/gm)).toEqual(TIMES.map((t, i) => `Frame ${i + 1}: ${t},`));
    expect(summary.stdout.trimEnd().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(TIMES.map((t, i) => `${i + 1} ${t}`));
    expect(json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).frame.time)).toEqual(TIMES);
  });
});
