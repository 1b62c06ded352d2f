import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './spawn.js';

/**
 * The README pastes real runs. Every code block that starts with `$ nvgre-dissect ...` (no pipe,
 * nothing elided with `...`) is run again here, and its output must be exactly what is pasted.
 */
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```\n(\$ nvgre-dissect [^\n]*)\n([\s\S]*?)```/g)]
  .map(([, command, output]) => ({ command: command.slice(2), output }))
  .filter(({ command, output }) => !command.includes('|') && !output.split('\n').includes('...'));

/** Splits a command line on spaces, keeping '...' quoted words whole. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(1);
}

describe('the README shows real output', () => {
  it('has runnable examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });
  for (const { command, output } of blocks) {
    it(command, async () => {
      const r = await runCli(words(command));
      // A broken-file example prints its stderr line after the frames, as a terminal shows both.
      expect(r.stdout + r.stderr).toBe(output);
    });
  }
});
