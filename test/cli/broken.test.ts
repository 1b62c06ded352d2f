import { describe, expect, it } from 'vitest';
import { itFailsCleanly } from './broken-files.js';
import { runCli } from './spawn.js';

const RECORD = 16 + 116;
/** fixtures/broken/*: the frames before the damage, and the one stderr line. Offsets from the file layout. */
const BROKEN: [string, number, string][] = [
  ['empty.pcap', 0, 'at byte 0: empty file: no capture header'],
  ['text.pcap', 0, 'at byte 0: not a capture file: unknown magic 54 68 69 73 (looks like text)'],
  ['bad-magic.pcap', 0, 'at byte 0: not a capture file: unknown magic de ad be ef'],
  ['truncated-file-header.pcap', 0, 'at byte 0: file header cut off after 10 of 24 bytes'],
  ['truncated-record-header.pcap', 3, `at byte ${24 + 3 * RECORD}: record 4 header cut off after 7 of 16 bytes`],
  ['truncated-record-body.pcap', 3, `at byte ${24 + 3 * RECORD + 16}: record 4 body cut off after 50 of 116 bytes`],
  ['record-too-long.pcap', 2, `at byte ${24 + 2 * RECORD + 8}: record 3 claims 300000 captured bytes (limit 262144)`],
];

describe('broken files: good frames first, then one line on stderr, exit 2, in every mode', () => {
  itFailsCleanly(BROKEN);

  it('--stats still prints the table for the frames before the damage', async () => {
    const r = await runCli(['--stats', '--json', 'fixtures/broken/truncated-record-body.pcap']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).totals.frames_read).toBe(3);
  });
});
