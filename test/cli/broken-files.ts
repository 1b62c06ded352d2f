// Shared by the broken-file CLI tests (broken.test.ts: classic pcap; formats.test.ts: pcapng and
// gzip): each file prints its good frames in every mode, then one line on stderr, and exits 2.
import { expect, it } from 'vitest';
import { runCli } from './spawn.js';

/** Output modes, with how to count the frames each printed. */
export const MODES: [string, string[], (out: string) => number][] = [
  ['tree', [], (out) => (out.match(/^Frame \d+:/gm) ?? []).length],
  ['summary', ['-s'], (out) => out.split('\n').filter(Boolean).length],
  ['json', ['--json'], (out) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).length],
];

/** One test per file and mode: [file under fixtures/broken/, frames before the damage, stderr after the file name]. */
export function itFailsCleanly(cases: [string, number, string][]): void {
  for (const [file, frames, message] of cases) {
    for (const [mode, args, count] of MODES) {
      it(`${file} (${mode})`, async () => {
        const r = await runCli([...args, `fixtures/broken/${file}`]);
        expect(r.code).toBe(2);
        expect(count(r.stdout)).toBe(frames);
        expect(r.stderr).toBe(`nvgre-dissect: fixtures/broken/${file}: ${message}\n`);
      });
    }
  }
}
